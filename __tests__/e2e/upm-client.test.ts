/**
 * End to end: the bundled action writes the config file, then a UPM-like client resolves a
 * private Unity package from real Verdaccio registries with nothing but that file.
 *
 * Registry `a` serves everything itself; registry `b` writes tarball URLs that point to a
 * second port (another host in npm's sense), as registries behind a CDN do.
 */
import fs from 'node:fs'
import path from 'node:path'
import { leakedSecrets, makeRunnerDir, runAction as run, runPost } from '../support/action-runner.js'
import { errorsOf, warningsOf } from '../support/annotations.js'
import type { RunResult } from '../support/action-runner.js'
import { startFront } from '../support/http-servers.js'
import type { Front } from '../support/http-servers.js'
import { resolvePackage } from '../support/upm-client.js'
import type { ScopedRegistry } from '../support/upm-client.js'
import { startRegistryFixture, writeUnityPackage } from '../support/verdaccio.js'
import type { RegistryFixture } from '../support/verdaccio.js'

let a: RegistryFixture
let b: RegistryFixture
let tarballHost: Front

beforeAll(async () => {
  let bPort = 0
  tarballHost = await startFront({ targetPort: () => bPort })
  const started = await Promise.allSettled([startRegistryFixture(), startRegistryFixture({ publicUrl: tarballHost.url })])
  if (started[0].status === 'fulfilled') a = started[0].value
  if (started[1].status === 'fulfilled') b = started[1].value
  for (const s of started) if (s.status === 'rejected') throw s.reason
  bPort = b.registry.port
}, 90_000)

afterAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
  await Promise.all([a?.registry.stop(), b?.registry.stop(), tarballHost?.close()])
})

const scoped = (url: string): ScopedRegistry => ({ name: 'Example', url, scopes: ['com.example'] })
const configFile = (result: RunResult): string => path.join(result.home, '.upmconfig.toml')

async function configure(inputs: Record<string, string>): Promise<RunResult> {
  const result = await run({ inputs })
  expect(result.stderr).toBe('')
  expect(result.code).toBe(0)
  return result
}

describe('each credential form lets the client read the private package', () => {
  const forms: [string, (f: RegistryFixture) => Record<string, string>, (f: RegistryFixture) => string[]][] = [
    ['token', f => ({ token: f.tokenUser.token }), f => [f.tokenUser.token]],
    ['email + PAT', f => ({ email: f.emailUser.email, pat: f.emailUser.pat }), f => [f.emailUser.pat]],
    ['username + password', f => ({ username: f.basicUser.name, password: f.basicUser.password }), f => [f.basicUser.password]]
  ]
  test.each(forms)('%s', async (_form, credential, secrets) => {
    const result = await configure({ 'registry-url': a.registry.url, ...credential(a) })

    const resolved = await resolvePackage(configFile(result), scoped(a.registry.url), a.pkg.name)

    expect(resolved).toMatchObject({ ok: true, version: '1.0.0', tarballSentCredential: true })
    if (resolved.ok) expect(resolved.packageJson).toMatchObject({ name: 'com.example.hello', unity: '2021.3' })
    expect(leakedSecrets(result, secrets(a))).toEqual([])
  })
})

test('several registries from `registries`: each gets its own credential', async () => {
  const result = await configure({
    registries: [
      `[npmAuth."${a.registry.url}"]`,
      `token = "${a.tokenUser.token}"`,
      `[npmAuth."${b.registry.url}"]`,
      `email = "${b.emailUser.email}"`,
      `pat = "${b.emailUser.pat}"`
    ].join('\n')
  })

  expect(await resolvePackage(configFile(result), scoped(a.registry.url), a.pkg.name)).toMatchObject({ ok: true })
  expect(await resolvePackage(configFile(result), scoped(b.registry.url), b.pkg.name)).toMatchObject({ ok: true })
  expect(JSON.parse(result.outputs.registries)).toEqual([a.registry.url, b.registry.url])
})

describe('the registry refuses the client', () => {
  test('when the file has no entry for its URL', async () => {
    const result = await configure({ 'registry-url': b.registry.url, token: b.tokenUser.token })

    expect(await resolvePackage(configFile(result), scoped(a.registry.url), a.pkg.name)).toEqual({
      ok: false,
      step: 'packument',
      status: 401
    })
  })

  test('when the entry is for a URL that differs from the manifest only by a trailing slash', async () => {
    const result = await configure({ 'registry-url': a.registry.url, token: a.tokenUser.token })
    const withoutSlash = a.registry.url.replace(/\/$/, '')

    expect(await resolvePackage(configFile(result), scoped(withoutSlash), a.pkg.name)).toEqual({
      ok: false,
      step: 'packument',
      status: 401
    })
  })

  test('when the token is wrong (401)', async () => {
    const result = await configure({ 'registry-url': a.registry.url, token: 'canary-wrong-token-91d3' })

    expect(await resolvePackage(configFile(result), scoped(a.registry.url), a.pkg.name)).toEqual({
      ok: false,
      step: 'packument',
      status: 401
    })
  })
})

describe('alwaysAuth: tarballs served from another host than the metadata', () => {
  test.each([
    ['false', { ok: false, step: 'tarball', status: 401, tarballSentCredential: false }],
    ['true', { ok: true, tarballSentCredential: true }]
  ])('always-auth: %s', async (alwaysAuth, expected) => {
    const result = await configure({ 'registry-url': b.registry.url, token: b.tokenUser.token, 'always-auth': alwaysAuth })
    const before = tarballHost.seen.length

    const resolved = await resolvePackage(configFile(result), scoped(b.registry.url), b.pkg.name)

    expect(resolved).toMatchObject(expected)
    // The tarball really came from the other port, with a credential exactly when alwaysAuth is on.
    expect(tarballHost.seen.slice(before)).toEqual([
      { method: 'GET', path: `/${b.pkg.name}/-/${b.pkg.name}-1.0.0.tgz`, authorized: alwaysAuth === 'true' }
    ])
  })
})

/**
 * GitHub Packages' shape: the scoped registry URL names the owner as an npm scope
 * (`https://npm.pkg.github.com/@OWNER`), so Unity asks `<url>/com.owner.tool` for the package
 * stored as `@OWNER/com.owner.tool`. Verdaccio serves a scoped package at `/@scope/name`, which
 * is that shape.
 */
describe('a registry URL that ends in an npm scope (GitHub Packages)', () => {
  const scopedName = '@example/com.example.scoped'
  const unityName = 'com.example.scoped'
  const scopedUrl = (): string => `${a.registry.url}@example`

  beforeAll(async () => {
    const dir = writeUnityPackage(scopedName, '1.0.0')
    try {
      await a.registry.publish(dir, a.tokenUser.token)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)

  /**
   * A job whose Unity project takes `dependencies` from the scoped registry, its token read from
   * the step's environment as the README's recipe reads GITHUB_TOKEN (here the registry is a local
   * stand-in, not GitHub's, so the variable has a name of its own).
   */
  async function job(token: string, dependencies: string[]): Promise<RunResult> {
    const dir = makeRunnerDir()
    fs.mkdirSync(path.join(dir, 'Packages'))
    const manifest = {
      dependencies: Object.fromEntries(dependencies.map(name => [name, '1.0.0'])),
      scopedRegistries: [{ name: 'GitHub', url: scopedUrl(), scopes: ['com.example'] }]
    }
    fs.writeFileSync(path.join(dir, 'Packages', 'manifest.json'), JSON.stringify(manifest, null, 2))
    return run({
      dir,
      inputs: { registries: `[npmAuth."${scopedUrl()}"]\ntoken = "\${PACKAGES_TOKEN}"\n`, verify: 'true' },
      env: { PACKAGES_TOKEN: token, RUNNER_DEBUG: '1', UPM_AUTH_NETWORK_TIMEOUT_MS: '2000', UPM_AUTH_NETWORK_BACKOFF_MS: '50' }
    })
  }

  test('main: verify reads the package the manifest takes from it, with no warning; the client reads it; post takes the entry out', async () => {
    const main = await job(a.tokenUser.token, ['com.unity.ugui', unityName])

    expect(errorsOf(main)).toEqual([])
    expect(warningsOf(main)).toEqual([])
    expect(main.code).toBe(0)
    expect(main.stdout).toContain(
      `${scopedUrl()} let the credential read ${unityName}, which Packages/manifest.json takes from it (GET /${unityName}: HTTP 200).`
    )
    const resolved = await resolvePackage(configFile(main), { name: 'GitHub', url: scopedUrl(), scopes: ['com.example'] }, unityName)
    expect(resolved).toMatchObject({ ok: true, version: '1.0.0', tarballSentCredential: true })
    if (resolved.ok) expect(resolved.tarballUrl).toContain('/@example/com.example.scoped/-/')
    expect(leakedSecrets(main, [a.tokenUser.token])).toEqual([])

    const post = await runPost(main)
    expect(post.code).toBe(0)
    expect(fs.existsSync(configFile(main))).toBe(false)
    expect(leakedSecrets(post, [a.tokenUser.token])).toEqual([])
  })

  test('a wrong token fails the step: the registry refuses the package read', async () => {
    const main = await job('canary-wrong-gh-token-2b7e', [unityName])

    expect(main.code).toBe(1)
    const [error] = errorsOf(main)
    expect(error).toContain(`${scopedUrl()} rejected the credential (GET /${unityName}: HTTP 401).`)
    expect(error).not.toContain('Cannot reach')
    expect(leakedSecrets(main, ['canary-wrong-gh-token-2b7e'])).toEqual([])
  })

  test('a package the registry does not give this credential fails the step, saying Unity will not get it either', async () => {
    const main = await job(a.tokenUser.token, ['com.example.not-granted'])

    expect(main.code).toBe(1)
    const [error] = errorsOf(main)
    expect(error).toContain(
      `${scopedUrl()} has no com.example.not-granted that the credential may read (GET /com.example.not-granted: HTTP 404)`
    )
    expect(error).toContain('so Unity will not get it either')
  })
})
