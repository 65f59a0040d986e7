import type { NpmAuthEntry } from '../../src/entry.js'
import { judgeWhoami, verificationFailure, verifyEntry } from '../../src/verify.js'
import type { VerifyResult } from '../../src/verify.js'
import { startScriptedServer } from '../support/http-servers.js'
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
