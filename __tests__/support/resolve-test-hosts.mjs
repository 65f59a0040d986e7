// Preloaded into the action's process (`NODE_OPTIONS=--import=<this file's URL>`) by tests that
// need a registry host name that resolves to this machine without being a loopback name:
// @actions/http-client always sends localhost and 127.x direct, so NO_PROXY could not be told
// apart from that rule with them. It stands in for the runner's DNS, which resolves a company's
// registry name: names in the reserved `.test` domain (RFC 6761; no real resolver answers them)
// resolve to 127.0.0.1, and every other name goes to the system's resolver as before.
import dns from 'node:dns'
import { syncBuiltinESMExports } from 'node:module'

const systemLookup = dns.lookup

dns.lookup = function lookup(hostname, options, callback) {
  if (typeof options === 'function') [callback, options] = [options, {}]
  const all = typeof options === 'object' && options !== null && options.all === true
  if (typeof hostname === 'string' && /(^|\.)test\.?$/i.test(hostname)) {
    process.nextTick(() => (all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4)))
    return {}
  }
  return systemLookup.call(this, hostname, options, callback)
}
syncBuiltinESMExports()
