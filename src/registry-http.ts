/**
 * HTTP requests to a registry, for `verify`, `login` and the `oidc` exchange: every attempt has a timeout, failures
 * that may pass (no connection, a timeout, a 5xx or 429 answer) are retried a few times with
 * growing pauses, and the runner's proxy variables are honoured.
 *
 * This module is loaded only when `verify`, `login` or `oidc` is on, so a plain run never pays for it.
 * Nothing here logs; errors describe what went wrong in words and codes, never with a request's
 * headers or body (which carry the credential).
 */
import type { NpmAuthEntry } from './registries.js'

export interface NetworkOptions {
  /** Milliseconds one attempt may take, answer body included. */
  timeoutMs: number
  /** Attempts in all (the first one and its retries). */
  attempts: number
  /** Pause before the first retry; it doubles for each further retry. */
  backoffMs: number
}

/** A registry that does not answer is given up after at most 3 x 10 s plus 1 s + 2 s of pauses. */
export const DEFAULT_NETWORK: NetworkOptions = { timeoutMs: 10_000, attempts: 3, backoffMs: 1_000 }

/**
 * The network settings, with two internal knobs that let tests finish in milliseconds:
 * `UPM_AUTH_NETWORK_TIMEOUT_MS` (per attempt) and `UPM_AUTH_NETWORK_BACKOFF_MS` (first pause).
 * They are not inputs: users never need them. Values that are not positive integers are ignored.
 */
export function networkOptionsFromEnv(env: Record<string, string | undefined>): NetworkOptions {
  const positive = (value: string | undefined, fallback: number): number =>
    value !== undefined && /^\d+$/.test(value) && Number(value) > 0 ? Number(value) : fallback
  return {
    ...DEFAULT_NETWORK,
    timeoutMs: positive(env.UPM_AUTH_NETWORK_TIMEOUT_MS, DEFAULT_NETWORK.timeoutMs),
    backoffMs: positive(env.UPM_AUTH_NETWORK_BACKOFF_MS, DEFAULT_NETWORK.backoffMs)
  }
}

/** The `Authorization` header Unity sends for an entry: Bearer for `token`, Basic for `_auth`. */
export function authorizationHeader(entry: Pick<NpmAuthEntry, 'token' | '_auth'>): string {
  if (entry.token !== undefined) return `Bearer ${entry.token}`
  if (entry._auth !== undefined) return `Basic ${entry._auth}`
  throw new Error('An npmAuth entry has neither `token` nor `_auth`.')
}

/**
 * An endpoint below the registry URL. npm clients join `/-/...` to the registry URL whether or
 * not it ends with a slash, so `https://host/npm` and `https://host/npm/` give the same endpoint.
 */
export function registryEndpoint(registryUrl: string, path: string): string {
  return registryUrl.replace(/\/+$/, '') + path
}

/** A registry could not be reached, or kept failing (5xx, 429) on every attempt. */
export class UnreachableError extends Error {
  constructor(
    message: string,
    /** The last HTTP status, when the registry answered at all. */
    readonly httpStatus?: number
  ) {
    super(message)
    this.name = 'UnreachableError'
  }
}

export interface RegistryResponse {
  status: number
  headers: Headers
  text: string
}

export interface RegistryRequest {
  method: 'GET' | 'PUT' | 'POST'
  headers: Record<string, string>
  body?: string
}

/** Answers worth another attempt: the registry or a proxy in front of it is busy or failing. */
const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504])

/**
 * Sends one request to a registry, with a timeout per attempt and a few retries with backoff.
 * Redirects are not followed, so the credential never travels to another address.
 *
 * @throws UnreachableError when no attempt got a usable answer.
 */
export async function registryRequest(url: string, request: RegistryRequest, options: NetworkOptions): Promise<RegistryResponse> {
  const { send, proxy } = await fetchFor(url)
  const via = proxy ? `through the proxy ${proxy}, ` : ''
  let failure = ''
  let httpStatus: number | undefined
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    if (attempt > 1) await sleep(options.backoffMs * 2 ** (attempt - 2))
    let retry: boolean
    try {
      const response = await send(url, {
        method: request.method,
        headers: { 'user-agent': 'upm-auth', accept: 'application/json', ...request.headers },
        body: request.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutMs)
      })
      const text = await response.text()
      if (!RETRY_STATUSES.has(response.status)) return { status: response.status, headers: response.headers, text }
      failure = `${via}it answered HTTP ${response.status}`
      httpStatus = response.status
      retry = true
    } catch (error) {
      const reason = describeNetworkError(error, options.timeoutMs)
      failure = via + reason.text
      httpStatus = undefined
      retry = reason.transient
    }
    if (!retry) {
      throw new UnreachableError(`${failure}${attempt > 1 ? ` (attempt ${attempt} of ${options.attempts})` : ''}`, httpStatus)
    }
  }
  throw new UnreachableError(`${failure} (${options.attempts} attempts)`, httpStatus)
}

/** Node's `fetch` signature, as used here. */
type Fetch = (url: string, init: RequestInit) => Promise<Response>

/**
 * Node's own `fetch`, or, when the runner's proxy variables send this URL through a proxy,
 * undici's `fetch` with a `ProxyAgent`. The decision (HTTPS_PROXY / HTTP_PROXY, NO_PROXY with
 * host, domain-suffix and port entries, loopback always direct) is `@actions/http-client`'s, the
 * one every official action uses. undici's own `fetch` goes with its `ProxyAgent` because a
 * dispatcher is not guaranteed to work with the different undici copy inside Node's `fetch`.
 */
async function fetchFor(url: string): Promise<{ send: Fetch; proxy?: string }> {
  const env = process.env
  if (!(env.https_proxy || env.HTTPS_PROXY || env.http_proxy || env.HTTP_PROXY)) return { send: fetch }
  const { getProxyUrl } = await import('@actions/http-client')
  const proxyUrl = getProxyUrl(url)
  if (!proxyUrl) return { send: fetch }
  const { protocol } = new URL(proxyUrl)
  if (protocol !== 'http:' && protocol !== 'https:') {
    // "proxy.corp:3128" parses as a URL whose scheme is "proxy.corp:"; undici would fail with a
    // message that names neither the variable nor the fix. The value is not echoed: it may hold a password.
    const variable = new URL(url).protocol === 'https:' ? 'HTTPS_PROXY' : 'HTTP_PROXY'
    throw new Error(
      `${variable} (or its lower-case form) is not an http:// or https:// URL, so ${url} cannot be reached through it. ` +
        'Write the proxy with its scheme, for example http://proxy.example.com:3128.'
    )
  }
  const undici = await import('undici')
  const dispatcher = new undici.ProxyAgent(proxyUrl)
  return {
    send: (target, init) => undici.fetch(target, { ...(init as object), dispatcher }) as unknown as Promise<Response>,
    // Only the host: the proxy URL may carry a password.
    proxy: new URL(proxyUrl).host
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms))
}

/** Error codes of failures that may pass on a second try. */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED'
])

const CODE_TEXT: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused (nothing listens at that address and port)',
  ECONNRESET: 'the connection was reset',
  EPIPE: 'the connection was closed while sending',
  ETIMEDOUT: 'the connection timed out',
  EAI_AGAIN: 'the host name could not be resolved right now (DNS)',
  ENOTFOUND: 'the host name does not resolve (DNS)',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  UND_ERR_SOCKET: 'the connection failed',
  UND_ERR_CLOSED: 'the connection was closed',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed and not trusted (add the CA with NODE_EXTRA_CA_CERTS)',
  SELF_SIGNED_CERT_IN_CHAIN: 'its TLS certificate chain is not trusted (add the CA with NODE_EXTRA_CA_CERTS)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate is not trusted (add the CA with NODE_EXTRA_CA_CERTS)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its TLS certificate is not trusted (add the CA with NODE_EXTRA_CA_CERTS)',
  ERR_TLS_CERT_ALTNAME_INVALID: "its TLS certificate does not name this host"
}

/**
 * undici's error when the proxy answers CONNECT with anything but 200. Only the status is taken
 * from the message, whose text is fixed.
 */
const TUNNEL_REFUSED = /^Proxy response \((\d{3})\) !== 200 when HTTP Tunneling$/

/**
 * Describes why a request failed, from error names, codes and the proxy's status only: an
 * error's own message may quote a proxy URL with its password. `fetch` wraps the error that
 * tells (in `cause`, sometimes two levels deep, under a DOMException whose numeric `code` says
 * nothing), so the whole chain is read.
 */
export function describeNetworkError(error: unknown, timeoutMs: number): { text: string; transient: boolean } {
  const chain = causeChain(error)
  if (chain.some(e => e.name === 'TimeoutError')) {
    return { text: `it did not answer within ${timeoutMs / 1000} s`, transient: true }
  }
  const tunnel = chain.map(e => (typeof e.message === 'string' ? TUNNEL_REFUSED.exec(e.message) : null)).find(match => match !== null)
  if (tunnel) {
    const status = Number(tunnel[1])
    const hint = status === 407 ? ' Proxy Authentication Required: check the user name and password in the proxy URL' : ''
    return { text: `the tunnel was refused (CONNECT answered HTTP ${status}${hint})`, transient: RETRY_STATUSES.has(status) }
  }
  // The innermost code is the most specific one.
  const codes = chain.map(e => e.code).filter((code): code is string => typeof code === 'string').reverse()
  const code = codes.find(c => CODE_TEXT[c] !== undefined) ?? codes[0]
  if (code !== undefined && CODE_TEXT[code] !== undefined) return { text: CODE_TEXT[code], transient: TRANSIENT_CODES.has(code) }
  if (code !== undefined) return { text: `the request failed (${code})`, transient: TRANSIENT_CODES.has(code) }
  const name = chain.at(-1)?.name
  return { text: `the request failed (${typeof name === 'string' ? name : 'unknown error'})`, transient: true }
}

interface ErrorLike {
  name?: unknown
  code?: unknown
  message?: unknown
  cause?: unknown
}

/** An error and its causes, outermost first; at most five, as a cause chain may loop. */
function causeChain(error: unknown): ErrorLike[] {
  const chain: ErrorLike[] = []
  for (let e = error; typeof e === 'object' && e !== null && chain.length < 5; e = (e as ErrorLike).cause) chain.push(e as ErrorLike)
  return chain
}
