/**
 * `verify`: asks each registry whether it accepts the credential that was written, so a wrong or
 * expired secret fails this step with a clear message instead of Unity's package resolution later.
 *
 * The check is npm's `whoami` (`GET <url>/-/whoami`). Registries without it (Azure Artifacts,
 * for one) are asked for the search endpoint that Unity's Package Manager window uses.
 */
import type { NpmAuthEntry } from './entry.js'
import type { NetworkOptions } from './registry-http.js'
import { authorizationHeader, isSendableHeaderValue, registryEndpoint, registryRequest } from './registry-http.js'
import { UnreachableError } from './errors.js'
import { tryParseJson } from './json.js'
import { isPlainObject } from './plain-object.js'

/**
 * - `ok`: the registry accepted the credential;
 * - `rejected`: it refused it (or treated the request as anonymous);
 * - `unreachable`: no usable answer (no connection, timeouts, server errors), so nothing is known;
 * - `unverified`: it answered, but has no endpoint that tells.
 *
 * With `verify` off there is no result at all (the summary says "not checked").
 */
export type VerifyStatus = 'ok' | 'rejected' | 'unreachable' | 'unverified'

/** The verdict for one registry, for the log and the job summary. Never holds the credential. */
export interface VerifyResult {
  url: string
  status: VerifyStatus
  /** The HTTP status the verdict rests on, when the registry answered. */
  httpStatus?: number
  /** One or two sentences that name the registry and its answer. */
  message: string
}

const WHOAMI = '/-/whoami'
const SEARCH = '/-/v1/search?text=upm-auth&size=1'

/** Verifies every entry at once; each verdict is bounded in time by the network options. */
export function verifyEntries(entries: NpmAuthEntry[], options: NetworkOptions): Promise<VerifyResult[]> {
  return Promise.all(entries.map(entry => verifyEntry(entry, options)))
}

/** Verifies one entry against its registry with the header Unity would send. */
export async function verifyEntry(entry: NpmAuthEntry, options: NetworkOptions): Promise<VerifyResult> {
  const { url } = entry
  const authorization = authorizationHeader(entry)
  // fetch would refuse the header with a TypeError that reads like a network failure
  // ("Cannot reach ... (3 attempts)"); this says what is wrong, without the value.
  if (!isSendableHeaderValue(authorization)) throw new Error(unsendableCredential(entry))
  const request = { method: 'GET' as const, headers: { authorization } }
  try {
    const whoami = await registryRequest(registryEndpoint(url, WHOAMI), request, options)
    const verdict = judgeWhoami(whoami.status, whoami.text)
    switch (verdict) {
      case 'ok':
        return {
          url,
          status: 'ok',
          httpStatus: whoami.status,
          message: `${url} accepted the credential (GET /-/whoami: HTTP ${whoami.status}).`
        }
      case 'rejected':
        return {
          url,
          status: 'rejected',
          httpStatus: whoami.status,
          message: `${url} rejected the credential (GET /-/whoami: HTTP ${whoami.status}).`
        }
      case 'anonymous':
        return {
          url,
          status: 'rejected',
          httpStatus: whoami.status,
          message: `${url} rejected the credential: GET /-/whoami answered HTTP ${whoami.status} without a user name, as for an anonymous request.`
        }
    }
    const search = await registryRequest(registryEndpoint(url, SEARCH), request, options)
    const noWhoami = `it has no /-/whoami (HTTP ${whoami.status})`
    if (isSuccess(search.status)) {
      return {
        url,
        status: 'ok',
        httpStatus: search.status,
        message: `${url} accepted the credential on its search endpoint (GET /-/v1/search: HTTP ${search.status}); ${noWhoami}, so this shows that the credential is not refused rather than what it may read.`
      }
    }
    if (search.status === 401 || search.status === 403) {
      return {
        url,
        status: 'rejected',
        httpStatus: search.status,
        message: `${url} rejected the credential (GET /-/v1/search: HTTP ${search.status}; ${noWhoami}).`
      }
    }
    return {
      url,
      status: 'unverified',
      httpStatus: search.status,
      message: `${url} cannot tell whether the credential works: ${noWhoami} and no search endpoint (HTTP ${search.status}).`
    }
  } catch (error) {
    if (error instanceof UnreachableError) {
      return { url, status: 'unreachable', httpStatus: error.httpStatus, message: `Cannot reach ${url}: ${error.message}.` }
    }
    throw error
  }
}

/** Why an entry's credential cannot be sent at all; names where it came from, never its value. */
export function unsendableCredential(entry: Pick<NpmAuthEntry, 'url' | 'form'>): string {
  // Only a token or an `_auth` given as such can hold one: derived `_auth` values are base64.
  const key = entry.form === 'auth' ? '_auth' : 'token'
  return (
    `The \`${key}\` for ${entry.url} holds a control character or a character above U+00FF, which an HTTP header cannot carry, ` +
    `so neither \`verify\` nor Unity can send it. Check the secret given as input \`${key === '_auth' ? 'auth' : 'token'}\` ` +
    `or as key \`${key}\` of the \`registries\` table [npmAuth."${entry.url}"] (a stray character from copying it, for example).`
  )
}

/**
 * Reads npm's whoami answer. A 2xx answer counts only with a user name in it: Verdaccio, for one,
 * answers `{}` with HTTP 200 to a request whose credential it does not know.
 */
export function judgeWhoami(status: number, body: string): 'ok' | 'rejected' | 'anonymous' | 'unsupported' {
  if (status === 401 || status === 403) return 'rejected'
  if (!isSuccess(status)) return 'unsupported'
  const parsed = tryParseJson(body)
  if (!isPlainObject(parsed)) return 'unsupported'
  const username = parsed.username
  return typeof username === 'string' && username.length > 0 ? 'ok' : 'anonymous'
}

/**
 * The error that fails the step when a registry rejected its credential or could not be reached,
 * with what to do; `undefined` when every registry is fine.
 */
export function verificationFailure(results: VerifyResult[]): string | undefined {
  const rejected = results.filter(r => r.status === 'rejected')
  const unreachable = results.filter(r => r.status === 'unreachable')
  if (rejected.length === 0 && unreachable.length === 0) return undefined
  const parts = [
    `\`verify\` failed for ${rejected.length + unreachable.length} of ${results.length} ${results.length === 1 ? 'registry' : 'registries'}.`
  ]
  if (rejected.length > 0) {
    parts.push(
      ...rejected.map(r => r.message),
      'Check that the secret is current, belongs to that registry, and is passed in the right input (a token as `token`, a password with `username`).'
    )
  }
  if (unreachable.length > 0) {
    parts.push(...unreachable.map(r => r.message), "Check the URL, and the runner's network and proxy settings (HTTPS_PROXY, NO_PROXY).")
  }
  return parts.join(' ')
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300
}
