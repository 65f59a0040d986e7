/**
 * End to end: `verify` and `login` of the bundled action against an https registry (a real
 * Verdaccio behind a TLS front with the test-only certificate) through a forward proxy that
 * demands credentials, as a company network routes a self-hosted runner's traffic: HTTPS_PROXY
 * means an HTTP CONNECT tunnel through the proxy, then TLS to the registry inside it.
 *
 * The registry is addressed as `registry.test`, a name only the proxy can resolve: the proxy
 * helpers send localhost and 127.x direct whatever the variables say.
 */
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { leakedSecrets, ROOT, runAction } from '../support/action-runner.js'
import { errorsOf } from '../support/annotations.js'
import type { RunResult } from '../support/action-runner.js'
import { freePort, startForwardProxy, startFront, TEST_TLS } from '../support/http-servers.js'
import type { ForwardProxy, Front } from '../support/http-servers.js'
import { startVerdaccio } from '../support/verdaccio.js'
import type { Verdaccio } from '../support/verdaccio.js'
import { runBoundMs } from '../support/timing.js'

/** Short timeouts and pauses so failure cases take milliseconds (internal knobs, see src/registry-http.ts). */
const FAST = { UPM_AUTH_NETWORK_TIMEOUT_MS: '1000', UPM_AUTH_NETWORK_BACKOFF_MS: '50' }
/** The proxy's credentials; the password has characters a URL must percent-encode. */
const PROXY_USER = 'ci-proxy'
const PROXY_PASSWORD = 'canary-proxy-p@ss%word'
/** Resolves `*.test` to 127.0.0.1 inside the action's process, for a direct connection. */
const RESOLVE_TEST_HOSTS = `--import=${pathToFileURL(path.join(ROOT, '__tests__', 'support', 'resolve-test-hosts.mjs')).href}`

let registry: Verdaccio
let front: Front
let proxy: ForwardProxy
let token: string
const basicUser = { name: 'builder', password: 'canary-password-8d3e' }

beforeAll(async () => {
  let port = 0
  front = await startFront({ targetPort: () => port, tls: { key: TEST_TLS.key(), cert: TEST_TLS.cert() } })
  proxy = await startForwardProxy({ credentials: { user: PROXY_USER, password: PROXY_PASSWORD } })
  registry = await startVerdaccio()
  port = registry.port
  token = await registry.addUser('publisher', 'canary-publisher-61c0')
  await registry.addUser(basicUser.name, basicUser.password)
}, 60_000)

afterAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
  await Promise.all([registry?.stop(), front?.close(), proxy?.close()])
})

/** The registry as a runner behind the proxy knows it. */
const url = (): string => `https://registry.test:${front.port}/`
const proxyUrl = (port = proxy.port, password = PROXY_PASSWORD): string =>
  `http://${PROXY_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}`
/** What must never show: the secrets, and the proxy URL and password in either spelling. */
const secrets = (...more: string[]): string[] => [
  token,
  basicUser.password,
  PROXY_PASSWORD,
  encodeURIComponent(PROXY_PASSWORD),
  proxyUrl(),
  ...more
]
const configFile = (result: RunResult): string => path.join(result.home, '.upmconfig.toml')

function action(inputs: Record<string, string>, env: Record<string, string | undefined> = {}): Promise<RunResult> {
  return runAction({
    inputs: { 'registry-url': url(), ...inputs },
    env: { ...FAST, RUNNER_DEBUG: '1', NODE_EXTRA_CA_CERTS: TEST_TLS.caFile, HTTPS_PROXY: proxyUrl(), ...env }
  })
}

/** Runs `act` and returns the CONNECT requests the proxy saw meanwhile. */
async function connectsDuring<T>(act: () => Promise<T>): Promise<[T, ForwardProxy['connects']]> {
  const before = proxy.connects.length
  const result = await act()
  return [result, proxy.connects.slice(before)]
}

test('verify goes through the proxy: one CONNECT tunnel, TLS to the registry inside it', async () => {
  const seen = front.seen.length
  const [result, connects] = await connectsDuring(() => action({ token, verify: 'true' }))

  expect(errorsOf(result)).toEqual([])
  expect(result.code).toBe(0)
  expect(result.stdout).toContain(`${url()} accepted the credential (GET /-/whoami: HTTP 200).`)
  expect(connects).toEqual([{ target: `registry.test:${front.port}`, status: 200 }])
  expect(front.seen.slice(seen)).toEqual([{ method: 'GET', path: '/-/whoami', authorized: true }])
  expect(leakedSecrets(result, secrets())).toEqual([])
})

test('without the private CA in NODE_EXTRA_CA_CERTS the tunnelled TLS is refused, and said so', async () => {
  const [result, connects] = await connectsDuring(() => action({ token, verify: 'true' }, { NODE_EXTRA_CA_CERTS: undefined }))

  expect(result.code).toBe(1)
  expect(errorsOf(result)[0]).toContain(
    `Cannot reach ${url()}: through the proxy 127.0.0.1:${proxy.port}, its TLS certificate is not trusted (add the CA with NODE_EXTRA_CA_CERTS).`
  )
  expect(connects).toEqual([{ target: `registry.test:${front.port}`, status: 200 }])
  expect(leakedSecrets(result, secrets())).toEqual([])
})

test('a registry host in NO_PROXY is reached directly, the proxy untouched', async () => {
  const seen = front.seen.length
  const [result, connects] = await connectsDuring(() =>
    action({ token, verify: 'true' }, { NO_PROXY: 'localhost,127.0.0.1,.test', NODE_OPTIONS: RESOLVE_TEST_HOSTS })
  )

  expect(errorsOf(result)).toEqual([])
  expect(result.code).toBe(0)
  expect(result.stdout).toContain(`${url()} accepted the credential (GET /-/whoami: HTTP 200).`)
  expect(connects).toEqual([])
  expect(front.seen.slice(seen)).toEqual([{ method: 'GET', path: '/-/whoami', authorized: true }])
})

test('login through the proxy (lower-case https_proxy) writes the token, which verify then accepts', async () => {
  const [result, connects] = await connectsDuring(() =>
    action(
      { username: basicUser.name, password: basicUser.password, login: 'true', verify: 'true' },
      { HTTPS_PROXY: undefined, https_proxy: proxyUrl() }
    )
  )

  expect(errorsOf(result)).toEqual([])
  expect(result.code).toBe(0)
  const written = /^token = "(.+)"$/m.exec(fs.readFileSync(configFile(result), 'utf8'))?.[1] ?? ''
  expect(written).not.toBe('')
  expect(result.stdout).toContain(`${url()} accepted the credential (GET /-/whoami: HTTP 200).`)
  expect(connects.length).toBeGreaterThanOrEqual(1)
  expect(connects.every(c => c.target === `registry.test:${front.port}` && c.status === 200)).toBe(true)
  expect(leakedSecrets(result, secrets(written))).toEqual([])
})

test.each([
  [
    'verify, a wrong token',
    { token: 'canary-wrong-token-4b7e', verify: 'true' },
    (): string => `${url()} rejected the credential: GET /-/whoami answered HTTP 200 without a user name`
  ],
  [
    'login, a wrong password',
    { username: basicUser.name, password: 'canary-wrong-password-e21f', login: 'true' },
    (): string => `\`login\` to ${url()} as ${basicUser.name}: the registry rejected the user name or password (HTTP 401).`
  ]
])('through the proxy, %s is "rejected" with the HTTP status', async (_case, inputs, expected) => {
  const [result, connects] = await connectsDuring(() => action(inputs))

  expect(result.code).toBe(1)
  expect(errorsOf(result)[0]).toContain(expected())
  expect(errorsOf(result)[0]).not.toContain('Cannot reach')
  expect(connects.map(c => c.status)).toEqual([200])
  expect(leakedSecrets(result, secrets(...Object.values(inputs).filter(v => v.startsWith('canary'))))).toEqual([])
})

test('a proxy that is down: "cannot reach", after 3 quick attempts', async () => {
  const downPort = await freePort()
  const started = Date.now()
  const result = await action({ token, verify: 'true' }, { HTTPS_PROXY: proxyUrl(downPort) })

  expect(result.code).toBe(1)
  expect(errorsOf(result)[0]).toContain(`Cannot reach ${url()}: through the proxy 127.0.0.1:${downPort}, the connection was refused`)
  expect(errorsOf(result)[0]).toContain('(3 attempts)')
  expect(Date.now() - started).toBeLessThan(await runBoundMs(FAST))
  expect(leakedSecrets(result, secrets(proxyUrl(downPort)))).toEqual([])
})

test('a proxy that refuses the tunnel (wrong proxy password): "cannot reach" with its HTTP status, at once', async () => {
  const wrong = proxyUrl(proxy.port, 'canary-wrong-proxy-pass-7a7a')
  const [result, connects] = await connectsDuring(() => action({ token, verify: 'true' }, { HTTPS_PROXY: wrong }))

  expect(result.code).toBe(1)
  expect(errorsOf(result)[0]).toContain(
    `Cannot reach ${url()}: through the proxy 127.0.0.1:${proxy.port}, the tunnel was refused (CONNECT answered HTTP 407 Proxy Authentication Required: check the user name and password in the proxy URL).`
  )
  expect(connects).toEqual([{ target: `registry.test:${front.port}`, status: 407 }])
  expect(leakedSecrets(result, secrets(wrong, 'canary-wrong-proxy-pass-7a7a'))).toEqual([])
})
