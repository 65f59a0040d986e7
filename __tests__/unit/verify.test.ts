import type { NpmAuthEntry } from '../../src/entry.js'
import { judgeWhoami, verificationFailure, verifyEntry } from '../../src/verify.js'
import type { VerifyResult } from '../../src/verify.js'
import { startScriptedServer } from '../support/http-servers.js'
import type { LoadedManifest } from '../../src/manifest-check.js'
import type { ScriptedAnswer } from '../support/http-servers.js'
import { freePort } from '../support/http-servers.js'

const FAST = { timeoutMs: 2000, attempts: 2, backoffMs: 10 }

describe('judgeWhoami', () => {
  test.each([
    [200, '{"username":"builder"}', 'ok'],
    [200, '{}', 'anonymous'],
    [200, '{"username":""}', 'anonymous'],
    [200, '{"username":null}', 'anonymous'],
    [401, '', 'rejected'],
    [403, '{"error":"forbidden"}', 'rejected'],
    [404, '', 'unsupported'],
    [405, '', 'unsupported'],
    [200, '<html>login page</html>', 'unsupported'],
    [200, '"builder"', 'unsupported'],
    [302, '', 'unsupported']
  ])('HTTP %i %s -> %s', (status, body, expected) => {
    expect(judgeWhoami(status, body)).toBe(expected)
  })
})

describe('verifyEntry against registries that answer in different ways', () => {
  const entry = (url: string, credential: Partial<NpmAuthEntry>): NpmAuthEntry => ({ url, alwaysAuth: true, form: 'token', ...credential })

  test.each<[string, Record<string, ScriptedAnswer>, Partial<VerifyResult>]>([
    ['whoami with a user name', { '/-/whoami': { status: 200, body: '{"username":"u"}' } }, { status: 'ok', httpStatus: 200 }],
    ['whoami 401', { '/-/whoami': { status: 401 } }, { status: 'rejected', httpStatus: 401 }],
    ['whoami as anonymous', { '/-/whoami': { status: 200, body: '{}' } }, { status: 'rejected', httpStatus: 200 }],
    [
      'no whoami, search 200',
      { '/-/whoami': { status: 404 }, search: { status: 200, body: '{"objects":[]}' } },
      { status: 'ok', httpStatus: 200 }
    ],
    [
      'no whoami, search 401 (Azure-like)',
      { '/-/whoami': { status: 404 }, search: { status: 401 } },
      { status: 'rejected', httpStatus: 401 }
    ],
    ['neither endpoint', { '/-/whoami': { status: 404 }, search: { status: 404 } }, { status: 'unverified', httpStatus: 404 }],
    ['server errors on every attempt', { '/-/whoami': { status: 503 } }, { status: 'unreachable', httpStatus: 503 }]
  ])('%s', async (_case, answers, expected) => {
    const server = await startScriptedServer(r => answers[r.path.startsWith('/-/v1/search') ? 'search' : r.path] ?? { status: 500 })
    try {
      const result = await verifyEntry(entry(server.url, { token: 'canary-token-4411' }), FAST)
      expect(result).toMatchObject({ url: server.url, ...expected })
      expect(result.message).toContain(server.url)
      expect(result.message).not.toContain('canary')
      for (const request of server.requests) expect(request.headers.authorization).toBe('Bearer canary-token-4411')
    } finally {
      await server.close()
    }
  })

  test('sends `_auth` as Basic', async () => {
    const server = await startScriptedServer(() => ({ status: 200, body: '{"username":"u"}' }))
    try {
      await verifyEntry(entry(server.url, { _auth: 'dTpw', form: 'auth' }), FAST)
      expect(server.requests.map(r => [r.method, r.path, r.headers.authorization])).toEqual([['GET', '/-/whoami', 'Basic dTpw']])
    } finally {
      await server.close()
    }
  })

  test('a closed port is unreachable, not rejected', async () => {
    const url = `http://127.0.0.1:${await freePort()}/`
    const result = await verifyEntry(entry(url, { token: 't' }), FAST)
    expect(result).toEqual({
      url,
      status: 'unreachable',
      httpStatus: undefined,
      message: expect.stringMatching(/^Cannot reach .*refused.*\(2 attempts\)\.$/) as string
    })
  })
})

describe('a registry URL that ends in an npm scope (GitHub Packages: https://npm.pkg.github.com/@OWNER)', () => {
  const entry = (url: string): NpmAuthEntry => ({ url, token: 'canary-gh-token-77a0', alwaysAuth: true, form: 'token' })
  const manifestFor = (url: string, dependencies = ['com.unity.ugui', 'com.octo-org.fsm']): LoadedManifest => ({
    shown: 'Packages/manifest.json',
    inWorkspace: true,
    registries: [{ name: 'GitHub', url, scopes: ['com.octo-org'] }],
    dependencies
  })

  test.each<[string, ScriptedAnswer, Partial<VerifyResult>, RegExp]>([
    [
      'the package is read',
      { status: 200, body: '{"name":"@octo-org/com.octo-org.fsm","versions":{}}' },
      { status: 'ok', httpStatus: 200 },
      /let the credential read com\.octo-org\.fsm, which Packages\/manifest\.json takes from it \(GET \/com\.octo-org\.fsm: HTTP 200\)/
    ],
    ['401', { status: 401 }, { status: 'rejected', httpStatus: 401 }, /rejected the credential \(GET \/com\.octo-org\.fsm: HTTP 401\)/],
    ['403', { status: 403 }, { status: 'rejected', httpStatus: 403 }, /rejected the credential/],
    [
      '404: nothing Unity could get either',
      { status: 404 },
      { status: 'rejected', httpStatus: 404 },
      /has no com\.octo-org\.fsm that the credential may read .*so Unity will not get it either\.$/
    ],
    [
      '200 that is not a package document',
      { status: 200, body: '<html>sign in</html>' },
      { status: 'unverified', httpStatus: 200 },
      /answered HTTP 200 with something that is not a package document/
    ],
    ['another status', { status: 410 }, { status: 'unverified', httpStatus: 410 }, /answered HTTP 410\./]
  ])('%s', async (_case, answer, expected, message) => {
    const server = await startScriptedServer(() => answer)
    try {
      const url = `${server.url}@octo-org`
      const result = await verifyEntry(entry(url), FAST, manifestFor(url))
      expect(result).toMatchObject({ url, ...expected })
      expect(result.message).toMatch(message)
      expect(result.message).not.toContain('canary')
      // One request, the one Unity makes for the package, with the header Unity sends; no /-/whoami, no search.
      expect(server.requests.map(r => [r.method, r.path, r.headers.authorization])).toEqual([
        ['GET', '/@octo-org/com.octo-org.fsm', 'Bearer canary-gh-token-77a0']
      ])
    } finally {
      await server.close()
    }
  })

  test('with a trailing slash on the URL, the same request', async () => {
    const server = await startScriptedServer(() => ({ status: 200, body: '{"name":"x"}' }))
    try {
      const url = `${server.url}@octo-org/`
      expect(await verifyEntry(entry(url), FAST, manifestFor(url))).toMatchObject({ status: 'ok' })
      expect(server.requests.map(r => r.path)).toEqual(['/@octo-org/com.octo-org.fsm'])
    } finally {
      await server.close()
    }
  })

  test.each([
    ['no manifest was read', undefined, /no manifest was read \(see the inputs `manifest` and `manifest-check`\)/],
    ['the manifest takes nothing from it', ['com.unity.ugui'], /Packages\/manifest\.json takes none from this registry/],
    ['the only name is not a Unity package name', ['com.octo-org.fsm/../../-/whoami'], /takes none from this registry/]
  ])('cannot tell, and asks nothing, when %s', async (_case, dependencies, message) => {
    const server = await startScriptedServer(() => ({ status: 200, body: '{"username":"u"}' }))
    try {
      const url = `${server.url}@octo-org`
      const result = await verifyEntry(entry(url), FAST, dependencies && manifestFor(url, dependencies))
      expect(result).toMatchObject({ url, status: 'unverified' })
      expect(result.message).toMatch(message)
      expect(server.requests).toEqual([])
    } finally {
      await server.close()
    }
  })

  test('a 404 from GitHub Packages says what GitHub needs (here GitHub Enterprise Server with subdomain isolation off)', async () => {
    const server = await startScriptedServer(() => ({ status: 404 }))
    const serverUrl = process.env.GITHUB_SERVER_URL
    // The registry of the GitHub the job runs on: HOSTNAME/_registry/npm/, owner as the scope.
    process.env.GITHUB_SERVER_URL = server.url.replace(/\/$/, '')
    try {
      const url = `${server.url}_registry/npm/@octo-org`
      const result = await verifyEntry(entry(url), FAST, manifestFor(url))
      expect(result).toMatchObject({ status: 'rejected', httpStatus: 404 })
      expect(result.message).toContain(
        'On GitHub Packages: give this repository read access to the package (package settings, Manage Actions access)'
      )
      expect(result.message).toContain('GitHub Packages accepts no fine-grained token')
      expect(server.requests.map(r => r.path)).toEqual(['/_registry/npm/@octo-org/com.octo-org.fsm'])
    } finally {
      if (serverUrl === undefined) delete process.env.GITHUB_SERVER_URL
      else process.env.GITHUB_SERVER_URL = serverUrl
      await server.close()
    }
  })
})

describe('verificationFailure', () => {
  const result = (url: string, status: VerifyResult['status']): VerifyResult => ({ url, status, message: `<${url} ${status}>` })

  test('nothing to report when no registry rejected or was unreachable', () => {
    expect(verificationFailure([result('a', 'ok'), result('b', 'unverified')])).toBeUndefined()
  })

  test('names each failed registry, with advice for each kind', () => {
    const text = verificationFailure([result('a', 'rejected'), result('b', 'ok'), result('c', 'unreachable')]) ?? ''
    expect(text).toMatch(/^`verify` failed for 2 of 3 registries\. <a rejected> Check that the secret is current/)
    expect(text).toContain('<c unreachable> Check the URL')
    expect(text).not.toContain('<b ok>')
  })

  test('one registry', () => {
    expect(verificationFailure([result('a', 'rejected')])).toMatch(/^`verify` failed for 1 of 1 registry\./)
  })
})

describe('a credential HTTP cannot carry', () => {
  test.each([
    [
      'token',
      { token: 'tok\u0007SECRET' },
      /^The `token` for https:\/\/upm\.example\.com\/ .* input `token` or as key `token` of the `registries` table \[npmAuth\."https:\/\/upm\.example\.com\/"\]/
    ],
    ['auth', { _auth: 'dTpw\u0000SECRET' }, /^The `_auth` for https:\/\/upm\.example\.com\/ .* input `auth` or as key `_auth`/],
    ['token', { token: 'tok\u0100SECRET' }, /holds a control character or a character above U\+00FF/]
  ])('a %s with a character a header cannot hold is named, never quoted, before any request', async (form, credential, message) => {
    // A host that does not resolve: a request would end as "Cannot reach", which is what must not happen.
    const entry: NpmAuthEntry = { url: 'https://upm.example.com/', alwaysAuth: true, form: form as 'token' | 'auth', ...credential }
    const error = await verifyEntry(entry, FAST).catch((e: unknown) => e as Error)
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toMatch(message)
    expect((error as Error).message).not.toContain('SECRET')
  })
})
