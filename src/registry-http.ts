/**
 * HTTP requests to a registry, for `verify`, `login`, the `oidc` exchange and `resolve-check`: every attempt has
 * a timeout, failures that may pass (no connection, a timeout, a 5xx or 429 answer) are retried
 * a few times with growing pauses (a request that is not safe to repeat only when it surely
 * never arrived), all requests of a step end by one deadline, and answers are read to 1 MiB at
 * most. The way to the registry (direct or the runner's proxy) is registry-proxy.ts's; the
 * words for a failure are network-errors.ts's.
 *
 * This module is loaded only when `verify`, `login`, `oidc` or `resolve-check` is on, so a plain run never pays for it.
 * Nothing here logs; errors describe what went wrong in words and codes, never with a request's
 * headers or body (which carry the credential).
 */
import type { NpmAuthEntry } from './entry.js'
import { HeaderValueError, UnreachableError } from './errors.js'
import { causeChain, describeNetworkError, RETRY_STATUSES, surelyUnsent } from './network-errors.js'
import { fetchFor } from './registry-proxy.js'
import type { FetchResponse } from './registry-proxy.js'

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
  method: 'GET' | 'PUT' | 'POST' | 'DELETE'
  headers: Record<string, string>
  body?: string
  /**
   * Whether sending it twice does no harm. By default only GET is; a request that is not is
   * retried only when it surely never reached the registry (see SURELY_UNSENT_CODES), so a
   * login PUT that timed out or got a 5xx, which the registry may have carried out, is not sent
   * again to create a second token.
   */
  idempotent?: boolean
  /**
   * Whether to read the answer's body (the default). A request that wants the status and headers
   * only (the resolve check's ranged GET of a tarball, which a registry may answer with the whole
   * file) sets false: the body is cancelled unread, which closes the connection, and `text` is ''.
   */
  readBody?: boolean
}

/** What `fetch` accepts in a header value: tab, visible ASCII, space and Latin-1 (RFC 9110 field-value). */
export function isSendableHeaderValue(value: string): boolean {
  return /^[\t\x20-\x7e\x80-\xff]*$/.test(value)
}

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
        const text = request.readBody === false ? await discardBody(response) : await readBody(response, maxBody)
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
  setTimeout(() => {
    controller.abort(new DeadlineError())
  }, ms).unref()
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
async function readBody(response: FetchResponse, limit: number): Promise<string> {
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
  const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader()
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

/** Cancels an answer's body unread (an unread body would keep the connection, and the process, alive). */
async function discardBody(response: FetchResponse): Promise<string> {
  await response.body?.cancel().catch(() => undefined)
  return ''
}

function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`
}

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms))
}
