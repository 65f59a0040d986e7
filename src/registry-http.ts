/**
 * HTTP requests to a registry, for `verify`, `login` and the `oidc` exchange: every attempt has a timeout, failures
 * that may pass (no connection, a timeout, a 5xx or 429 answer) are retried a few times with
 * growing pauses (a request that is not safe to repeat only when it surely never arrived), all
 * requests of a step end by one deadline, answers are read to 1 MiB at most, and the runner's
 * proxy variables are honoured, their sockets closed when a request ends.
 *
 * This module is loaded only when `verify`, `login` or `oidc` is on, so a plain run never pays for it.
 * Nothing here logs; errors describe what went wrong in words and codes, never with a request's
 * headers or body (which carry the credential).
 */
import type { NpmAuthEntry } from './entry.js'
import { HeaderValueError, UnreachableError } from './errors.js'

export interface NetworkOptions {
  /** Milliseconds one attempt may take, answer body included. */
  timeoutMs: number
  /** Attempts in all (the first one and its retries). */
  attempts: number
  /** Pause before the first retry; it doubles for each further retry. */
  backoffMs: number
  /**
   * When (epoch milliseconds) every request of this step must have ended, retries and pauses
   * included; none when unset. One deadline for the step, so several requests in a row (oidc, then
   * login, then verify) cannot add up to minutes.
   */
  deadlineAt?: number
  /** The length of that deadline, for messages. */
  deadlineMs?: number
  /** Bytes an answer body may have; a larger one is cut off and the request fails. */
  maxBodyBytes?: number
}

/** A registry that does not answer is given up after at most 3 x 10 s plus 1 s + 2 s of pauses. */
export const DEFAULT_NETWORK: NetworkOptions = { timeoutMs: 10_000, attempts: 3, backoffMs: 1_000 }

/** All network requests of a step end within this (a little over one request's 3 attempts). */
export const DEFAULT_DEADLINE_MS = 45_000

/**
 * Answers of whoami, login and the OIDC exchange are a few hundred bytes; 1 MiB is far above any
 * of them and far below what could exhaust memory (a 3 GB answer crashed Node before this limit).
 */
export const MAX_BODY_BYTES = 1024 * 1024

/** The step's deadline, fixed the first time the options are read, so every request shares it. */
let stepDeadline: { at: number; ms: number } | undefined

/**
 * The network settings, with internal knobs that let tests finish in milliseconds:
 * `UPM_AUTH_NETWORK_TIMEOUT_MS` (per attempt), `UPM_AUTH_NETWORK_BACKOFF_MS` (first pause) and
 * `UPM_AUTH_NETWORK_DEADLINE_MS` (all requests of the step, from the first time this is called).
 * They are not inputs: users never need them. Values that are not positive integers are ignored.
 */
export function networkOptionsFromEnv(env: Record<string, string | undefined>): NetworkOptions {
  const positive = (value: string | undefined, fallback: number): number =>
    value !== undefined && /^\d+$/.test(value) && Number(value) > 0 ? Number(value) : fallback
  if (stepDeadline === undefined) {
    const ms = positive(env.UPM_AUTH_NETWORK_DEADLINE_MS, DEFAULT_DEADLINE_MS)
    stepDeadline = { at: Date.now() + ms, ms }
  }
  return {
    ...DEFAULT_NETWORK,
    timeoutMs: positive(env.UPM_AUTH_NETWORK_TIMEOUT_MS, DEFAULT_NETWORK.timeoutMs),
    backoffMs: positive(env.UPM_AUTH_NETWORK_BACKOFF_MS, DEFAULT_NETWORK.backoffMs),
    deadlineAt: stepDeadline.at,
    deadlineMs: stepDeadline.ms,
    maxBodyBytes: MAX_BODY_BYTES
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

export interface RegistryResponse {
  status: number
  headers: Headers
  text: string
}

export interface RegistryRequest {
  method: 'GET' | 'PUT' | 'POST'
  headers: Record<string, string>
  body?: string
  /**
   * Whether sending it twice does no harm. By default only GET is; a request that is not is
   * retried only when it surely never reached the registry (see SURELY_UNSENT_CODES), so a
   * login PUT that timed out or got a 5xx, which the registry may have carried out, is not sent
   * again to create a second token.
   */
  idempotent?: boolean
}

/** What `fetch` accepts in a header value: tab, visible ASCII, space and Latin-1 (RFC 9110 field-value). */
export function isSendableHeaderValue(value: string): boolean {
  return /^[\t\x20-\x7e\x80-\xff]*$/.test(value)
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
  // Checked here rather than left to fetch, whose TypeError reads like a network failure.
  for (const [name, value] of Object.entries(request.headers)) if (!isSendableHeaderValue(value)) throw new HeaderValueError(name)
  const idempotent = request.idempotent ?? request.method === 'GET'
  const maxBody = options.maxBodyBytes ?? MAX_BODY_BYTES
  const { send, proxy, close } = await fetchFor(url)
  const via = proxy ? `through the proxy ${proxy}, ` : ''
  let failure = ''
  let httpStatus: number | undefined
  try {
    for (let attempt = 1; attempt <= options.attempts; attempt++) {
      if (attempt > 1) {
        const pause = options.backoffMs * 2 ** (attempt - 2)
        // No retry that the deadline would cut short anyway.
        if (options.deadlineAt !== undefined && Date.now() + pause >= options.deadlineAt) {
          throw new UnreachableError(`${failure} (attempt ${attempt - 1} of ${options.attempts}; ${deadlineText(options)})`, httpStatus)
        }
        await sleep(pause)
      }
      let retry: boolean
      const overall = options.deadlineAt === undefined ? undefined : options.deadlineAt - Date.now()
      if (overall !== undefined && overall <= 0) throw new UnreachableError(`${via}${deadlineText(options)}`)
      const signals = [AbortSignal.timeout(options.timeoutMs)]
      if (overall !== undefined && overall < options.timeoutMs) signals.push(deadlineSignal(overall))
      const signal = signals.length === 1 ? signals[0] : AbortSignal.any(signals)
      try {
        const response = await send(url, {
          method: request.method,
          headers: { 'user-agent': 'upm-auth', accept: 'application/json', ...request.headers },
          body: request.body,
          redirect: 'manual',
          signal
        })
        const text = await readBody(response, maxBody)
        if (!RETRY_STATUSES.has(response.status)) return { status: response.status, headers: response.headers, text }
        failure = `${via}it answered HTTP ${response.status}`
        httpStatus = response.status
        // 429 says the request was refused unprocessed; a 5xx may come after the work was done.
        retry = idempotent || response.status === 429
      } catch (error) {
        if (error instanceof UnreachableError) throw error
        const reason = isDeadline(error)
          ? { text: deadlineText(options), transient: false }
          : describeNetworkError(error, options.timeoutMs)
        failure = via + reason.text
        httpStatus = undefined
        retry = reason.transient && (idempotent || surelyUnsent(error))
      }
      if (!retry) {
        throw new UnreachableError(`${failure}${attempt > 1 ? ` (attempt ${attempt} of ${options.attempts})` : ''}`, httpStatus)
      }
    }
    throw new UnreachableError(options.attempts > 1 ? `${failure} (${options.attempts} attempts)` : failure, httpStatus)
  } finally {
    // A proxy that never answers CONNECT keeps its socket past the abort; closing the agent
    // ends it, so the process exits when the step is done instead of minutes later.
    await close()
  }
}

/** An abort reason of its own, so the deadline is told apart from one attempt's timeout. */
class DeadlineError extends Error {
  constructor() {
    super('network deadline')
    this.name = 'DeadlineError'
  }
}

function deadlineSignal(ms: number): AbortSignal {
  const controller = new AbortController()
  setTimeout(() => controller.abort(new DeadlineError()), ms).unref()
  return controller.signal
}

function isDeadline(error: unknown): boolean {
  return causeChain(error).some(e => e instanceof DeadlineError)
}

function deadlineText(options: NetworkOptions): string {
  const within = options.deadlineMs === undefined ? '' : ` (all registry requests of a step must end within ${options.deadlineMs / 1000} s)`
  return `the step's network deadline ran out${within}`
}

/**
 * Reads an answer's body, at most `limit` bytes: a hostile or broken registry could send
 * gigabytes. The stream is cancelled at the limit, which closes the connection.
 */
async function readBody(response: Response, limit: number): Promise<string> {
  const tooLarge = (): UnreachableError =>
    new UnreachableError(
      `its answer (HTTP ${response.status}) is larger than ${formatBytes(limit)}, the most a registry answer to this request may have`,
      response.status
    )
  const declared = Number(response.headers.get('content-length') ?? '')
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel().catch(() => undefined)
    throw tooLarge()
  }
  if (!response.body) return ''
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      await reader.cancel().catch(() => undefined)
      throw tooLarge()
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks).toString('utf8')
}

function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`
}

/**
 * Failures that happen before a request is sent (no connection, no name, the proxy refused the
 * tunnel): retrying them cannot repeat work the registry did.
 */
const SURELY_UNSENT_CODES = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT'])

function surelyUnsent(error: unknown): boolean {
  const chain = causeChain(error)
  if (chain.some(e => typeof e.message === 'string' && TUNNEL_REFUSED.test(e.message))) return true
  return chain.some(e => typeof e.code === 'string' && SURELY_UNSENT_CODES.has(e.code))
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
async function fetchFor(url: string): Promise<{ send: Fetch; proxy?: string; close: () => Promise<void> }> {
  const env = process.env
  const direct = { send: fetch, close: async () => undefined }
  if (!(env.https_proxy || env.HTTPS_PROXY || env.http_proxy || env.HTTP_PROXY)) return direct
  const { getProxyUrl } = await import('@actions/http-client')
  const { checkBypass } = await import('@actions/http-client/lib/proxy')
  const variable = proxyVariable(url, env)
  const proxyUrl = getProxyUrl(url)
  if (!proxyUrl) {
    // @actions/http-client returns nothing for a value it cannot parse (`http://u:p/w@h:1`), and
    // the request would go direct: a silent bypass of the proxy the runner was given. The same
    // test it makes, so only what it dropped is refused; the value is not echoed (a password).
    if (variable !== undefined && !checkBypass(new URL(url)) && !parsesAsProxy(variable.value)) {
      throw new Error(
        `${variable.name.toUpperCase()} (or its lower-case form) is not a valid URL, so ${url} cannot be reached through it. ` +
          'Write the proxy as http://host:port, with a user name and password percent-encoded (a "/" in a password as %2F).'
      )
    }
    return direct
  }
  const { protocol } = new URL(proxyUrl)
  if (protocol !== 'http:' && protocol !== 'https:') {
    // "proxy.corp:3128" parses as a URL whose scheme is "proxy.corp:"; undici would fail with a
    // message that names neither the variable nor the fix. The value is not echoed: it may hold a password.
    throw new Error(
      `${(variable?.name ?? 'HTTPS_PROXY').toUpperCase()} (or its lower-case form) is not an http:// or https:// URL, so ${url} cannot be reached through it. ` +
        'Write the proxy with its scheme, for example http://proxy.example.com:3128.'
    )
  }
  const undici = await import('undici')
  const dispatcher = new undici.ProxyAgent(proxyUrl)
  return {
    send: (target, init) => undici.fetch(target, { ...(init as object), dispatcher }) as unknown as Promise<Response>,
    // Only the host: the proxy URL may carry a password.
    proxy: new URL(proxyUrl).host,
    // destroy, not close: close waits for requests in flight, which a silent proxy never ends.
    close: () => dispatcher.destroy().catch(() => undefined)
  }
}

/** Whether @actions/http-client can read a proxy variable's value (it adds http:// to one without a scheme). */
function parsesAsProxy(value: string): boolean {
  if (URL.canParse(value)) return true
  return !/^https?:\/\//.test(value) && URL.canParse(`http://${value}`)
}

/** The proxy variable that applies to `url`, by its exact name (as @actions/http-client picks it). */
function proxyVariable(url: string, env: Record<string, string | undefined>): { name: string; value: string } | undefined {
  const names = new URL(url).protocol === 'https:' ? ['https_proxy', 'HTTPS_PROXY'] : ['http_proxy', 'HTTP_PROXY']
  const name = names.find(n => env[n])
  return name === undefined ? undefined : { name, value: env[name] as string }
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
  ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate does not name this host'
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
  const codes = chain
    .map(e => e.code)
    .filter((code): code is string => typeof code === 'string')
    .reverse()
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
