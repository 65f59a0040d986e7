import { defaultAudience, errorText, exchangeEntries, exchangeUrl, settle } from '../../src/oidc.js'
import type { OidcOptions } from '../../src/oidc.js'
import type { NetworkOptions } from '../../src/registry-http.js'
import { buildEntries, parseRegistriesInput } from '../../src/registries.js'
import type { NpmAuthEntry, OidcRequest } from '../../src/entry.js'
import type { RegistryInputs } from '../../src/registries.js'
import { startEndlessServer, startScriptedServer, startSilentServer } from '../support/http-servers.js'
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
  test('oidc-exchange-url wins, and must be a URL (checked with the other URL inputs)', () => {
    expect(exchangeUrl(CS, 'cloudsmith', 'https://cs.internal/openid/a/', label)).toBe('https://cs.internal/openid/a/')
    expect(() => settled({ oidc: 'cloudsmith', oidcService: 's', oidcExchangeUrl: 'cs.internal' })).toThrow(
      'Input `oidc-exchange-url` is not an absolute URL (//cs.internal).'
    )
  })
})

describe('exchangeEntries', () => {
  const env = { ...process.env }
  afterEach(() => {
    process.env = { ...env }
  })

  /** GitHub's ID token service as the job sees it: ACTIONS_ID_TOKEN_REQUEST_URL (with its query) and the request token. */
  function useIdTokenService(url: string): void {
    process.env.ACTIONS_ID_TOKEN_REQUEST_URL = `${url}_apis/token?api-version=2.0`
    process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = 'canary-request-token-4d'
  }

  const options = (network: NetworkOptions = NETWORK): OidcOptions & { masked: string[]; warnings: string[] } => {
    const masked: string[] = []
    const warnings: string[] = []
    return { network, masked, warnings, mask: values => masked.push(...values), warn: message => warnings.push(message) }
  }

  test('asks GitHub for one ID token per audience, masks it and the access token first, and keeps other entries', async () => {
    const server = await startScriptedServer((r, i) =>
      r.path.startsWith('/_apis/token')
        ? { status: 200, body: '{"count":1,"value":"the-id-token"}' }
        : { status: 200, body: JSON.stringify({ token: `access-${i}` }) }
    )
    try {
      useIdTokenService(server.url)
      const oidcEntry = (url: string): NpmAuthEntry => cloudsmithEntry(url, server.url)
      const plain: NpmAuthEntry = { url: 'https://plain.example.com/', token: 't', alwaysAuth: true, form: 'token' }
      const given = options()
      const result = await exchangeEntries([oidcEntry('http://127.0.0.1/a/'), plain, oidcEntry('http://127.0.0.1/b/')], given)

      const idRequests = server.requests.filter(r => r.path.startsWith('/_apis/token'))
      // What @actions/core's getIDToken sends: the audience appended to the URL's query, the request token as Bearer.
      expect(idRequests.map(r => [r.method, r.path, r.headers.authorization])).toEqual([
        [
          'GET',
          `/_apis/token?api-version=2.0&audience=${encodeURIComponent(defaultAudience('cloudsmith'))}`,
          'Bearer canary-request-token-4d'
        ]
      ])
      expect(result.map(e => e.token).sort()).toEqual(['access-1', 'access-2', 't'])
      expect(result[1]).toBe(plain)
      expect(given.masked).toEqual(expect.arrayContaining(['the-id-token', 'access-1', 'access-2']))
      expect(given.masked.indexOf('the-id-token')).toBe(0)
      expect(JSON.parse(server.requests[1].body)).toEqual({ oidc_token: 'the-id-token', service_slug: 'svc' })
      expect(given.warnings).toEqual([])
    } finally {
      await server.close()
    }
  })

  test('without ACTIONS_ID_TOKEN_REQUEST_URL asks for the id-token permission and sends nothing', async () => {
    const server = await startScriptedServer(() => ({ status: 200, body: '{"value":"x"}' }))
    try {
      useIdTokenService(server.url)
      delete process.env.ACTIONS_ID_TOKEN_REQUEST_URL
      const entry = cloudsmithEntry('http://127.0.0.1/a/', server.url)
      await expect(exchangeEntries([entry], options())).rejects.toThrow('Add `permissions: id-token: write`')
      expect(server.requests).toEqual([])
    } finally {
      await server.close()
    }
  })

  test('a stalled ID token service ends at the step deadline, not at the attempt timeout', async () => {
    const silent = await startSilentServer()
    try {
      useIdTokenService(silent.url)
      const started = Date.now()
      const network = { timeoutMs: 60_000, attempts: 3, backoffMs: 10, deadlineAt: Date.now() + 300, deadlineMs: 300 }
      const failure = exchangeEntries([cloudsmithEntry('http://127.0.0.1/a/', silent.url)], options(network))

      await expect(failure).rejects.toThrow(
        /^`oidc`: GitHub did not give the job an ID token for the audience "https:\/\/github\.com\/[^"]*" \(cannot reach its ID token service: the step's network deadline ran out/
      )
      // Far below the 60 s attempt timeout, and below Jest's own 5 s: the deadline, not a timeout, ended it.
      expect(Date.now() - started).toBeLessThan(3000)
    } finally {
      await silent.close()
    }
  })

  test('an endless answer of the ID token service is cut off at the body limit', async () => {
    const endless = await startEndlessServer()
    try {
      useIdTokenService(endless.url)
      const failure = exchangeEntries([cloudsmithEntry('http://127.0.0.1/a/', endless.url)], options({ ...NETWORK, maxBodyBytes: 4096 }))
      await expect(failure).rejects.toThrow(/ID token .*larger than 4096 bytes/)
      expect(endless.sent()).toBeLessThan(8 * 1024 * 1024)
    } finally {
      await endless.close()
    }
  })

  test.each([
    [401, '{"message":"Bad credentials"}', /\(HTTP 401: Bad credentials\)/],
    [200, '{"count":1}', /\(its answer, HTTP 200, holds no ID token\)/],
    [200, '<html>', /\(its answer, HTTP 200, holds no ID token\)/]
  ])('GitHub answering HTTP %i %s fails the exchange before any request to the registry', async (status, body, reason) => {
    const server = await startScriptedServer(() => ({ status, body }))
    try {
      useIdTokenService(server.url)
      const failure = exchangeEntries([cloudsmithEntry('http://127.0.0.1/a/', `${server.url}exchange/`)], options())
      await expect(failure).rejects.toThrow(reason)
      await expect(failure).rejects.not.toThrow('canary-request-token-4d')
      expect(server.requests.map(r => r.path)).not.toContain('/exchange/')
    } finally {
      await server.close()
    }
  })
})

describe('where the ID token may go', () => {
  test.each([
    [
      'an http oidc-exchange-url to another machine',
      { oidc: 'cloudsmith', oidcService: 's', oidcExchangeUrl: 'http://cs.internal/openid/a/' },
      CS
    ],
    [
      'an http registry, whose origin gives the Artifactory exchange',
      { oidc: 'artifactory', oidcProviderName: 'gh' },
      'http://acme.example.com/artifactory/api/npm/upm/'
    ]
  ])('refuses %s', (_case, given, url) => {
    expect(() => settled(given, url)).toThrow(
      /is plain http to another machine: the job's GitHub ID token would cross the network unencrypted/
    )
  })

  test('plain http to this machine is allowed (a local registry, the tests)', () => {
    expect(settled({ oidc: 'artifactory', oidcProviderName: 'gh' }, 'http://127.0.0.1:4873/').endpoint).toBe(
      'http://127.0.0.1:4873/access/api/v1/oidc/token'
    )
  })

  test.each([
    ['Artifactory on the registry host', { oidc: 'artifactory', oidcProviderName: 'gh' }, 'https://acme.jfrog.io/artifactory/api/npm/upm/'],
    ['Cloudsmith on its API host', { oidc: 'cloudsmith', oidcService: 's' }, CS],
    [
      'an exchange on the registry host',
      { oidc: 'cloudsmith', oidcService: 's', oidcExchangeUrl: 'https://upm.example.com/openid/a/' },
      'https://upm.example.com/npm/'
    ]
  ])('no warning for %s', (_case, given, url) => {
    expect(settled(given, url).warning).toBeUndefined()
  })

  test.each([
    [
      { oidc: 'cloudsmith', oidcService: 's', oidcExchangeUrl: 'https://exchange.evil.example/openid/a/' },
      CS,
      "goes to exchange.evil.example, which is neither the registry's host (npm.cloudsmith.io) nor Cloudsmith's (api.cloudsmith.io). Check input `oidc-exchange-url`"
    ],
    [
      { oidc: 'artifactory', oidcProviderName: 'gh', oidcExchangeUrl: 'https://other.jfrog.io/access/api/v1/oidc/token' },
      'https://acme.jfrog.io/artifactory/api/npm/upm/',
      "goes to other.jfrog.io, which is not the registry's host (acme.jfrog.io). Check input `oidc-exchange-url`"
    ]
  ])('warns, naming both hosts, when the exchange is elsewhere: %o', (given, url, text) => {
    expect(settled(given, url).warning).toContain(text)
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
