/**
 * Preload (node --require) that kills the process with SIGKILL right after a chosen file
 * operation, to prove what a run leaves when it dies at that instruction.
 *
 *   UPM_AUTH_KILL_AT="<suffix>:<n>"   die right after the n-th renameSync to, or unlinkSync of, a
 *                                     path ending in <suffix> (".ledger", ".upmconfig.toml", ...)
 *
 * The bundle calls fs.renameSync and fs.unlinkSync on the module object, so wrapping them here
 * sees every one; nothing else of the action is changed.
 */
'use strict'
const fs = require('node:fs')

const spec = process.env.UPM_AUTH_KILL_AT
if (spec) {
  const at = spec.lastIndexOf(':')
  const suffix = spec.slice(0, at)
  const nth = Number(spec.slice(at + 1))
  let seen = 0
  const after = (name, pathOf) => {
    const original = fs[name]
    fs[name] = function (...args) {
      const result = original.apply(this, args)
      if (String(pathOf(args)).endsWith(suffix) && ++seen === nth) process.kill(process.pid, 'SIGKILL')
      return result
    }
  }
  after('renameSync', args => args[1])
  after('unlinkSync', args => args[0])
}
