/**
 * End to end: the `verify` and `login` inputs of the bundled action against a real Verdaccio,
 * fronts of it that lack an endpoint, a closed port, a server that never answers, and a
 * forward proxy.
 */
import fs from 'node:fs'
import path from 'node:path'
import { leakedSecrets, makeRunnerDir, runAction as run } from '../support/action-runner.js'
import { errorsOf, warningsOf } from '../support/annotations.js'
import type { RunResult } from '../support/action-runner.js'
import { freePort, startForwardProxy, startFront, startSilentServer } from '../support/http-servers.js'
import type { Front, ForwardProxy } from '../support/http-servers.js'
import { resolvePackage } from '../support/upm-client.js'
import { startRegistryFixture } from '../support/verdaccio.js'
import type { RegistryFixture } from '../support/verdaccio.js'
import { runBoundMs } from '../support/timing.js'

/** Short timeouts and pauses so failure cases take milliseconds (internal knobs, see src/registry-http.ts). */
const FAST = { UPM_AUTH_NETWORK_TIMEOUT_MS: '500', UPM_AUTH_NETWORK_BACKOFF_MS: '50' }

let f: RegistryFixture
let noWhoami: Front
let noLogin: Front
let proxy: ForwardProxy

beforeAll(async () => {
  let port = 0
  noWhoami = await startFront({ targetPort: () => port, missing: /^\/-\/whoami/ })
  noLogin = await startFront({ targetPort: () => port, missing: /^\/-\/user\// })
  proxy = await startForwardProxy()
  f = await startRegistryFixture()
  port = f.registry.port
}, 90_000)

afterAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
  await Promise.all([f?.registry.stop(), noWhoami?.close(), noLogin?.close(), proxy?.close()])
})

const configFile = (result: RunResult): string => path.join(result.home, '.upmconfig.toml')
const allSecrets = (): string[] => [f.tokenUser.token, f.tokenUser.password, f.basicUser.password, f.emailUser.pat]

function action(inputs: Record<string, string>, env: Record<string, string> = {}, dir?: string): Promise<RunResult> {
  return run({ inputs, env: { ...FAST, ...env }, dir })
}

describe('verify', () => {
  test.each([
    ['token', (): Record<string, string> => ({ token: f.tokenUser.token })],
    ['email + PAT', (): Record<string, string> => ({ email: f.emailUser.email, pat: f.emailUser.pat })],
    ['username + password', (): Record<string, string> => ({ username: f.basicUser.name, password: f.basicUser.password })]
  ])('accepts a good %s', async (_form, credential) => {
    const result = await action({ 'registry-url': f.registry.url, verify: 'true', ...credential() })

    expect(errorsOf(result)).toEqual([])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`${f.registry.url} accepted the credential (GET /-/whoami: HTTP 200).`)
    expect(leakedSecrets(result, allSecrets())).toEqual([])
  })

  test.each([
    ['a wrong token', { token: 'canary-wrong-token-5e1a' }],
    ['a wrong password', { username: 'builder', password: 'canary-wrong-password-0c4f' }]
  ])('fails the step on %s, naming the registry and the HTTP status, and writes the file all the same', async (_case, credential) => {
    const result = await action({ 'registry-url': f.registry.url, verify: 'true', ...credential }, { RUNNER_DEBUG: '1' })

    expect(result.code).toBe(1)
    const [error] = errorsOf(result)
    expect(error).toContain(`${f.registry.url} rejected the credential: GET /-/whoami answered HTTP 200 without a user name`)
    expect(error).not.toContain('Cannot reach')
    expect(error).toContain(`${configFile(result)} was written all the same`)
    expect(fs.existsSync(configFile(result))).toBe(true)
    expect(result.outputs['config-file']).toBe(configFile(result))
    expect(
      leakedSecrets(
        result,
        Object.values(credential).filter(v => v.startsWith('canary'))
      )
    ).toEqual([])
  })

  test('tells "cannot reach" apart from "rejected" for a closed port, within a bounded time', async () => {
    const url = `http://127.0.0.1:${await freePort()}/`
    const started = Date.now()

    const result = await action({ 'registry-url': url, token: 'canary-token-unreachable-77ab', verify: 'true' })

    expect(result.code).toBe(1)
    const [error] = errorsOf(result)
    expect(error).toContain(`Cannot reach ${url}: the connection was refused`)
    expect(error).toContain('(3 attempts)')
    expect(error).not.toContain('rejected')
    expect(Date.now() - started).toBeLessThan(await runBoundMs(FAST))
    expect(leakedSecrets(result, ['canary-token-unreachable-77ab'])).toEqual([])
  })

  test('gives up on a registry that never answers after three timed-out attempts', async () => {
    const silent = await startSilentServer()
    try {
      const started = Date.now()
      const result = await action({ 'registry-url': silent.url, token: 'canary-token-silent-2d2d', verify: 'true' })

      expect(result.code).toBe(1)
      expect(errorsOf(result)[0]).toContain(`Cannot reach ${silent.url}: it did not answer within 0.5 s (3 attempts)`)
      // 3 x 0.5 s of timeouts and 0.05 + 0.1 s of pauses, plus start-up.
      expect(Date.now() - started).toBeLessThan(await runBoundMs(FAST))
    } finally {
      await silent.close()
    }
  })

  test('falls back to the search endpoint on a registry without /-/whoami', async () => {
    const result = await action({ 'registry-url': noWhoami.url, token: f.tokenUser.token, verify: 'true' })

    expect(errorsOf(result)).toEqual([])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(
      `${noWhoami.url} accepted the credential on its search endpoint (GET /-/v1/search: HTTP 200); it has no /-/whoami (HTTP 404)`
    )
  })

  test('with several registries, names only the one that rejected its credential', async () => {
    const result = await action({
      verify: 'true',
      registries: [
        `[npmAuth."${f.registry.url}"]`,
        'token = "canary-wrong-token-aa41"',
        `[npmAuth."${noWhoami.url}"]`,
        `token = "${f.tokenUser.token}"`
      ].join('\n')
    })

    expect(result.code).toBe(1)
    const [error] = errorsOf(result)
    expect(error).toContain('`verify` failed for 1 of 2 registries.')
    expect(error).toContain(`${f.registry.url} rejected the credential`)
    expect(error).not.toContain(noWhoami.url)
    expect(result.stdout).toContain(`${noWhoami.url} accepted the credential`)
    // The job summary is written before the step fails, with each registry's verdict.
    expect(result.summary).toMatch(new RegExp(`\\| \`${f.registry.url}\` \\| Bearer token \\| true \\| rejected \\(HTTP 200\\) \\|`))
    expect(result.summary).toMatch(new RegExp(`\\| \`${noWhoami.url}\` \\| Bearer token \\| true \\| yes \\(HTTP 200\\) \\|`))
  })

  test('goes through HTTP_PROXY, and around it for a host in NO_PROXY', async () => {
    // A host name only the proxy can resolve: loopback addresses always bypass the proxy.
    const url = `http://registry.test:${f.registry.port}/`
    const before = proxy.targets.length
    const viaProxy = await action({ 'registry-url': url, token: f.tokenUser.token, verify: 'true' }, { HTTP_PROXY: proxy.url })

    expect(errorsOf(viaProxy)).toEqual([])
    expect(viaProxy.code).toBe(0)
    expect(proxy.targets.slice(before)).toEqual([`registry.test:${f.registry.port}`])

    const direct = await action(
      { 'registry-url': url, token: f.tokenUser.token, verify: 'true' },
      { HTTP_PROXY: proxy.url, NO_PROXY: 'registry.test' }
    )

    expect(direct.code).toBe(1)
    expect(errorsOf(direct)[0]).toContain(`Cannot reach ${url}: the host name does not resolve (DNS)`)
    expect(proxy.targets.length).toBe(before + 1)
  })
})

describe('login', () => {
  test('exchanges username + password for a token, masked before anything else, that lets the client in', async () => {
    const result = await action(
      { 'registry-url': f.registry.url, username: f.basicUser.name, password: f.basicUser.password, login: 'true', verify: 'true' },
      { RUNNER_DEBUG: '1' }
    )

    expect(errorsOf(result)).toEqual([])
    expect(result.code).toBe(0)
    const text = fs.readFileSync(configFile(result), 'utf8')
    const token = /^token = "(.+)"$/m.exec(text)?.[1] ?? ''
    expect(token).not.toBe('')
    expect(text).not.toContain('_auth')
    expect(text).not.toContain(f.basicUser.password)
    // The runner learns the token first; the entry is logged only after it.
    const lines = result.stdout.split('\n')
    expect(lines.indexOf(`::add-mask::${token}`)).toBeGreaterThanOrEqual(0)
    expect(lines.indexOf(`::add-mask::${token}`)).toBeLessThan(lines.findIndex(l => l.startsWith('added (login)')))
    expect(leakedSecrets(result, [token, f.basicUser.password])).toEqual([])
    expect(result.stdout).toContain(`${f.registry.url} accepted the credential (GET /-/whoami: HTTP 200).`)

    expect(
      await resolvePackage(configFile(result), { name: 'Example', url: f.registry.url, scopes: ['com.example'] }, f.pkg.name)
    ).toMatchObject({
      ok: true
    })
  })

  test('a wrong password fails before anything is written, naming the registry and the HTTP status', async () => {
    const dir = makeRunnerDir()
    const existing = '# mine\n[npmAuth."https://other.example.com/"]\ntoken = "keep-me"\n'
    fs.writeFileSync(path.join(dir, 'home', '.upmconfig.toml'), existing)

    const result = await action(
      { 'registry-url': f.registry.url, username: f.basicUser.name, password: 'canary-wrong-password-19be', login: 'true' },
      {},
      dir
    )

    expect(result.code).toBe(1)
    expect(errorsOf(result)).toEqual([
      `\`login\` to ${f.registry.url} as ${f.basicUser.name}: the registry rejected the user name or password (HTTP 401). Check the \`username\` and \`password\` secrets.`
    ])
    expect(fs.readFileSync(path.join(dir, 'home', '.upmconfig.toml'), 'utf8')).toBe(existing)
    expect(leakedSecrets(result, ['canary-wrong-password-19be'])).toEqual([])
  })

  test('a registry without npm login gets a clear error', async () => {
    const result = await action({ 'registry-url': noLogin.url, username: f.basicUser.name, password: f.basicUser.password, login: 'true' })

    expect(result.code).toBe(1)
    expect(errorsOf(result)[0]).toContain(
      `\`login\` to ${noLogin.url}: the registry does not support npm's login (PUT /-/user/org.couchdb.user:NAME answered HTTP 404). Create an access token`
    )
    expect(fs.existsSync(configFile(result))).toBe(false)
  })

  test('without username + password there is nothing to log in with', async () => {
    const result = await action({ 'registry-url': f.registry.url, token: f.tokenUser.token, login: 'true' })

    expect(result.code).toBe(1)
    expect(errorsOf(result)[0]).toMatch(/^Input `login` is true, but no registry has `username` \+ `password`/)
    expect(fs.existsSync(configFile(result))).toBe(false)
  })
})

test.each(['verify', 'login'])('`%s` must be true or false', async name => {
  const result = await action({ 'registry-url': f.registry.url, token: f.tokenUser.token, [name]: 'yes' })

  expect(result.code).toBe(1)
  expect(errorsOf(result)).toEqual([`Input \`${name}\` must be true or false, not "yes".`])
  expect(fs.existsSync(configFile(result))).toBe(false)
})

test('a plain run (verify and login off) sends nothing to the registry', async () => {
  const before = noWhoami.seen.length
  const result = await action({ 'registry-url': noWhoami.url, token: f.tokenUser.token })

  expect(result.code).toBe(0)
  expect(noWhoami.seen.length).toBe(before)
  expect(warningsOf(result)).toEqual([])
})
