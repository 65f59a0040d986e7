import { jest } from '@jest/globals'
import { DEFAULT_AUDIENCES, errorText, exchangeEntries, exchangeUrl } from '../../src/oidc.js'
import { buildEntries, parseRegistriesInput } from '../../src/registries.js'
import type { NpmAuthEntry, OidcRequest, RegistryInputs } from '../../src/registries.js'
import { startScriptedServer } from '../support/http-servers.js'

const NETWORK = { timeoutMs: 500, attempts: 3, backoffMs: 10 }

function inputs(overrides: Partial<RegistryInputs>): RegistryInputs {
  return {
    registryUrl: '',
    token: '',
    auth: '',
    email: '',
    pat: '',
    username: '',
    password: '',
    oidc: '',
    oidcAudience: '',
    oidcProviderName: '',
    oidcService: '',
    oidcExchangeUrl: '',
    alwaysAuth: 'true',
    registries: '',
    ...overrides
  }
}

const request = (overrides: Partial<OidcRequest>): OidcRequest => ({
  provider: 'cloudsmith',
  audience: '',
  name: 'svc',
  exchangeUrl: '',
  labels: { name: 'input `oidc-service`', audience: 'input `oidc-audience`', exchangeUrl: 'input `oidc-exchange-url`' },
  ...overrides
})

describe('entries', () => {
  test('input oidc makes an entry without a token, with the provider settings', () => {
    const { entries } = buildEntries(inputs({ registryUrl: 'https://acme.jfrog.io/artifactory/api/npm/upm/', oidc: 'artifactory', oidcProviderName: 'gh' }), [])
    expect(entries).toEqual([
      expect.objectContaining({ url: 'https://acme.jfrog.io/artifactory/api/npm/upm/', form: 'oidc', oidc: expect.objectContaining({ provider: 'artifactory', name: 'gh', audience: '' }) })
    ])
    expect(entries[0].token).toBeUndefined()
  })

  test.each([
    [{ oidc: 'jfrog' }, 'Input `oidc` must be artifactory or cloudsmith'],
    [{ oidc: 'artifactory' }, 'needs input `oidc-provider-name`'],
    [{ oidc: 'cloudsmith' }, 'needs input `oidc-service`'],
    [{ oidc: 'artifactory', oidcProviderName: 'gh', oidcService: 's' }, 'Input `oidc-service` does not apply to artifactory'],
    [{ oidc: 'artifactory', oidcProviderName: 'gh', pat: 'p', email: 'a@b.c' }, 'drop `pat`'],
    [{ oidc: 'cloudsmith', oidcService: 's', username: 'u', password: 'p' }, 'drop `username`, `password`'],
    [{ oidcService: 's' }, 'Input `oidc-service` is set without input `oidc`']
  ])('refuses %o', (given, message) => {
    expect(() => buildEntries(inputs({ registryUrl: 'https://npm.cloudsmith.io/org/repo/', ...given }), [])).toThrow(message)
  })

  test('registries tables take the same keys, named as keys in errors', () => {
    const tables = parseRegistriesInput('[npmAuth."https://npm.cloudsmith.io/org/repo/"]\noidc = "cloudsmith"\noidc-service = "svc"\noidc-audience = "aud"\n')
    const { entries } = buildEntries(inputs({}), tables)
    expect(entries[0].oidc).toMatchObject({ provider: 'cloudsmith', name: 'svc', audience: 'aud' })
    const bad = parseRegistriesInput('[npmAuth."https://x.example.com/"]\noidc = "cloudsmith"\noidc-service = "svc"\n_auth = "dTpw"\n')
    expect(() => buildEntries(inputs({}), bad)).toThrow('[npmAuth."https://x.example.com/"] key `oidc` and also `registries` table [npmAuth."https://x.example.com/"] key `_auth`. With OIDC the registry hands out the token, so no stored credential is needed: drop `_auth`.')
  })
})

describe('exchangeUrl', () => {
  test('Artifactory: the origin of the registry URL', () => {
    expect(exchangeUrl('https://acme.jfrog.io/artifactory/api/npm/upm/', request({ provider: 'artifactory' }))).toBe('https://acme.jfrog.io/access/api/v1/oidc/token')
  })
  test('Cloudsmith: the org of npm.cloudsmith.io/<org>/<repo>/', () => {
    expect(exchangeUrl('https://npm.cloudsmith.io/example-studio/unity/', request({}))).toBe('https://api.cloudsmith.io/openid/example-studio/')
    expect(() => exchangeUrl('https://dl.cloudsmith.io/basic/org/repo/npm/', request({}))).toThrow('set input `oidc-exchange-url`')
  })
  test('oidc-exchange-url wins, and must be a URL', () => {
    expect(exchangeUrl('https://npm.cloudsmith.io/a/b/', request({ exchangeUrl: 'https://cs.internal/openid/a/' }))).toBe('https://cs.internal/openid/a/')
    expect(() => exchangeUrl('https://npm.cloudsmith.io/a/b/', request({ exchangeUrl: 'cs.internal' }))).toThrow('Input `oidc-exchange-url` is not an absolute URL.')
  })
})

describe('exchangeEntries', () => {
  const env = { ...process.env }
  beforeEach(() => {
    process.env.ACTIONS_ID_TOKEN_REQUEST_URL = 'http://127.0.0.1:9/unused?x=1'
    process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = 'request-token'
  })
  afterEach(() => {
    process.env = { ...env }
  })

  test('asks for one ID token per audience, masks it and the access token first, and keeps other entries', async () => {
    const server = await startScriptedServer((_r, i) => ({ status: 200, body: JSON.stringify({ token: `access-${i}` }) }))
    try {
      const masked: string[] = []
      const audiences: string[] = []
      const oidcEntry = (url: string): NpmAuthEntry => ({ url, alwaysAuth: true, form: 'oidc', oidc: request({ exchangeUrl: server.url }) })
      const plain: NpmAuthEntry = { url: 'https://plain.example.com/', token: 't', alwaysAuth: true, form: 'token' }
      const result = await exchangeEntries([oidcEntry('https://a.example.com/'), plain, oidcEntry('https://b.example.com/')], {
        network: NETWORK,
        mask: values => masked.push(...values),
        idToken: async audience => {
          audiences.push(audience)
          return 'the-id-token'
        }
      })
      expect(audiences).toEqual([DEFAULT_AUDIENCES.cloudsmith])
      expect(result.map(e => e.token).sort()).toEqual(['access-0', 'access-1', 't'])
      expect(result[1]).toBe(plain)
      expect(masked).toEqual(expect.arrayContaining(['the-id-token', 'access-0', 'access-1']))
      expect(JSON.parse(server.requests[0].body)).toEqual({ oidc_token: 'the-id-token', service_slug: 'svc' })
    } finally {
      await server.close()
    }
  })

  test('without ACTIONS_ID_TOKEN_REQUEST_URL asks for the id-token permission and never asks for a token', async () => {
    delete process.env.ACTIONS_ID_TOKEN_REQUEST_URL
    const idToken = jest.fn(async (_audience: string) => 'x')
    const entry: NpmAuthEntry = { url: 'https://a.example.com/', alwaysAuth: true, form: 'oidc', oidc: request({ exchangeUrl: 'http://127.0.0.1:9/' }) }
    await expect(exchangeEntries([entry], { network: NETWORK, mask: () => undefined, idToken })).rejects.toThrow('Add `permissions: id-token: write`')
    expect(idToken).not.toHaveBeenCalled()
  })
})

test.each([
  ['{"errors":[{"code":"UNAUTHORIZED","message":"Token failed verification: audience"}]}', 'Token failed verification: audience'],
  ['{"detail":"Invalid service slug."}', 'Invalid service slug.'],
  ['<html>\n  nope\n</html>', '<html> nope </html>'],
  ['', 'no error text']
])('errorText(%j)', (body, text) => {
  expect(errorText(body)).toBe(text)
})
