/**
 * `login`: exchanges a user name and password for a token the way `npm login` does
 * (`PUT <url>/-/user/org.couchdb.user:<name>`), so the file holds a Bearer token, which the
 * registry can revoke, instead of the password. The post step revokes it (revoke.ts).
 */
import type { NpmAuthEntry } from './entry.js'
import type { NetworkOptions, RegistryResponse } from './registry-http.js'
import { registryEndpoint, registryRequest } from './registry-http.js'
import { UnreachableError } from './errors.js'
import { tryParseJson } from './json.js'
import { errorMessage } from './error-message.js'
import { isPlainObject } from './plain-object.js'

export interface LoginOptions {
  network: NetworkOptions
  /** Registers a secret with the runner; called with the token before anything else sees it. */
  mask: (values: string[]) => void
  /**
   * Told of each token entry right after its token is masked, also when the login of another
   * registry fails, so that every token this step minted can be revoked when the job ends.
   */
  minted: (entry: NpmAuthEntry) => void
}

/**
 * Logs in for every entry that has `username` + `password` and returns the entries with those
 * turned into token entries; the others are returned as they are. Every registry is tried; the
 * error lists each one that failed.
 */
export async function loginEntries(entries: NpmAuthEntry[], options: LoginOptions): Promise<NpmAuthEntry[]> {
  if (!entries.some(e => e.form === 'username+password')) {
    throw new Error(
      'Input `login` is true, but no registry has `username` + `password` to log in with. Set them (for `registry-url`, ' +
        'or in a `registries` table), or set `login: false`.'
    )
  }
  const settled = await Promise.allSettled(entries.map(e => (e.form === 'username+password' ? loginEntry(e, options) : Promise.resolve(e))))
  const failures = settled.flatMap(s => (s.status === 'rejected' ? [errorMessage(s.reason)] : []))
  if (failures.length > 0) throw new Error(failures.join(' '))
  return settled.map(s => (s as PromiseFulfilledResult<NpmAuthEntry>).value)
}

/** Logs in for one username + password entry and returns its token entry. */
export async function loginEntry(entry: NpmAuthEntry, options: LoginOptions): Promise<NpmAuthEntry> {
  if (entry._auth === undefined) throw new Error(`The entry for ${entry.url} has no user name and password to log in with.`)
  const { user, password } = decodeBasicAuth(entry._auth)
  const body = JSON.stringify({
    _id: `org.couchdb.user:${user}`,
    name: user,
    password,
    type: 'user',
    roles: [],
    date: new Date().toISOString()
  })
  let response: RegistryResponse
  try {
    // npm sends the Basic header only on its second attempt, after a 409; sending it at once
    // lets the registry authenticate the existing user in one request (Verdaccio answers the
    // bare first attempt for an existing user with 409).
    // Not idempotent: each PUT that succeeds may create a token, so registryRequest retries it
    // only when it surely never reached the registry (no connection, tunnel refused, HTTP 429),
    // never after a timeout or a 5xx, which may have come after the token was made.
    response = await registryRequest(
      registryEndpoint(entry.url, `/-/user/org.couchdb.user:${encodeURIComponent(user)}`),
      { method: 'PUT', headers: { authorization: `Basic ${entry._auth}`, 'content-type': 'application/json' }, body },
      options.network
    )
  } catch (error) {
    if (error instanceof UnreachableError) throw new Error(`\`login\` cannot reach ${entry.url}: ${error.message}.`, { cause: error })
    throw error
  }
  const token = response.status >= 200 && response.status < 300 ? tokenOf(response.text) : undefined
  if (token === undefined) throw new Error(loginFailure(entry.url, user, response))
  // The token is a new secret: the runner must know it before any line can show it.
  options.mask([token])
  const loggedIn: NpmAuthEntry = { url: entry.url, token, alwaysAuth: entry.alwaysAuth, form: 'login' }
  if (entry.email !== undefined) loggedIn.email = entry.email
  options.minted(loggedIn)
  return loggedIn
}

/** Splits an `_auth` value (base64 of `user:password`; the user has no colon) into its parts. */
export function decodeBasicAuth(auth: string): { user: string; password: string } {
  const decoded = Buffer.from(auth, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
}

/** The token of a login answer, when it holds one Unity can send in a header. */
export function tokenOf(body: string): string | undefined {
  const parsed = tryParseJson(body)
  const token = isPlainObject(parsed) ? parsed.token : undefined
  return typeof token === 'string' && /^[\x21-\x7e]+$/.test(token) ? token : undefined
}

/** Why a login failed, from the status npm clients know, with what to do. Never quotes the answer. */
export function loginFailure(url: string, user: string, response: Pick<RegistryResponse, 'status' | 'headers'>): string {
  const { status } = response
  const useToken =
    'Create an access token on the registry and pass it as `token`, or set `login: false` to write `username` + `password` as Basic auth.'
  if (status >= 200 && status < 300) {
    return `\`login\` to ${url}: the registry answered HTTP ${status} without a token, so it does not hand out tokens this way. ${useToken}`
  }
  if (status === 401 && /otp/i.test(response.headers.get('www-authenticate') ?? '')) {
    return `\`login\` to ${url} as ${user}: the registry asks for a one-time password (two-factor authentication, HTTP 401), which a workflow cannot give. ${useToken}`
  }
  if (status === 401) {
    return `\`login\` to ${url} as ${user}: the registry rejected the user name or password (HTTP 401). Check the \`username\` and \`password\` secrets.`
  }
  if (status === 409) {
    return (
      `\`login\` to ${url} as ${user}: the registry refused (HTTP 409, which npm-style registries answer when the user exists ` +
      'and the password does not match). Check the `password` secret.'
    )
  }
  if (status === 400) {
    return `\`login\` to ${url} as ${user}: the registry refused (HTTP 400, which npm reads as "there is no user with this name"). Check the \`username\` secret.`
  }
  if (status === 403) {
    return `\`login\` to ${url} as ${user}: the registry forbids it (HTTP 403): the account may be locked or not allowed to log in this way. ${useToken}`
  }
  if (status === 404 || status === 405 || status === 501 || (status >= 300 && status < 400)) {
    return `\`login\` to ${url}: the registry does not support npm's login (PUT /-/user/org.couchdb.user:NAME answered HTTP ${status}). ${useToken}`
  }
  return `\`login\` to ${url} as ${user}: the registry refused (HTTP ${status}). ${useToken}`
}
