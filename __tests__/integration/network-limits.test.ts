/**
 * The limits of `verify`, `login` and `oidc` against hostile or broken networks, run through dist/
 * as the runner runs it, with stub servers on 127.0.0.1: a proxy that never answers CONNECT, an
 * ID token service that never answers, an answer that never ends, a login PUT that fails after it may have worked, a token HTTP cannot carry.
 * Each run's wall time is measured: the process must end soon after its error, not minutes later.
 */
import { leakedSecrets, runAction } from '../support/action-runner.js'
import { errorsOf } from '../support/annotations.js'
import { startEndlessServer, startScriptedServer, startSilentServer } from '../support/http-servers.js'
import { runBoundMs } from '../support/timing.js'

const TOKEN = 'net-limit-token-SECRET-41c9'
const FAST = { UPM_AUTH_NETWORK_TIMEOUT_MS: '300', UPM_AUTH_NETWORK_BACKOFF_MS: '10' }

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const started = Date.now()
  const value = await fn()
  return [value, Date.now() - started]
}

test('a proxy that never answers CONNECT: verify fails and the process ends with it', async () => {
  const proxy = await startSilentServer()
  try {
    const [result, elapsed] = await timed(() =>
      runAction({
        inputs: { 'registry-url': 'https://registry.test/npm/', token: TOKEN, verify: 'true' },
        env: { ...FAST, HTTPS_PROXY: proxy.url },
        timeoutMs: 15_000
      })
    )
    expect(result.signal).toBeNull()
    expect(result.code).toBe(1)
    expect(errorsOf(result)).toEqual([
      expect.stringContaining(
        `Cannot reach https://registry.test/npm/: through the proxy 127.0.0.1:${proxy.port}, it did not answer within 0.3 s (3 attempts).`
      )
    ])
    // 3 x 0.3 s + pauses + Node's start; before, the proxy socket kept the process alive for minutes.
    expect(elapsed).toBeLessThan(await runBoundMs(FAST))
    expect(proxy.open()).toBe(0)
    expect(leakedSecrets(result, [TOKEN])).toEqual([])
    console.log(`never-answering proxy: the step ended after ${elapsed} ms`)
  } finally {
    await proxy.close()
  }
})

test('one deadline ends every request of the step, whatever the per-attempt timeout', async () => {
  const silent = await startSilentServer()
  try {
    const [result, elapsed] = await timed(() =>
      runAction({
        inputs: { 'registry-url': `${silent.url}npm/`, token: TOKEN, verify: 'true' },
        env: { UPM_AUTH_NETWORK_TIMEOUT_MS: '10000', UPM_AUTH_NETWORK_DEADLINE_MS: '700' },
        timeoutMs: 15_000
      })
    )
    expect(result.code).toBe(1)
    expect(errorsOf(result)).toEqual([
      expect.stringContaining("the step's network deadline ran out (all registry requests of a step must end within 0.7 s)")
    ])
    expect(elapsed).toBeLessThan(await runBoundMs({ UPM_AUTH_NETWORK_TIMEOUT_MS: '10000', UPM_AUTH_NETWORK_DEADLINE_MS: '700' }))
  } finally {
    await silent.close()
  }
})

test("a stalled GitHub ID token service (oidc): the step's deadline ends the request and the process", async () => {
  const silent = await startSilentServer()
  try {
    const env = { UPM_AUTH_NETWORK_TIMEOUT_MS: '10000', UPM_AUTH_NETWORK_DEADLINE_MS: '700' }
    const [result, elapsed] = await timed(() =>
      runAction({
        inputs: { 'registry-url': `${silent.url}npm/`, oidc: 'artifactory', 'oidc-provider-name': 'github-oidc' },
        env: {
          ...env,
          ACTIONS_ID_TOKEN_REQUEST_URL: `${silent.url}_apis/token?api-version=2.0`,
          ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'canary-id-request-SECRET-2b'
        },
        timeoutMs: 15_000
      })
    )
    // Before, GitHub's OIDC client had no timeout: the step was still running when the job timed out.
    expect(result.signal).toBeNull()
    expect(result.code).toBe(1)
    expect(errorsOf(result)).toEqual([
      expect.stringMatching(
        /^`oidc`: GitHub did not give the job an ID token for GitHub's default audience \(cannot reach its ID token service: the step's network deadline ran out \(all registry requests of a step must end within 0\.7 s\)\)/
      )
    ])
    expect(elapsed).toBeLessThan(await runBoundMs(env))
    expect(leakedSecrets(result, ['canary-id-request-SECRET-2b'])).toEqual([])
  } finally {
    await silent.close()
  }
})

test('an answer that never ends is cut off at 1 MiB, and the error says so', async () => {
  const endless = await startEndlessServer()
  try {
    const [result, elapsed] = await timed(() =>
      runAction({ inputs: { 'registry-url': `${endless.url}npm/`, token: TOKEN, verify: 'true' }, env: FAST, timeoutMs: 15_000 })
    )
    expect(result.code).toBe(1)
    expect(errorsOf(result)).toEqual([
      expect.stringContaining(
        `Cannot reach ${endless.url}npm/: its answer (HTTP 200) is larger than 1 MiB, the most a registry answer to this request may have.`
      )
    ])
    expect(endless.sent()).toBeLessThan(16 * 1024 * 1024)
    expect(elapsed).toBeLessThan(await runBoundMs(FAST))
  } finally {
    await endless.close()
  }
})

test('a login PUT that got HTTP 503 is sent once: it may have created a token', async () => {
  const server = await startScriptedServer(() => ({ status: 503 }))
  try {
    const result = await runAction({
      inputs: { 'registry-url': `${server.url}npm/`, username: 'ci', password: 'pw-SECRET-77', login: 'true' },
      env: FAST
    })
    expect(result.code).toBe(1)
    expect(errorsOf(result)).toEqual([`\`login\` cannot reach ${server.url}npm/: it answered HTTP 503.`])
    expect(server.requests.map(r => r.method)).toEqual(['PUT'])
    expect(leakedSecrets(result, ['pw-SECRET-77'])).toEqual([])
  } finally {
    await server.close()
  }
})

test('a token with a control character: verify says what is wrong with it, not "Cannot reach"', async () => {
  const server = await startScriptedServer(() => ({ status: 200, body: '{"username":"ci"}' }))
  try {
    const url = `${server.url}npm/`
    const result = await runAction({ inputs: { 'registry-url': url, token: `${TOKEN}\u0001`, verify: 'true' }, env: FAST })
    expect(result.code).toBe(1)
    const errors = errorsOf(result)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(
      /^The `token` for .* holds a control character or a character above U\+00FF, which an HTTP header cannot carry/
    )
    expect(errors[0]).toContain('input `token`')
    expect(errors[0]).not.toContain('Cannot reach')
    expect(server.requests).toHaveLength(0)
    expect(leakedSecrets(result, [TOKEN])).toEqual([])
  } finally {
    await server.close()
  }
})
