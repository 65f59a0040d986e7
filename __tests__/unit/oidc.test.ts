import { jest } from '@jest/globals'
import { defaultAudience, errorText, exchangeEntries, exchangeUrl, settle } from '../../src/oidc.js'
import { buildEntries, parseRegistriesInput } from '../../src/registries.js'
import type { NpmAuthEntry, OidcRequest } from '../../src/entry.js'
import type { RegistryInputs } from '../../src/registries.js'
import { startScriptedServer } from '../support/http-servers.js'
import { registryInputs } from '../support/fixtures.js'

/** The entry's OIDC request, which buildEntries sets for every `oidc` entry. */
function oidcOf(entry: NpmAuthEntry): OidcRequest {
  if (!entry.oidc) throw new Error(`The entry for ${entry.url} has no OIDC request.`)
  return entry.oidc
}

const NETWORK = { timeoutMs: 500, attempts: 3, backoffMs: 10 }

const inputs = registryInputs

const CS = 'https://npm.cloudsmith.io/example-studio/unity/'

/** The entry buildEntries makes for inputs, its oidc settings checked. */
function settled(given: Partial<RegistryInputs>, url = CS) {
  const [entry] = buildEntries(inputs({ registryUrl: url, ...given }), []).entries
  if (!entry.oidc) throw new Error('not an oidc entry')
  return settle(entry.url, entry.oidc)
}

/** An oidc entry for Cloudsmith service `svc` with its exchange at `exchangeUrl`. */
function cloudsmithEntry(url: string, exchangeUrl: string): NpmAuthEntry {
  return buildEntries(inputs({ registryUrl: url, oidc: 'cloudsmith', oidcService: 'svc', oidcExchangeUrl: exchangeUrl }), []).entries[0]
}

describe('settings', () => {
  test('input oidc makes an entry without a token; settle() gives the provider, name, default audience and endpoint', () => {
    const url = 'https://acme.jfrog.io/artifactory/api/npm/upm/'
    const [entry] = buildEntries(inputs({ registryUrl: url, oidc: 'artifactory', oidcProviderName: 'gh' }), []).entries
    expect(entry).toMatchObject({ url, form: 'oidc' })
    expect(entry.token).toBeUndefined()
    expect(settled({ oidc: 'artifactory', oidcProviderName: 'gh' }, url)).toMatchObject({
      provider: 'artifactory',
      name: 'gh',
      audience: '',
      endpoint: 'https://acme.jfrog.io/access/api/v1/oidc/token'
    })
    expect(settled({ oidc: 'cloudsmith', oidcService: 'svc', oidcAudience: 'mine' })).toMatchObject({
      provider: 'cloudsmith',
      name: 'svc',
      audience: 'mine',
      endpoint: 'https://api.cloudsmith.io/openid/example-studio/'
    })
  })

  test.each([
    [{ oidc: 'jfrog' }, 'Input `oidc` must be artifactory or cloudsmith'],
    [{ oidc: 'artifactory' }, 'needs input `oidc-provider-name`'],
    [{ oidc: 'cloudsmith' }, 'needs input `oidc-service`'],
    [{ oidc: 'artifactory', oidcProviderName: 'gh', oidcService: 's' }, 'Input `oidc-service` does not apply to artifactory'],
    [{ oidc: 'artifactory', oidcProviderName: 'gh', pat: 'p', email: 'a@b.c' }, 'drop `pat`'],
    [{ oidc: 'cloudsmith', oidcService: 's', username: 'u', password: 'p' }, 'drop `username`, `password`']
  ])('refuses %o', (given, message) => {
    expect(() => settled(given)).toThrow(message)
  })

  test('oidc settings without oidc are refused at once', () => {
    expect(() => buildEntries(inputs({ registryUrl: CS, token: 't', oidcService: 's' }), [])).toThrow(
      'Input `oidc-service` is set without input `oidc`'
    )
  })

  test('registries tables take the same keys, named as keys in errors', () => {
    const tables = parseRegistriesInput(`[npmAuth."${CS}"]\noidc = "cloudsmith"\noidc-service = "svc"\noidc-audience = "aud"\n`)
    const [entry] = buildEntries(inputs({}), tables).entries
    expect(settle(entry.url, oidcOf(entry))).toMatchObject({ provider: 'cloudsmith', name: 'svc', audience: 'aud' })
    const [bad] = buildEntries(
      inputs({}),
      parseRegistriesInput('[npmAuth."https://x.example.com/"]\noidc = "cloudsmith"\noidc-service = "svc"\n_auth = "dTpw"\n')
    ).entries
    expect(() => settle(bad.url, oidcOf(bad))).toThrow(
      '[npmAuth."https://x.example.com/"] key `oidc` and also `registries` table [npmAuth."https://x.example.com/"] key `_auth`. With OIDC the registry hands out the token, so no stored credential is needed: drop `_auth`.'
    )
  })
})

describe("default audience: what the vendor's own action asks for", () => {
  test('Artifactory: none, so GitHub gives its default, as jfrog/setup-jfrog-cli does', () => {
    expect(defaultAudience('artifactory', { GITHUB_REPOSITORY_OWNER: 'octo-org' })).toBe('')
  })
  test('Cloudsmith: the repository owner on github.com, as cloudsmith-io/cloudsmith-cli-action does since v2.0.0', () => {
    expect(defaultAudience('cloudsmith', { GITHUB_REPOSITORY_OWNER: 'octo-org' })).toBe('https://github.com/octo-org')
  })
  test('oidc-audience wins', () => {
    expect(settled({ oidc: 'artifactory', oidcProviderName: 'gh', oidcAudience: 'jfrog-github' }, 'https://acme.jfrog.io/')).toMatchObject({
      audience: 'jfrog-github'
    })
  })
})

describe('exchangeUrl', () => {
  const label = 'input `oidc-exchange-url`'
  test('Cloudsmith: only npm.cloudsmith.io/<org>/<repo>/ tells the org', () => {
    expect(() => exchangeUrl('https://dl.cloudsmith.io/basic/org/repo/npm/', 'cloudsmith', '', label)).toThrow(
      'set input `oidc-exchange-url`'
    )
  })
  test('oidc-exchange-url wins, and must be a URL', () => {
    expect(exchangeUrl(CS, 'cloudsmith', 'https://cs.internal/openid/a/', label)).toBe('https://cs.internal/openid/a/')
    expect(() => exchangeUrl(CS, 'cloudsmith', 'cs.internal', label)).toThrow('Input `oidc-exchange-url` is not an absolute URL.')
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
      const oidcEntry = (url: string): NpmAuthEntry => cloudsmithEntry(url, server.url)
      const plain: NpmAuthEntry = { url: 'https://plain.example.com/', token: 't', alwaysAuth: true, form: 'token' }
      const result = await exchangeEntries([oidcEntry('https://a.example.com/'), plain, oidcEntry('https://b.example.com/')], {
        network: NETWORK,
        mask: values => masked.push(...values),
        idToken: audience => {
          audiences.push(audience)
          return Promise.resolve('the-id-token')
        }
      })
      expect(audiences).toEqual([defaultAudience('cloudsmith')])
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
    const idToken = jest.fn((audience: string) => Promise.resolve(`x for ${audience}`))
    const entry = cloudsmithEntry('https://a.example.com/', 'http://127.0.0.1:9/')
    await expect(exchangeEntries([entry], { network: NETWORK, mask: () => undefined, idToken })).rejects.toThrow(
      'Add `permissions: id-token: write`'
    )
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
