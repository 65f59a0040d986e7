import fs from 'node:fs'
import path from 'node:path'
import type { NpmAuthEntry } from '../../src/entry.js'
import type { RegistryPackage } from '../../src/packages-lock.js'
import { LOCK_LIMIT, readProject, resolvePackages } from '../../src/resolve-check.js'
import type { ResolveContext } from '../../src/resolve-check.js'
import type { ResolveProject } from '../../src/resolve-verdicts.js'
import { tempDirEach } from '../support/fixtures.js'
import { startEndlessServer, startForwardProxy, startScriptedServer } from '../support/http-servers.js'
import type { RecordedRequest, ScriptedAnswer } from '../support/http-servers.js'

const NETWORK = { timeoutMs: 2000, attempts: 2, backoffMs: 10 }
const CONFIG = '/home/runner/.upmconfig.toml'
const TOKEN = 'canary-token-9d41'

/** A registry that serves `com.a.b@1.0.0` with its tarball at `tarball(url)`, scripted per path. */
async function registry(tarball: (url: string) => string, answers: Record<string, ScriptedAnswer> = {}) {
  let url = ''
  const server = await startScriptedServer(request => {
    if (Object.hasOwn(answers, request.path)) return answers[request.path]
    if (request.path === '/com.a.b') {
      return { status: 200, body: JSON.stringify({ versions: { '1.0.0': { dist: { tarball: tarball(url) } } } }) }
    }
    if (request.path.endsWith('.tgz')) return { status: request.headers.authorization ? 206 : 401 }
    return { status: 404 }
  })
  url = server.url
  return server
}

const pkg = (url: string, name = 'com.a.b'): RegistryPackage => ({ name, version: '1.0.0', url })
const project = (packages: RegistryPackage[]): ResolveProject => ({ file: 'Packages/packages-lock.json', from: 'lock', packages })
const context = (npmAuth: Record<string, unknown>, entries: NpmAuthEntry[] = []): ResolveContext => ({
  final: { npmAuth },
  entries,
  configFile: CONFIG,
  network: NETWORK
})
const authHeaders = (requests: RecordedRequest[]): (string | undefined)[] => requests.map(r => r.headers.authorization)

describe('resolvePackages', () => {
  test('fetches the packument with the credential, then a ranged GET of the tarball on the same origin', async () => {
    const server = await registry(url => `${url}com.a.b/-/com.a.b-1.0.0.tgz`)
    try {
      const result = await resolvePackages(project([pkg(server.url)]), context({ [server.url]: { token: TOKEN, alwaysAuth: false } }))

      expect(result.verdicts).toMatchObject([{ status: 'resolves', httpStatus: 206 }])
      expect(result.failure).toBeUndefined()
      expect(server.requests.map(r => [r.method, r.path, r.headers.range ?? ''])).toEqual([
        ['GET', '/com.a.b', ''],
        ['GET', '/com.a.b/-/com.a.b-1.0.0.tgz', 'bytes=0-0']
      ])
      expect(server.requests[0].headers.accept).toBe('application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*')
      expect(authHeaders(server.requests)).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`])
      expect(JSON.stringify(result)).not.toContain(TOKEN)
    } finally {
      await server.close()
    }
  })

  test('a tarball on another origin gets the credential only with alwaysAuth', async () => {
    const cdn = await startScriptedServer(request => ({ status: request.headers.authorization ? 200 : 401 }))
    const server = await registry(() => `${cdn.url}com.a.b-1.0.0.tgz`)
    try {
      const without = await resolvePackages(project([pkg(server.url)]), context({ [server.url]: { _auth: 'dTpw', alwaysAuth: false } }))
      expect(without.verdicts).toMatchObject([{ status: 'no-credential', httpStatus: 401 }])
      expect(without.verdicts[0].message).toContain('alwaysAuth is false there, so Unity sends it no credential')
      expect(without.verdicts[0].advice).toContain('Set `always-auth: true`')
      expect(without.failure).toMatch(/^`resolve-check`: 1 of 1 package checked in Packages\/packages-lock.json cannot be fetched/)

      const withIt = await resolvePackages(project([pkg(server.url)]), context({ [server.url]: { _auth: 'dTpw', alwaysAuth: true } }))
      expect(withIt.verdicts).toMatchObject([{ status: 'resolves', httpStatus: 200 }])
      expect(authHeaders(cdn.requests)).toEqual([undefined, 'Basic dTpw'])
    } finally {
      await Promise.all([server.close(), cdn.close()])
    }
  })

  test('follows a redirect, dropping the credential where it leaves the origin', async () => {
    const storage = await startScriptedServer(request => ({ status: request.headers.authorization ? 400 : 200 }))
    const server = await registry(url => `${url}download/com.a.b/1.0.0`, {
      '/download/com.a.b/1.0.0': { status: 302, headers: { location: '/moved/com.a.b-1.0.0.tgz' } },
      '/moved/com.a.b-1.0.0.tgz': { status: 302, headers: { location: `${storage.url}blob?sig=canary-signature` } }
    })
    try {
      const result = await resolvePackages(project([pkg(server.url)]), context({ [server.url]: { token: TOKEN, alwaysAuth: true } }))
      expect(result.verdicts).toMatchObject([{ status: 'resolves', httpStatus: 200 }])
      expect(authHeaders(server.requests)).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`, `Bearer ${TOKEN}`])
      expect(authHeaders(storage.requests)).toEqual([undefined])
      // A signed storage URL is a secret of sorts: only its origin is shown.
      expect(result.verdicts[0].message).toContain(`its tarball on ${new URL(storage.url).origin} answered HTTP 200`)
      expect(JSON.stringify(result)).not.toContain('canary-signature')
    } finally {
      await Promise.all([server.close(), storage.close()])
    }
  })

  test('never reads a tarball body, even from a host that ignores the range and sends without end', async () => {
    const endless = await startEndlessServer()
    const server = await registry(() => `${endless.url}com.a.b-1.0.0.tgz`)
    try {
      const result = await resolvePackages(project([pkg(server.url)]), context({ [server.url]: { token: TOKEN, alwaysAuth: true } }))
      // A read would have stopped at the 1 MiB limit and made the package unreachable ("larger than 1 MiB").
      expect(result.verdicts).toMatchObject([{ status: 'resolves', httpStatus: 200 }])
      // Nothing drained the stream: the server stopped at what the sockets buffered, not at its 64 MiB end.
      expect(endless.sent()).toBeLessThan(64 * 1024 * 1024)
    } finally {
      await Promise.all([server.close(), endless.close()])
    }
  })

  test.each<[string, Record<string, ScriptedAnswer>, Partial<{ status: string; httpStatus: number }>, RegExp]>([
    [
      'a refused credential',
      { '/com.a.b': { status: 401 } },
      { status: 'refused', httpStatus: 401 },
      /the registry refused the credential \(GET .*\/com\.a\.b: HTTP 401\)/
    ],
    ['no such package', { '/com.a.b': { status: 404 } }, { status: 'missing', httpStatus: 404 }, /the registry has no package com\.a\.b/],
    [
      'an unpublished version',
      { '/com.a.b': { status: 200, body: '{"dist-tags":{"latest":"1.1.0"},"versions":{"1.1.0":{}}}' } },
      { status: 'missing' },
      /has com\.a\.b, but not version 1\.0\.0 \(its latest is 1\.1\.0\)/
    ],
    [
      'a tarball that is gone',
      { '/com.a.b/-/com.a.b-1.0.0.tgz': { status: 404 } },
      { status: 'missing', httpStatus: 404 },
      /lists the version, but its tarball/
    ],
    [
      'a registry that keeps failing',
      { '/com.a.b': { status: 503 } },
      { status: 'unreachable', httpStatus: 503 },
      /cannot be fetched: it answered HTTP 503 \(2 attempts\)/
    ]
  ])('%s', async (_case, answers, expected, message) => {
    const server = await registry(url => `${url}com.a.b/-/com.a.b-1.0.0.tgz`, answers)
    try {
      const result = await resolvePackages(project([pkg(server.url)]), context({ [server.url]: { token: TOKEN, alwaysAuth: true } }))
      expect(result.verdicts).toMatchObject([expected])
      expect(result.verdicts[0].message).toMatch(message)
      expect(result.failure).toContain(result.verdicts[0].message)
      expect(JSON.stringify(result)).not.toContain(TOKEN)
    } finally {
      await server.close()
    }
  })

  test.each<[string, NpmAuthEntry | undefined, string]>([
    ['token', { url: '', form: 'token', token: TOKEN, alwaysAuth: true }, 'the secret given as `token`'],
    ['email + PAT', { url: '', form: 'email+pat', _auth: 'x', alwaysAuth: true }, 'the secrets given as `email` and `pat`'],
    ['username + password', { url: '', form: 'username+password', _auth: 'x', alwaysAuth: true }, 'given as `username` and `password`'],
    ['a table this step did not write', undefined, 'that was already in the config file (this step did not write it)']
  ])('a refused %s names where the credential came from', async (_case, entry, hint) => {
    const server = await registry(() => '', { '/com.a.b': { status: 403 } })
    try {
      const entries = entry ? [{ ...entry, url: server.url }] : []
      const result = await resolvePackages(project([pkg(server.url)]), context({ [server.url]: { token: TOKEN } }, entries))
      expect(result.verdicts[0].advice).toContain(hint)
    } finally {
      await server.close()
    }
  })

  test('says what GitHub Packages needs, for its URL', async () => {
    const server = await registry(() => '', { '/@owner/com.a.b': { status: 404 } })
    const proxy = await startForwardProxy()
    const saved = process.env.HTTP_PROXY
    process.env.HTTP_PROXY = proxy.url
    try {
      const url = `http://npm.pkg.github.com:${new URL(server.url).port}/@owner`
      const result = await resolvePackages(project([pkg(url)]), context({ [url]: { token: TOKEN } }))
      expect(server.requests.map(r => r.path)).toEqual(['/@owner/com.a.b'])
      expect(result.verdicts[0].advice).toContain('this repository has not been granted access to it on GitHub Packages')
    } finally {
      if (saved === undefined) delete process.env.HTTP_PROXY
      else process.env.HTTP_PROXY = saved
      await Promise.all([server.close(), proxy.close()])
    }
  })

  test('asks nothing of registries the file has no usable credential for, and says so', async () => {
    const server = await registry(() => '')
    try {
      const packages = [
        pkg(server.url, 'com.a.none'),
        pkg('https://packages.unity.com', 'com.unity.ugui'),
        { ...pkg('https://packages.unity.com', 'com.stray.pkg'), unscoped: true as const },
        pkg('https://both.example/', 'com.a.both')
      ]
      const result = await resolvePackages(project(packages), context({ 'https://both.example/': { token: 'a', _auth: 'b' } }))
      expect(result.verdicts).toEqual([])
      expect(server.requests).toEqual([])
      expect(result.notChecked.map(g => [g.names, g.reason])).toEqual([
        [['com.a.none'], expect.stringContaining(`${CONFIG} has no credentials for it`)],
        [['com.unity.ugui'], expect.stringContaining(`${CONFIG} has no credentials for it`)],
        [['com.stray.pkg'], expect.stringContaining('no scoped registry in the manifest covers them')],
        [['com.a.both'], expect.stringContaining('no single `token` or `_auth`')]
      ])
      expect(result.messages.at(-1)?.level).toBe('warning')
      expect(result.messages.at(-1)?.text).toContain('`resolve-check` checked nothing')
      expect(result.failure).toBeUndefined()
    } finally {
      await server.close()
    }
  })
})

describe('readProject', () => {
  const dir = tempDirEach('resolve-project-')
  const write = (file: string, text: string | Buffer): void => {
    fs.mkdirSync(path.dirname(path.join(dir.path, file)), { recursive: true })
    fs.writeFileSync(path.join(dir.path, file), text)
  }
  const lock = JSON.stringify({ dependencies: { 'com.a.b': { version: '1.0.0', source: 'registry', url: 'https://r.example/' } } })

  test('reads the lock file beside the manifest', () => {
    write('game/Packages/manifest.json', '{}')
    write('game/Packages/packages-lock.json', lock)
    expect(readProject('game/Packages/manifest.json', dir.path)).toEqual({
      file: 'game/Packages/packages-lock.json',
      from: 'lock',
      packages: [{ name: 'com.a.b', version: '1.0.0', url: 'https://r.example/' }]
    })
  })

  test('falls back to the manifest without a lock file', () => {
    write('Packages/manifest.json', JSON.stringify({ dependencies: { 'com.unity.ugui': '2.0.0' } }))
    expect(readProject('Packages/manifest.json', dir.path)).toMatchObject({ file: 'Packages/manifest.json', from: 'manifest' })
  })

  test('says what to set when there is neither, or no manifest input', () => {
    expect(() => readProject('Packages/manifest.json', dir.path)).toThrow(
      'Input `resolve-check` is true, but there is neither Packages/packages-lock.json nor Packages/manifest.json.'
    )
    expect(() => readProject('', dir.path)).toThrow('Input `resolve-check` is true, but `manifest` is empty')
  })

  test('refuses a lock file over the limit, and one that links out of the workspace', () => {
    write('Packages/packages-lock.json', Buffer.alloc(LOCK_LIMIT.bytes + 1, 0x20))
    expect(() => readProject('Packages/manifest.json', dir.path)).toThrow(
      /^`resolve-check` cannot use Packages\/packages-lock.json, which is 4\.2 MB; a Unity lock file holds some tens of kilobytes, and at most 4 MiB is read\. No request was made for it\.$/
    )
    fs.rmSync(path.join(dir.path, 'Packages/packages-lock.json'))
    fs.symlinkSync('/etc/hostname', path.join(dir.path, 'Packages/packages-lock.json'))
    expect(() => readProject('Packages/manifest.json', dir.path)).toThrow('which is a link that leads out of the workspace')
  })
})
