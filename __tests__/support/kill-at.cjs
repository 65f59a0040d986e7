/**
 * Preload (node --require) that kills the process with SIGKILL right after a chosen file
 * operation, to prove what a run leaves when it dies at that instruction.
 *
 *   UPM_AUTH_KILL_AT="<suffix>:<n>"        die right after the n-th renameSync to, or unlinkSync
 *                                          of, a path ending in <suffix> (".ledger", ...)
 *   UPM_AUTH_KILL_AT="open:<suffix>:<n>"   ... after the n-th openSync of such a path (a lock
 *                                          created, its record not yet written)
 *   UPM_AUTH_KILL_AT="chmod:<suffix>:<n>"  ... after the n-th chmodSync (the last step of every
 *                                          private file: a restore record complete, its path not
 *                                          yet saved)
 *
 * The bundle calls these on the fs module object, so wrapping them here sees every one; nothing
 * else of the action is changed.
 */
'use strict'
const fs = require('node:fs')

const spec = process.env.UPM_AUTH_KILL_AT
if (spec) {
  const op = /^(open|chmod):/.exec(spec)?.[1]
  const rest = op ? spec.slice(op.length + 1) : spec
  const at = rest.lastIndexOf(':')
  const suffix = rest.slice(0, at)
  const nth = Number(rest.slice(at + 1))
  let seen = 0
  const after = (name, pathOf) => {
    const original = fs[name]
    fs[name] = function (...args) {
      const result = original.apply(this, args)
      if (String(pathOf(args)).endsWith(suffix) && ++seen === nth) process.kill(process.pid, 'SIGKILL')
      return result
    }
  }
  if (op === 'open') after('openSync', args => args[0])
  else if (op === 'chmod') after('chmodSync', args => args[0])
  else {
    after('renameSync', args => args[1])
    after('unlinkSync', args => args[0])
  }
}
