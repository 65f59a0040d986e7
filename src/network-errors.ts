/**
 * Why a request to a registry failed, in words: from error names, codes and statuses only,
 * never an error's own message (which may quote a proxy URL with its password), and whether the
 * failure may pass on another attempt.
 */

/** Answers worth another attempt: the registry or a proxy in front of it is busy or failing. */
export const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504])

/**
 * Failures that happen before a request is sent (no connection, no name, the proxy refused the
 * tunnel): retrying them cannot repeat work the registry did.
 */
const SURELY_UNSENT_CODES = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT'])

export function surelyUnsent(error: unknown): boolean {
  const chain = causeChain(error)
  if (chain.some(e => typeof e.message === 'string' && TUNNEL_REFUSED.test(e.message))) return true
  return chain.some(e => typeof e.code === 'string' && SURELY_UNSENT_CODES.has(e.code))
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

const CODE_TEXT: Readonly<Partial<Record<string, string>>> = {
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
  const known = codes.find(c => CODE_TEXT[c] !== undefined)
  const code = known ?? codes.at(0)
  if (code !== undefined) return { text: CODE_TEXT[code] ?? `the request failed (${code})`, transient: TRANSIENT_CODES.has(code) }
  const name = chain.at(-1)?.name
  return { text: `the request failed (${typeof name === 'string' ? name : 'unknown error'})`, transient: true }
}

export interface ErrorLike {
  name?: unknown
  code?: unknown
  message?: unknown
  cause?: unknown
}

/** An error and its causes, outermost first; at most five, as a cause chain may loop. */
export function causeChain(error: unknown): ErrorLike[] {
  const chain: ErrorLike[] = []
  for (let e: unknown = error; typeof e === 'object' && e !== null && chain.length < 5;) {
    const link: ErrorLike = e
    chain.push(link)
    e = link.cause
  }
  return chain
}
