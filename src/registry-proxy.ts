/**
 * Which way a request to a registry goes: direct, or through the proxy the runner's variables
 * name. Nothing here logs, and no error quotes a proxy variable's value (it may hold a password).
 */
/** Node's `fetch` signature, as used here. */
export type Fetch = (url: string, init: RequestInit) => Promise<FetchResponse>

/**
 * What is read of an answer. Structural, not Node's Response class: undici's `fetch` answers
 * with undici's own Response, which has the same members.
 */
export type FetchResponse = Pick<Response, 'status' | 'headers' | 'body'>

/** How requests to one URL are sent. */
export interface Connection {
  send: Fetch
  /** The proxy's host (never its URL, which may carry a password), when one is used. */
  proxy?: string
  /** Ends the proxy's sockets; a direct connection has none to end. */
  close: () => Promise<void>
}

/**
 * Node's own `fetch`, or, when the runner's proxy variables send this URL through a proxy,
 * undici's `fetch` with a `ProxyAgent`. The decision (HTTPS_PROXY / HTTP_PROXY, NO_PROXY with
 * host, domain-suffix and port entries, loopback always direct) is `@actions/http-client`'s, the
 * one every official action uses. undici's own `fetch` goes with its `ProxyAgent` because a
 * dispatcher is not guaranteed to work with the different undici copy inside Node's `fetch`.
 */
export async function fetchFor(url: string): Promise<Connection> {
  const env = process.env
  const direct: Connection = { send: fetch, close: () => Promise.resolve() }
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
    send: (target, init) => undici.fetch(target, { ...init, dispatcher }),
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
