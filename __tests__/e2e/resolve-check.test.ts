/**
 * End to end: `resolve-check` of the bundled action against real Verdaccio registries, with the
 * project's Packages/packages-lock.json (or manifest) in the workspace, as Unity writes them.
 *
 * - `f` serves every package itself, behind `front`, which records what it is asked;
 * - `cdn` writes tarball URLs that point to `tarballHost`, a second origin in front of it, as
 *   registries behind a CDN do;
 * - `tls` is reached over https through `tlsFront`, with the test-only CA.
 */
import fs from 'node:fs'
import path from 'node:path'
import { leakedSecrets, makeRunnerDir, runAction } from '../support/action-runner.js'
import type { RunResult } from '../support/action-runner.js'
import { annotationsOf, errorsOf, warningsOf } from '../support/annotations.js'
import { startForwardProxy, startFront, TEST_TLS } from '../support/http-servers.js'
import type { ForwardProxy, Front } from '../support/http-servers.js'
import { startRegistryFixture, writeUnityPackage } from '../support/verdaccio.js'
import type { RegistryFixture } from '../support/verdaccio.js'

/** Short timeouts and pauses so failure cases take milliseconds (internal knobs, see src/registry-http.ts). */
const FAST = { UPM_AUTH_NETWORK_TIMEOUT_MS: '2000', UPM_AUTH_NETWORK_BACKOFF_MS: '50' }

let f: RegistryFixture
let cdn: RegistryFixture
let tls: RegistryFixture
let front: Front
let tarballHost: Front
let tlsFront: Front
let proxy: ForwardProxy

beforeAll(async () => {
  let ports = { f: 0, cdn: 0, tls: 0 }
  front = await startFront({ targetPort: () => ports.f })
  tarballHost = await startFront({ targetPort: () => ports.cdn })
  tlsFront = await startFront({ targetPort: () => ports.tls, tls: { key: TEST_TLS.key(), cert: TEST_TLS.cert() } })
  proxy = await startForwardProxy()
  const started = await Promise.allSettled([
    startRegistryFixture(),
    startRegistryFixture({ publicUrl: tarballHost.url }),
    startRegistryFixture({ publicUrl: tlsFront.url })
  ])
  for (const s of started) if (s.status === 'rejected') throw s.reason
  ;[f, cdn, tls] = started.map(s => (s as PromiseFulfilledResult<RegistryFixture>).value)
  ports = { f: f.registry.port, cdn: cdn.registry.port, tls: tls.registry.port }
  // A package whose 1.0.0 was unpublished after a project locked it, and a package under an npm
  // scope, as GitHub Packages serves a UPM package at https://npm.pkg.github.com/@OWNER.
  await publish(f, 'com.example.gone', '1.0.0')
  await publish(f, 'com.example.gone', '1.1.0')
  await f.registry.unpublish('com.example.gone@1.0.0', f.tokenUser.token)
  await publish(f, '@example/com.example.tool', '1.0.0')
}, 120_000)

afterAll(async () => {
  /* eslint-disable @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed */
  await Promise.all([
    f?.registry.stop(),
    cdn?.registry.stop(),
    tls?.registry.stop(),
    front?.close(),
    tarballHost?.close(),
    tlsFront?.close(),
    proxy?.close()
  ])
  /* eslint-enable @typescript-eslint/no-unnecessary-condition */
})

async function publish(fixture: RegistryFixture, name: string, version: string): Promise<void> {
  const dir = writeUnityPackage(name, version)
  try {
    await fixture.registry.publish(dir, fixture.tokenUser.token)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

/** A lock file as Unity writes it, with the Unity packages every project has beside the registry packages given. */
function lockFile(registryPackages: Record<string, { version: string; url: string }>): string {
  const dependencies: Record<string, unknown> = {
    'com.unity.textmeshpro': { version: '3.0.6', depth: 0, source: 'registry', dependencies: {}, url: 'https://packages.unity.com' },
    'com.unity.modules.ui': { version: '1.0.0', depth: 0, source: 'builtin', dependencies: {} }
  }
  for (const [name, { version, url }] of Object.entries(registryPackages)) {
    dependencies[name] = { version, depth: 0, source: 'registry', dependencies: {}, url }
  }
  return JSON.stringify({ dependencies }, null, 2) + '\n'
}

interface Project {
  lock?: string | Buffer
  manifest?: Record<string, unknown>
}

/** A runner folder whose workspace holds the Unity project's Packages folder. */
function workspace(project: Project): string {
  const dir = makeRunnerDir()
  fs.mkdirSync(path.join(dir, 'Packages'))
  fs.writeFileSync(path.join(dir, 'Packages', 'manifest.json'), JSON.stringify(project.manifest ?? { dependencies: {} }, null, 2))
  if (project.lock !== undefined) fs.writeFileSync(path.join(dir, 'Packages', 'packages-lock.json'), project.lock)
  return dir
}

function check(
  project: Project,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
  dir = workspace(project)
): Promise<RunResult> {
  return runAction({ inputs: { 'resolve-check': 'true', ...inputs }, env: { ...FAST, RUNNER_DEBUG: '1', ...env }, dir })
}

const configFile = (result: RunResult): string => path.join(result.home, '.upmconfig.toml')
const secrets = (): string[] => [f.tokenUser.token, cdn.tokenUser.token, tls.tokenUser.token, f.tokenUser.password]
const seenSince = (server: Front, before: number): string[] =>
  server.seen.slice(before).map(s => `${s.method} ${s.path} ${s.authorized ? 'auth' : 'anon'}`)

test('a lock file whose packages all resolve: each says so; the Unity registry is not asked', async () => {
  const before = front.seen.length
  const result = await check(
    { lock: lockFile({ 'com.example.hello': { version: '1.0.0', url: front.url } }) },
    { 'registry-url': front.url, token: f.tokenUser.token }
  )

  expect(errorsOf(result)).toEqual([])
  expect(warningsOf(result)).toEqual([])
  expect(result.code).toBe(0)
  expect(result.stdout).toContain(
    `com.example.hello@1.0.0 from ${front.url} resolves: the registry lists the version, and its tarball on ${front.url.slice(0, -1)} answered HTTP 200.`
  )
  expect(result.stdout).toContain(
    `Not checked: 1 package from https://packages.unity.com: ${configFile(result)} has no credentials for it, so Unity asks it without any (fine for a public registry) (com.unity.textmeshpro).`
  )
  // One packument and one ranged tarball request, both with the credential; nothing for the builtin or Unity packages.
  expect(seenSince(front, before)).toEqual(['GET /com.example.hello auth', 'GET /com.example.hello/-/com.example.hello-1.0.0.tgz auth'])
  expect(result.summary).toContain('### Packages Unity will fetch (`resolve-check`)')
  expect(result.summary).toContain(`| \`com.example.hello\` | \`1.0.0\` | \`${front.url}\` | resolves (HTTP 200) |  |`)
  expect(leakedSecrets(result, secrets())).toEqual([])
})

test('a locked version that was unpublished fails the step, saying what to do; the file is written all the same', async () => {
  const result = await check(
    {
      lock: lockFile({
        'com.example.gone': { version: '1.0.0', url: f.registry.url },
        'com.example.hello': { version: '1.0.0', url: f.registry.url }
      })
    },
    { 'registry-url': f.registry.url, token: f.tokenUser.token }
  )

  expect(result.code).toBe(1)
  expect(errorsOf(result)).toEqual([
    `\`resolve-check\`: 1 of 2 packages checked in Packages/packages-lock.json cannot be fetched with the credentials in ${configFile(result)}. ` +
      `com.example.gone@1.0.0 from ${f.registry.url}: the registry has com.example.gone, but not version 1.0.0 (its latest is 1.1.0). ` +
      'The version was unpublished, or never published to this registry: publish it again, or update the package in Unity, which rewrites packages-lock.json. ' +
      `(${configFile(result)} was written all the same.)`
  ])
  expect(fs.readFileSync(configFile(result), 'utf8')).toContain(`[npmAuth."${f.registry.url}"]`)
  expect(result.stdout).toContain(`com.example.hello@1.0.0 from ${f.registry.url} resolves`)
  expect(result.summary).toContain(
    `| \`com.example.gone\` | \`1.0.0\` | \`${f.registry.url}\` | not in that registry (HTTP 200) | The version was unpublished`
  )
  expect(leakedSecrets(result, secrets())).toEqual([])
})

test('a registry that refuses the token: the step names the input to check', async () => {
  const wrong = 'canary-wrong-token-40d2'
  const result = await check(
    { lock: lockFile({ 'com.example.hello': { version: '1.0.0', url: f.registry.url } }) },
    { 'registry-url': f.registry.url, token: wrong }
  )

  expect(result.code).toBe(1)
  const [error] = errorsOf(result)
  expect(error).toContain(
    `com.example.hello@1.0.0 from ${f.registry.url}: the registry refused the credential (GET ${f.registry.url}com.example.hello: HTTP 401). ` +
      `Check the secret given as \`token\`, or as that key of the [npmAuth."${f.registry.url}"] table in \`registries\`: that it is current, belongs to this registry, and may read this package.`
  )
  expect(result.summary).toContain('| credential refused (HTTP 401) |')
  expect(leakedSecrets(result, [wrong, ...secrets()])).toEqual([])
})

test('without a lock file: a package in a scope no registry covers is named, and fetched from nowhere', async () => {
  const before = front.seen.length
  const manifest = {
    scopedRegistries: [{ name: 'Example', url: front.url, scopes: ['com.example'] }],
    dependencies: {
      'com.example.hello': '1.0.0',
      'com.stray.widget': '2.0.0',
      'com.unity.ugui': '1.0.0',
      'com.example.git': 'https://example.com/x.git'
    }
  }
  const result = await check({ manifest }, { 'registry-url': front.url, token: f.tokenUser.token })

  expect(errorsOf(result)).toEqual([])
  expect(result.code).toBe(0)
  expect(result.stdout).toContain(`com.example.hello@1.0.0 from ${front.url} resolves`)
  expect(result.stdout).toContain(
    'Not checked: 2 packages from https://packages.unity.com: no scoped registry in the manifest covers them, so Unity asks its main registry, without credentials (com.stray.widget, com.unity.ugui).'
  )
  expect(seenSince(front, before)).toEqual(['GET /com.example.hello auth', 'GET /com.example.hello/-/com.example.hello-1.0.0.tgz auth'])
  expect(result.summary).toContain('From `Packages/manifest.json`, with the credentials in')
})

describe('a tarball served from a second host', () => {
  const lock = (): string => lockFile({ 'com.example.hello': { version: '1.0.0', url: cdn.registry.url } })

  test('with alwaysAuth false, Unity sends it no credential: the step says so and how to fix it', async () => {
    const before = tarballHost.seen.length
    const result = await check({ lock: lock() }, { 'registry-url': cdn.registry.url, token: cdn.tokenUser.token, 'always-auth': 'false' })

    expect(result.code).toBe(1)
    expect(errorsOf(result)[0]).toContain(
      `com.example.hello@1.0.0 from ${cdn.registry.url}: it lives on another host than the registry, and alwaysAuth is false there, so Unity sends it no credential; ` +
        `without one, its tarball on ${tarballHost.url.slice(0, -1)} answered HTTP 401. Set \`always-auth: true\``
    )
    expect(seenSince(tarballHost, before)).toEqual(['GET /com.example.hello/-/com.example.hello-1.0.0.tgz anon'])
    expect(result.summary).toContain('| tarball host gets no credential (HTTP 401) |')
  })

  test('with alwaysAuth true, it gets the credential and resolves', async () => {
    const before = tarballHost.seen.length
    const result = await check({ lock: lock() }, { 'registry-url': cdn.registry.url, token: cdn.tokenUser.token, 'always-auth': 'true' })

    expect(errorsOf(result)).toEqual([])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`its tarball on ${tarballHost.url.slice(0, -1)} answered HTTP 200`)
    expect(seenSince(tarballHost, before)).toEqual(['GET /com.example.hello/-/com.example.hello-1.0.0.tgz auth'])
    expect(leakedSecrets(result, secrets())).toEqual([])
  })
})

test('a GitHub Packages URL with its @OWNER prefix: <url>/<name> is the scoped package; a missing one gets the GitHub hint', async () => {
  // npm.pkg.github.com, routed by the proxy to Verdaccio, which serves @example/com.example.tool.
  const url = `http://npm.pkg.github.com:${f.registry.port}/@example`
  const before = proxy.targets.length
  const result = await check(
    {
      lock: lockFile({ 'com.example.tool': { version: '1.0.0', url }, 'com.example.secret': { version: '1.0.0', url } })
    },
    { 'registry-url': url, token: f.tokenUser.token, 'manifest-check': 'off' },
    { HTTP_PROXY: proxy.url }
  )

  expect(result.code).toBe(1)
  expect(result.stdout).toContain(
    `com.example.tool@1.0.0 from ${url} resolves: the registry lists the version, and its tarball on http://npm.pkg.github.com:${f.registry.port} answered HTTP 200.`
  )
  const [error] = errorsOf(result)
  expect(error).toContain(
    `com.example.secret@1.0.0 from ${url}: the registry has no package com.example.secret (GET ${url}/com.example.secret: HTTP 404).`
  )
  expect(error).toContain('or this repository has not been granted access to it on GitHub Packages')
  expect(error).not.toContain('com.example.tool')
  expect(proxy.targets.slice(before).every(t => t === `npm.pkg.github.com:${f.registry.port}`)).toBe(true)
  expect(proxy.targets.length - before).toBe(3)
  expect(leakedSecrets(result, secrets())).toEqual([])
})

test('https with a private CA: trusted through NODE_EXTRA_CA_CERTS, as `verify` is', async () => {
  const project = { lock: lockFile({ 'com.example.hello': { version: '1.0.0', url: tlsFront.url } }) }
  const inputs = { 'registry-url': tlsFront.url, token: tls.tokenUser.token }

  const untrusted = await check(project, inputs)
  expect(untrusted.code).toBe(1)
  expect(errorsOf(untrusted)[0]).toContain(`com.example.hello@1.0.0 from ${tlsFront.url}: cannot be fetched: its TLS certificate`)
  expect(errorsOf(untrusted)[0]).toContain('add the CA with NODE_EXTRA_CA_CERTS')

  const trusted = await check(project, inputs, { NODE_EXTRA_CA_CERTS: TEST_TLS.caFile })
  expect(errorsOf(trusted)).toEqual([])
  expect(trusted.stdout).toContain(`com.example.hello@1.0.0 from ${tlsFront.url} resolves`)
})

describe('a hostile lock file is refused before the config file is written and before any request', () => {
  const existing = '# mine\n[npmAuth."https://other.example.com/"]\ntoken = "keep-me"\n'
  const named = (name: string): string =>
    JSON.stringify({ dependencies: { [name]: { version: '1.0.0', depth: 0, source: 'registry', dependencies: {}, url: 'FRONT' } } })

  test.each<[string, () => string | Buffer, string]>([
    [
      'huge',
      () => Buffer.alloc(5 * 1024 * 1024, 0x20),
      '`resolve-check` cannot use Packages/packages-lock.json, which is 5.2 MB; a Unity lock file holds some tens of kilobytes, and at most 4 MiB is read. No request was made for it.'
    ],
    [
      'not JSON',
      () => '{ "dependencies": { "com.example.hello": { "version": "1.0.0", } } }',
      '`resolve-check` cannot use the lock file Packages/packages-lock.json: it is not valid JSON (Unexpected character at line 1, column 64). No request was made for it.'
    ],
    [
      'a name with a line break',
      () => named('com.example.hello\n::error::owned'),
      '`resolve-check` cannot use the lock file Packages/packages-lock.json: the package name "com.example.hello\\\\n::error::owned" is not one Unity writes'
    ],
    [
      'a name with ../',
      () => named('../../-/user/org.couchdb.user:publisher'),
      '`resolve-check` cannot use the lock file Packages/packages-lock.json: the package name "../../-/user/org.couchdb.user:publisher" is not one Unity writes'
    ]
  ])('%s', async (_case, content, message) => {
    const dir = workspace({ lock: content() })
    const lockPath = path.join(dir, 'Packages', 'packages-lock.json')
    fs.writeFileSync(lockPath, fs.readFileSync(lockPath, 'latin1').replace('FRONT', front.url), 'latin1')
    fs.writeFileSync(path.join(dir, 'home', '.upmconfig.toml'), existing)
    const before = front.seen.length

    const result = await check({}, { 'registry-url': front.url, token: f.tokenUser.token }, {}, dir)

    expect(result.code).toBe(1)
    const errors = errorsOf(result)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toContain(message)
    expect(errors[0]).not.toMatch(/[\r\n]/)
    expect(annotationsOf(result).filter(a => a.message === 'owned')).toEqual([])
    expect(front.seen.length).toBe(before)
    expect(fs.readFileSync(path.join(dir, 'home', '.upmconfig.toml'), 'utf8')).toBe(existing)
    expect(leakedSecrets(result, secrets())).toEqual([])
  })
})

test('with `resolve-check` off (the default) the lock file is not read and nothing is asked', async () => {
  const dir = workspace({ lock: '{ not json' })
  const before = front.seen.length
  const result = await runAction({ inputs: { 'registry-url': front.url, token: f.tokenUser.token }, dir })

  expect(errorsOf(result)).toEqual([])
  expect(result.code).toBe(0)
  expect(front.seen.length).toBe(before)
  expect(result.summary).not.toContain('resolve-check')
})

test('`resolve-check` must be true or false, and needs the manifest', async () => {
  const bad = await check({}, { 'registry-url': front.url, token: f.tokenUser.token, 'resolve-check': 'yes' })
  expect(errorsOf(bad)).toEqual(['Input `resolve-check` must be true or false, not "yes".'])

  const noManifest = await check({}, { 'registry-url': front.url, token: f.tokenUser.token, manifest: '' })
  expect(noManifest.code).toBe(1)
  expect(errorsOf(noManifest)[0]).toMatch(/^Input `resolve-check` is true, but `manifest` is empty/)
  expect(fs.existsSync(configFile(noManifest))).toBe(false)
})
