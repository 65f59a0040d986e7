import { decodeBasicAuth, loginEntries, loginEntry, loginFailure, tokenOf } from '../../src/login.js'
import { basicAuth } from '../../src/registries.js'
import type { NpmAuthEntry } from '../../src/entry.js'
import { startScriptedServer } from '../support/http-servers.js'
import type { RecordedRequest, ScriptedAnswer } from '../support/http-servers.js'

const FAST = { timeoutMs: 2000, attempts: 2, backoffMs: 10 }

test.each([
  ['builder', 'pa55'],
  ['builder', 'with:colons:inside'],
  ['dev@example.com', 'pätß wörd'],
  ['u', '']
])('decodeBasicAuth(basicAuth(%s, %s))', (user, password) => {
  expect(decodeBasicAuth(basicAuth(user, password))).toEqual({ user, password })
})

test.each([
  ['{"ok":"you are authenticated","token":"abc.DEF-123_="}', 'abc.DEF-123_='],
  ['{"token":""}', undefined],
  ['{"token":"two words"}', undefined],
  ['{"token":"line\\nbreak"}', undefined],
  ['{"token":42}', undefined],
  ['{"ok":true}', undefined],
  ['null', undefined],
  ['not json', undefined]
])('tokenOf(%s)', (body, expected) => {
  expect(tokenOf(body)).toBe(expected)
})

describe('loginFailure', () => {
  const headers = (values: Record<string, string> = {}): Headers => new Headers(values)
  test.each([
    [201, {}, /answered HTTP 201 without a token, so it does not hand out tokens this way/],
    [401, { 'www-authenticate': 'OTP' }, /one-time password/],
    [401, {}, /as builder: the registry rejected the user name or password \(HTTP 401\)/],
    [409, {}, /HTTP 409, which npm-style registries answer when the user exists and the password does not match/],
    [400, {}, /HTTP 400, which npm reads as "there is no user with this name"/],
    [403, {}, /forbids it \(HTTP 403\)/],
    [404, {}, /does not support npm's login \(PUT \/-\/user\/org\.couchdb\.user:NAME answered HTTP 404\)/],
    [405, {}, /does not support npm's login/],
    [501, {}, /does not support npm's login/],
    [418, {}, /refused \(HTTP 418\)/]
  ])('HTTP %i %j', (status, values, expected) => {
    const message = loginFailure('https://upm.example.com/', 'builder', { status, headers: headers(values) })
    expect(message).toMatch(expected)
    expect(message).toContain('https://upm.example.com/')
  })
})

describe('loginEntry against a registry', () => {
  const entry = (url: string, overrides: Partial<NpmAuthEntry> = {}): NpmAuthEntry => ({
    url,
    _auth: basicAuth('dev@example.com', 'canary-pw-8e8e'),
    email: 'dev@example.com',
    alwaysAuth: false,
    form: 'username+password',
    ...overrides
  })

  async function withRegistry(
    answer: (r: RecordedRequest) => ScriptedAnswer,
    body: (url: string, requests: RecordedRequest[]) => Promise<void>
  ): Promise<void> {
    const server = await startScriptedServer(answer)
    try {
      await body(server.url, server.requests)
    } finally {
      await server.close()
    }
  }

  test('logs in as npm does and returns a token entry, masking the token first', async () => {
    await withRegistry(
      () => ({ status: 201, body: '{"ok":"created","token":"canary-new-token-31"}' }),
      async (url, requests) => {
        const told: string[] = []
        const result = await loginEntry(entry(url), {
          network: FAST,
          mask: values => told.push(...values.map(v => `mask ${v}`)),
          minted: e => told.push(`minted ${e.token ?? ''}`)
        })

        expect(result).toEqual({ url, token: 'canary-new-token-31', email: 'dev@example.com', alwaysAuth: false, form: 'login' })
        // Masked first, then told as minted (for the post step to revoke).
        expect(told).toEqual(['mask canary-new-token-31', 'minted canary-new-token-31'])
        expect(requests).toHaveLength(1)
        const [request] = requests
        expect(request.method).toBe('PUT')
        expect(request.path).toBe('/-/user/org.couchdb.user:dev%40example.com')
        expect(request.headers.authorization).toBe(`Basic ${basicAuth('dev@example.com', 'canary-pw-8e8e')}`)
        expect(request.headers['content-type']).toBe('application/json')
        expect(JSON.parse(request.body)).toMatchObject({
          _id: 'org.couchdb.user:dev@example.com',
          name: 'dev@example.com',
          password: 'canary-pw-8e8e',
          type: 'user',
          roles: []
        })
      }
    )
  })

  test('a refusal names the registry and the status, never the password', async () => {
    await withRegistry(
      () => ({ status: 409, body: '{"error":"canary-pw-8e8e is wrong"}' }),
      async url => {
        const masked: string[] = []
        const failure = loginEntry(entry(url), { network: FAST, mask: values => masked.push(...values), minted: e => masked.push(e.url) })
        await expect(failure).rejects.toThrow(`\`login\` to ${url} as dev@example.com: the registry refused (HTTP 409`)
        await expect(failure).rejects.not.toThrow('canary-pw-8e8e')
        expect(masked).toEqual([])
      }
    )
  })

  test('loginEntries turns only username + password entries into tokens and reports every failure', async () => {
    await withRegistry(
      r => (r.path.endsWith(':good') ? { status: 201, body: '{"token":"t-good"}' } : { status: 401 }),
      async url => {
        const good = entry(`${url}a/`, { _auth: basicAuth('good', 'pw') })
        const bad1 = entry(`${url}b/`, { _auth: basicAuth('bad1', 'pw') })
        const bad2 = entry(`${url}c/`, { _auth: basicAuth('bad2', 'pw') })
        const token: NpmAuthEntry = { url: `${url}d/`, token: 'keep', alwaysAuth: true, form: 'token' }
        const minted: string[] = []
        const options = { network: FAST, mask: () => undefined, minted: (e: NpmAuthEntry) => minted.push(e.token ?? '') }

        expect(await loginEntries([good, token], options)).toEqual([
          { url: `${url}a/`, token: 't-good', email: 'dev@example.com', alwaysAuth: false, form: 'login' },
          token
        ])
        expect(minted).toEqual(['t-good'])
        const failure = loginEntries([good, bad1, bad2], options)
        await expect(failure).rejects.toThrow(/as bad1: .*HTTP 401.* as bad2: .*HTTP 401/)
        // The good login's token was minted all the same: the post step must know of it.
        expect(minted).toEqual(['t-good', 't-good'])
        await expect(loginEntries([token], options)).rejects.toThrow(/^Input `login` is true, but no registry has `username` \+ `password`/)
      }
    )
  })
})
