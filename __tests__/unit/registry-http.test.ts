import { authorizationHeader, DEFAULT_NETWORK, networkOptionsFromEnv, registryEndpoint, registryRequest } from '../../src/registry-http.js'
import { HeaderValueError, UnreachableError } from '../../src/errors.js'
import { describeNetworkError } from '../../src/network-errors.js'
import { freePort, startEndlessServer, startForwardProxy, startScriptedServer, startSilentServer } from '../support/http-servers.js'
import { networkBudgetMs } from '../support/network-budget.js'

const FAST = { timeoutMs: 2000, attempts: 3, backoffMs: 10 }

/**
 * The most a request under `options` may take and still count as ending at its limits: the
 * network budget of its timeout and backoff (networkBudgetMs: the action's three attempts all
 * timing out, with the pauses between, so never less than `options.attempts` allow), twice over,
 * so that a machine busy with other suites, whose timers and sockets run late, does not fail it.
 */
function boundMs(options: { timeoutMs: number; backoffMs: number }): number {
  return (
    2 * networkBudgetMs({ UPM_AUTH_NETWORK_TIMEOUT_MS: String(options.timeoutMs), UPM_AUTH_NETWORK_BACKOFF_MS: String(options.backoffMs) })
  )
}

const GET = { method: 'GET' as const, headers: {} }

const PROXY_VARIABLES = ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'no_proxy', 'NO_PROXY']

/** Runs `fn` with the proxy variables set to `vars` only, then puts them back as they were. */
async function withProxyEnv(vars: Record<string, string>, fn: () => Promise<void>): Promise<void> {
  const saved = PROXY_VARIABLES.map(name => [name, process.env[name]] as const)
  for (const name of PROXY_VARIABLES) Reflect.deleteProperty(process.env, name)
  Object.assign(process.env, vars)
  try {
    await fn()
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) Reflect.deleteProperty(process.env, name)
      else process.env[name] = value
    }
  }
}

describe('networkOptionsFromEnv', () => {
  test.each([
    [{}, DEFAULT_NETWORK],
    [
      { UPM_AUTH_NETWORK_TIMEOUT_MS: '250', UPM_AUTH_NETWORK_BACKOFF_MS: '5' },
      { ...DEFAULT_NETWORK, timeoutMs: 250, backoffMs: 5 }
    ],
    [{ UPM_AUTH_NETWORK_TIMEOUT_MS: '0', UPM_AUTH_NETWORK_BACKOFF_MS: '-1' }, DEFAULT_NETWORK],
    [{ UPM_AUTH_NETWORK_TIMEOUT_MS: '1.5', UPM_AUTH_NETWORK_BACKOFF_MS: 'soon' }, DEFAULT_NETWORK]
  ])('%j', (env, expected) => {
    expect(networkOptionsFromEnv(env)).toMatchObject(expected)
  })

  test('one deadline for the step: fixed at the first call, shared by every later one', () => {
    const first = networkOptionsFromEnv({})
    const later = networkOptionsFromEnv({ UPM_AUTH_NETWORK_DEADLINE_MS: '5' })
    expect(first.deadlineAt).toBeGreaterThan(Date.now())
    expect(first.deadlineAt).toBeLessThanOrEqual(Date.now() + 45_000)
    expect(later.deadlineAt).toBe(first.deadlineAt)
    expect(first.maxBodyBytes).toBe(1024 * 1024)
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
  const fetchFailed = (code: string): unknown =>
    Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(`x ${code}`), { code }) })
  /** What undici's fetch throws when the proxy answers CONNECT with `status`: the cause under a DOMException (code 0). */
  const tunnelRefused = (status: number): unknown =>
    new TypeError('fetch failed', {
      cause: Object.assign(new DOMException('Request was cancelled.'), {
        cause: Object.assign(new Error(`Proxy response (${status}) !== 200 when HTTP Tunneling`), {
          name: 'AbortError',
          code: 'UND_ERR_ABORTED'
        })
      })
    })
  test.each([
    [
      tunnelRefused(407),
      /^the tunnel was refused \(CONNECT answered HTTP 407 Proxy Authentication Required: check the user name and password/,
      false
    ],
    [tunnelRefused(403), /^the tunnel was refused \(CONNECT answered HTTP 403\)$/, false],
    [tunnelRefused(502), /^the tunnel was refused \(CONNECT answered HTTP 502\)$/, true],
    [
      new TypeError('fetch failed', { cause: Object.assign(new DOMException('x'), { cause: fetchFailed('ECONNRESET') }) }),
      /was reset/,
      true
    ],
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
      expect(
        (await registryRequest(`${server.url}-/v1/search`, { method: 'GET', headers: { authorization: 'Bearer x' } }, FAST)).status
      ).toBe(302)
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
    // Refused attempts never wait for the timeout: all of them end before one timeout would.
    expect(Date.now() - started).toBeLessThan(FAST.timeoutMs)
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
      expect((error as Error).message).toMatch(
        new RegExp(`^${variable.toUpperCase()} \\(or its lower-case form\\) is not an http:// or https:// URL`)
      )
      expect((error as Error).message).not.toContain('proxy.corp')
    })
  })

  test('a proxy variable that does not parse is an error naming it, not a silent direct request', async () => {
    const server = await startScriptedServer(() => ({ status: 200, body: '{"username":"ci"}' }))
    try {
      // Not loopback, so the proxy applies; the scripted server would answer a direct request.
      await withProxyEnv({ https_proxy: 'http://u:pa55/w@proxy.example.com:1' }, async () => {
        const error = await registryRequest('https://registry.example/-/whoami', GET, FAST).catch((e: unknown) => e as Error)
        expect(error).toBeInstanceOf(Error)
        expect((error as Error).message).toMatch(
          /^HTTPS_PROXY \(or its lower-case form\) is not a valid URL, so https:\/\/registry\.example\/-\/whoami cannot be reached through it\./
        )
        expect((error as Error).message).not.toMatch(/pa55|proxy\.example/)
      })
      // NO_PROXY still wins: a bypassed host never reads the variable.
      await withProxyEnv({ HTTP_PROXY: 'http://u:pa55/w@proxy.example.com:1', NO_PROXY: '127.0.0.1' }, async () => {
        expect((await registryRequest(`${server.url}-/whoami`, GET, FAST)).status).toBe(200)
      })
    } finally {
      await server.close()
    }
  })

  test('a header value HTTP cannot carry is refused before anything is sent, without the value', async () => {
    const server = await startScriptedServer(() => ({ status: 200 }))
    try {
      const request = { method: 'GET' as const, headers: { authorization: 'Bearer tok\u0001SECRET' } }
      const error = await registryRequest(`${server.url}-/whoami`, request, FAST).catch((e: unknown) => e as Error)
      expect(error).toBeInstanceOf(HeaderValueError)
      expect((error as Error).message).toBe(
        'The authorization header cannot be sent: its value holds a control character or a character HTTP headers cannot carry.'
      )
      expect(server.requests).toHaveLength(0)
    } finally {
      await server.close()
    }
  })

  test.each([
    ['declared by content-length', 'fixed'],
    ['streamed without end', 'endless']
  ])('an answer body over the limit (%s) fails at once, naming the limit', async (_name, kind) => {
    const fixed = await startScriptedServer(() => ({ status: 200, body: `{"username":"${'x'.repeat(5000)}"}` }))
    const endless = await startEndlessServer()
    try {
      const url = `${kind === 'fixed' ? fixed.url : endless.url}-/whoami`
      const started = Date.now()
      await expect(registryRequest(url, GET, { ...FAST, maxBodyBytes: 4096 })).rejects.toThrow(
        new UnreachableError('its answer (HTTP 200) is larger than 4096 bytes, the most a registry answer to this request may have')
      )
      // At once: before one attempt's timeout would have ended it.
      expect(Date.now() - started).toBeLessThan(FAST.timeoutMs)
      expect(fixed.requests.length + (endless.sent() > 0 ? 1 : 0)).toBe(1)
      // The endless answer was cut off, not read to the server's own 64 MiB stop.
      expect(endless.sent()).toBeLessThan(16 * 1024 * 1024)
    } finally {
      await fixed.close()
      await endless.close()
    }
  })

  test('a PUT that got a 5xx is not sent again (it may have created a token); a 429 is', async () => {
    let busy = 0
    const server = await startScriptedServer(request => ({ status: request.path === '/busy' && ++busy === 1 ? 429 : 503 }))
    try {
      const put = { method: 'PUT' as const, headers: {}, body: '{}' }
      await expect(registryRequest(`${server.url}-/user/org.couchdb.user:ci`, put, FAST)).rejects.toThrow(
        new UnreachableError('it answered HTTP 503')
      )
      expect(server.requests).toHaveLength(1)
      await expect(registryRequest(`${server.url}busy`, put, FAST)).rejects.toThrow(
        new UnreachableError('it answered HTTP 503 (attempt 2 of 3)')
      )
      expect(server.requests).toHaveLength(3)
      // A POST its caller declares safe to repeat keeps the retries.
      await expect(registryRequest(`${server.url}x`, { ...put, method: 'POST', idempotent: true }, FAST)).rejects.toThrow(
        new UnreachableError('it answered HTTP 503 (3 attempts)')
      )
      expect(server.requests).toHaveLength(6)
    } finally {
      await server.close()
    }
  })

  test('a PUT that timed out is not sent again; one refused before it was sent is', async () => {
    const silent = await startSilentServer()
    try {
      const put = { method: 'PUT' as const, headers: {}, body: '{}' }
      const started = Date.now()
      const options = { timeoutMs: 150, attempts: 3, backoffMs: 10 }
      await expect(registryRequest(`${silent.url}-/user/org.couchdb.user:ci`, put, options)).rejects.toThrow(
        new UnreachableError('it did not answer within 0.15 s')
      )
      expect(Date.now() - started).toBeLessThan(boundMs(options))
      const closed = `http://127.0.0.1:${await freePort()}/-/user/org.couchdb.user:ci`
      await expect(registryRequest(closed, put, FAST)).rejects.toThrow(
        new UnreachableError('the connection was refused (nothing listens at that address and port) (3 attempts)')
      )
    } finally {
      await silent.close()
    }
  })

  test('the step deadline ends a request and its retries, whatever the per-attempt timeout', async () => {
    const silent = await startSilentServer()
    try {
      const started = Date.now()
      const options = { timeoutMs: 5000, attempts: 3, backoffMs: 10, deadlineAt: Date.now() + 300, deadlineMs: 300 }
      await expect(registryRequest(`${silent.url}-/whoami`, GET, options)).rejects.toThrow(
        new UnreachableError("the step's network deadline ran out (all registry requests of a step must end within 0.3 s)")
      )
      const elapsed = Date.now() - started
      expect(elapsed).toBeGreaterThanOrEqual(250)
      // Ended by the deadline: long before the first attempt's own timeout.
      expect(elapsed).toBeLessThan(options.timeoutMs)
    } finally {
      await silent.close()
    }
  })

  test('a proxy that never answers CONNECT: the attempt ends at its timeout and the proxy socket is closed', async () => {
    const proxy = await startSilentServer()
    try {
      await withProxyEnv({ HTTPS_PROXY: proxy.url }, async () => {
        const started = Date.now()
        const options = { timeoutMs: 200, attempts: 1, backoffMs: 10 }
        await expect(registryRequest('https://registry.test/-/whoami', GET, options)).rejects.toThrow(
          new UnreachableError(`through the proxy 127.0.0.1:${proxy.port}, it did not answer within 0.2 s`)
        )
        expect(Date.now() - started).toBeLessThan(boundMs(options))
        // Before, the socket stayed open for minutes and kept the process alive.
        for (let i = 0; i < 50 && proxy.open() > 0; i++) await new Promise(resolve => setTimeout(resolve, 20))
        expect(proxy.open()).toBe(0)
      })
    } finally {
      await proxy.close()
    }
  })

  test('each attempt on a server that never answers ends at the timeout', async () => {
    const silent = await startSilentServer()
    try {
      const started = Date.now()
      const options = { timeoutMs: 150, attempts: 2, backoffMs: 10 }
      await expect(registryRequest(`${silent.url}-/whoami`, GET, options)).rejects.toThrow(
        new UnreachableError('it did not answer within 0.15 s (2 attempts)')
      )
      const elapsed = Date.now() - started
      expect(elapsed).toBeGreaterThanOrEqual(300)
      expect(elapsed).toBeLessThan(boundMs(options))
    } finally {
      await silent.close()
    }
  })
})
