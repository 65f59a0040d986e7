// Loads one module file (argv[2]; CommonJS, or an ES module through require) in this fresh process with Node's effectful APIs
// instrumented, and prints as JSON the effects its load had beyond defining exports: writes
// to process.env, new or changed globals, timers, listeners, file, network, process and
// console I/O. rollup.config.mjs lets rollup drop such modules when unused
// (`moduleSideEffects`); __tests__/integration/module-side-effects.test.ts fails when one
// of them gains an effect that dropping it would lose.
import childProcess from 'node:child_process'
import dgram from 'node:dgram'
import dns from 'node:dns'
import { EventEmitter } from 'node:events'
import fs from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import { createRequire, syncBuiltinESMExports } from 'node:module'
import net from 'node:net'
import stream from 'node:stream'
import timers from 'node:timers'
import tls from 'node:tls'
import worker from 'node:worker_threads'

const target = process.argv[2]
const require = createRequire(import.meta.url)
const effects = []
const writeOut = fs.writeSync.bind(fs, 1)

// Node defines some globals lazily (a getter that replaces itself with a value on first use):
// read each one now so that a module merely using one does not look like it changed it.
for (const key of Reflect.ownKeys(globalThis)) {
  try {
    void globalThis[key]
  } catch {
    // A getter that throws is left as it is.
  }
}
const describe = key => {
  const d = Object.getOwnPropertyDescriptor(globalThis, key)
  return d && ('value' in d ? d.value : [d.get, d.set])
}
const same = (a, b) => (Array.isArray(a) && Array.isArray(b) ? a[0] === b[0] && a[1] === b[1] : Object.is(a, b))

/**
 * Replaces `object[name]` with a recorder. Calls made by Node's own code (the module loader
 * reading the module's files, say) are not the module's effects: the direct caller decides.
 */
function watch(object, name, label) {
  const original = object[name]
  if (typeof original !== 'function') return
  object[name] = function (...args) {
    const caller = (new Error().stack ?? '').split('\n')[2] ?? ''
    if (!/\(node:|at node:/.test(caller)) effects.push(`${label}.${String(name)}(${describeArgs(args)})`)
    return original.apply(this, args)
  }
}
function describeArgs(args) {
  return args
    .slice(0, 1)
    .map(a => (typeof a === 'string' ? JSON.stringify(a.slice(0, 80)) : typeof a))
    .join(', ')
}

for (const name of ['setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask']) {
  watch(globalThis, name, 'globalThis')
  watch(timers, name, 'timers')
}
for (const name of ['on', 'once', 'addListener', 'prependListener', 'prependOnceListener']) {
  watch(EventEmitter.prototype, name, 'emitter')
  watch(stream.Readable.prototype, name, 'stream')
}
for (const name of Object.keys(fs)) if (typeof fs[name] === 'function' && !/^[A-Z]/.test(name)) watch(fs, name, 'fs')
for (const name of Object.keys(fs.promises)) watch(fs.promises, name, 'fs.promises')
for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'])
  watch(childProcess, name, 'child_process')
for (const name of ['connect', 'createConnection', 'createServer']) watch(net, name, 'net')
watch(net.Socket.prototype, 'connect', 'net.Socket')
watch(tls, 'connect', 'tls')
for (const module of [http, https]) for (const name of ['request', 'get', 'createServer']) watch(module, name, 'http')
watch(dgram, 'createSocket', 'dgram')
for (const name of ['lookup', 'resolve']) watch(dns, name, 'dns')
watch(worker, 'Worker', 'worker_threads')
for (const name of ['chdir', 'umask', 'exit', 'kill', 'emitWarning', 'setUncaughtExceptionCaptureCallback']) watch(process, name, 'process')
watch(process.stdout, 'write', 'process.stdout')
watch(process.stderr, 'write', 'process.stderr')
for (const name of ['log', 'info', 'warn', 'error', 'debug']) watch(console, name, 'console')

// An ES module's named imports of built-ins (`import { readFileSync } from 'node:fs'`) see the
// recorders only once the built-ins' ES module exports are synced with the objects patched above.
syncBuiltinESMExports()

// Taken after the recorders above replaced the timer globals.
const globalsBefore = new Map(Reflect.ownKeys(globalThis).map(key => [key, describe(key)]))
const envBefore = { ...process.env }
const exitCodeBefore = process.exitCode

let exported
try {
  exported = require(target)
} catch (error) {
  effects.push(`load threw: ${error instanceof Error ? error.message : String(error)}`)
}

for (const [key, value] of Object.entries(process.env)) {
  if (envBefore[key] !== value) effects.push(`process.env.${key} set`)
}
for (const key of Object.keys(envBefore)) if (!(key in process.env)) effects.push(`process.env.${key} deleted`)
for (const key of Reflect.ownKeys(globalThis)) {
  if (!globalsBefore.has(key)) effects.push(`globalThis.${String(key)} added`)
  else if (!same(globalsBefore.get(key), describe(key))) effects.push(`globalThis.${String(key)} changed`)
}
for (const key of globalsBefore.keys()) if (!Reflect.has(globalThis, key)) effects.push(`globalThis.${String(key)} deleted`)
if (process.exitCode !== exitCodeBefore) effects.push('process.exitCode set')

writeOut(`${JSON.stringify({ exports: exported === undefined ? null : Object.keys(exported).length, effects })}\n`)
// A timer or socket the module started must not keep this process alive.
process.exit(0)
