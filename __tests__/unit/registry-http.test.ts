import {
  authorizationHeader,
  DEFAULT_NETWORK,
  describeNetworkError,
  networkOptionsFromEnv,
  registryEndpoint,
  registryRequest,
  UnreachableError
} from '../../src/registry-http.js'
import { freePort, startForwardProxy, startScriptedServer, startSilentServer } from '../support/http-servers.js'

const FAST = { timeoutMs: 2000, attempts: 3, backoffMs: 10 }
const GET = { method: 'GET' as const, headers: {} }

const PROXY_VARIABLES = ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'no_proxy', 'NO_PROXY']

/** Runs `fn` with the proxy variables set to `vars` only, then puts them back as they were. */
async function withProxyEnv(vars: Record<string, string>, fn: () => Promise<void>): Promise<void> {
  const saved = PROXY_VARIABLES.map(name => [name, process.env[name]] as const)
  for (const name of PROXY_VARIABLES) delete process.env[name]
  Object.assign(process.env, vars)
  try {
    await fn()
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  }
}

describe('networkOptionsFromEnv', () => {
  test.each([
    [{}, DEFAULT_NETWORK],
    [{ UPM_AUTH_NETWORK_TIMEOUT_MS: '250', UPM_AUTH_NETWORK_BACKOFF_MS: '5' }, { ...DEFAULT_NETWORK, timeoutMs: 250, backoffMs: 5 }],
    [{ UPM_AUTH_NETWORK_TIMEOUT_MS: '0', UPM_AUTH_NETWORK_BACKOFF_MS: '-1' }, DEFAULT_NETWORK],
    [{ UPM_AUTH_NETWORK_TIMEOUT_MS: '1.5', UPM_AUTH_NETWORK_BACKOFF_MS: 'soon' }, DEFAULT_NETWORK]
  ])('%j', (env, expected) => {
    expect(networkOptionsFromEnv(env)).toEqual(expected)
  })
})

test.each([
  ['https://upm.example.com/npm/', 'https://upm.example.com/npm/-/whoami'],
  ['https://upm.example.com/npm', 'https://upm.example.com/npm/-/whoami'],
  ['http://127.0.0.1:4873/', 'http://127.0.0.1:4873/-/whoami']
])('registryEndpoint(%s)', (url, expected) => {
  expect(registryEndpoint(url, '/-/whoami')).toBe(expected)
})

test.each([
  [{ token: 't0k' }, 'Bearer t0k'],
  [{ _auth: 'dTpw' }, 'Basic dTpw']
])('authorizationHeader(%j)', (entry, expected) => {
  expect(authorizationHeader(entry)).toBe(expected)
})

describe('describeNetworkError', () => {
  const fetchFailed = (code: string): unknown => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(`x ${code}`), { code }) })
  /** What undici's fetch throws when the proxy answers CONNECT with `status`: the cause under a DOMException (code 0). */
  const tunnelRefused = (status: number): unknown =>
    new TypeError('fetch failed', {
      cause: Object.assign(new DOMException('Request was cancelled.'), {
        cause: Object.assign(new Error(`Proxy response (${status}) !== 200 when HTTP Tunneling`), { name: 'AbortError', code: 'UND_ERR_ABORTED' })
      })
    })
  test.each([
    [tunnelRefused(407), /^the tunnel was refused \(CONNECT answered HTTP 407 Proxy Authentication Required: check the user name and password/, false],
    [tunnelRefused(403), /^the tunnel was refused \(CONNECT answered HTTP 403\)$/, false],
    [tunnelRefused(502), /^the tunnel was refused \(CONNECT answered HTTP 502\)$/, true],
    [new TypeError('fetch failed', { cause: Object.assign(new DOMException('x'), { cause: fetchFailed('ECONNRESET') }) }), /was reset/, true],
    [fetchFailed('ECONNREFUSED'), /refused/, true],
    [fetchFailed('ENOTFOUND'), /does not resolve/, false],
    [fetchFailed('EAI_AGAIN'), /right now/, true],
    [fetchFailed('SELF_SIGNED_CERT_IN_CHAIN'), /NODE_EXTRA_CA_CERTS/, false],
    [fetchFailed('E_SOMETHING_NEW'), /\(E_SOMETHING_NEW\)/, false],
    [new DOMException('The operation was aborted due to timeout', 'TimeoutError'), /within 2 s/, true]
  ])('%#', (error, text, transient) => {
    const described = describeNetworkError(error, 2000)
    expect(described.text).toMatch(text)
    expect(described.transient).toBe(transient)
  })

  test('never repeats the error message, which may quote a proxy password', () => {
    const error = Object.assign(new TypeError('fetch failed'), { cause: new Error('connect to http://user:s3cret@proxy:3128 failed') })
    expect(describeNetworkError(error, 1000).text).not.toContain('s3cret')
  })
})

describe('registryRequest', () => {
  test('retries 503 with backoff and returns the answer that follows', async () => {
    const server = await startScriptedServer((_r, i) => (i < 2 ? { status: 503 } : { status: 200, body: '{"username":"u"}' }))
    try {
      const response = await registryRequest(`${server.url}-/whoami`, GET, FAST)
      expect(response.status).toBe(200)
      expect(response.text).toBe('{"username":"u"}')
      expect(server.requests).toHaveLength(3)
    } finally {
      await server.close()
    }
  })

  test('gives up after the last attempt on a registry that keeps failing, with its status', async () => {
    const server = await startScriptedServer(() => ({ status: 502 }))
    try {
      const failure = registryRequest(`${server.url}-/whoami`, GET, FAST)
      await expect(failure).rejects.toThrow(new UnreachableError('it answered HTTP 502 (3 attempts)'))
      await expect(failure).rejects.toMatchObject({ httpStatus: 502 })
      expect(server.requests).toHaveLength(3)
    } finally {
      await server.close()
    }
  })

  test('does not retry an answer that will not change (404), nor follow a redirect', async () => {
    const elsewhere = await startScriptedServer(() => ({ status: 200 }))
    const server = await startScriptedServer(r =>
      r.path === '/-/whoami' ? { status: 404 } : { status: 302, headers: { location: `${elsewhere.url}take-the-credential` } }
    )
    try {
      expect((await registryRequest(`${server.url}-/whoami`, GET, FAST)).status).toBe(404)
      expect((await registryRequest(`${server.url}-/v1/search`, { method: 'GET', headers: { authorization: 'Bearer x' } }, FAST)).status).toBe(302)
      expect(server.requests).toHaveLength(2)
      expect(elsewhere.requests).toHaveLength(0)
    } finally {
      await Promise.all([server.close(), elsewhere.close()])
    }
  })

  test('a closed port is unreachable after the attempts, quickly', async () => {
    const url = `http://127.0.0.1:${await freePort()}/-/whoami`
    const started = Date.now()
    await expect(registryRequest(url, GET, FAST)).rejects.toThrow(
      new UnreachableError('the connection was refused (nothing listens at that address and port) (3 attempts)')
    )
    expect(Date.now() - started).toBeLessThan(2000)
  })

  test('through a proxy that cannot open the tunnel (HTTP 502), retries, then names the proxy and its answer', async () => {
    const proxy = await startForwardProxy()
    try {
      await withProxyEnv({ HTTP_PROXY: proxy.url }, async () => {
        // A name only the proxy resolves (loopback names always go direct), on a port nothing listens on.
        const target = `registry.test:${await freePort()}`
        await expect(registryRequest(`http://${target}/-/whoami`, GET, FAST)).rejects.toThrow(
          new UnreachableError(`through the proxy 127.0.0.1:${proxy.port}, the tunnel was refused (CONNECT answered HTTP 502) (3 attempts)`)
        )
        expect(proxy.connects).toEqual(Array(3).fill({ target, status: 502 }))
      })
    } finally {
      await proxy.close()
    }
  })

  test.each([
    ['HTTPS_PROXY', 'https://registry.example/-/whoami'],
    ['http_proxy', 'http://registry.example/-/whoami']
  ])('%s without a scheme is an error that names the variable, not its value', async (variable, url) => {
    await withProxyEnv({ [variable]: 'proxy.corp:3128' }, async () => {
      const error = await registryRequest(url, GET, FAST).catch((e: unknown) => e as Error)
      expect(error).toBeInstanceOf(Error)
      expect((error as Error).message).toMatch(new RegExp(`^${variable.toUpperCase()} \\(or its lower-case form\\) is not an http:// or https:// URL`))
      expect((error as Error).message).not.toContain('proxy.corp')
    })
  })

  test('each attempt on a server that never answers ends at the timeout', async () => {
    const silent = await startSilentServer()
    try {
      const started = Date.now()
      await expect(registryRequest(`${silent.url}-/whoami`, GET, { timeoutMs: 150, attempts: 2, backoffMs: 10 })).rejects.toThrow(
        new UnreachableError('it did not answer within 0.15 s (2 attempts)')
      )
      const elapsed = Date.now() - started
      expect(elapsed).toBeGreaterThanOrEqual(300)
      expect(elapsed).toBeLessThan(2000)
    } finally {
      await silent.close()
    }
  })
})
