/**
 * End to end: `oidc` against stand-ins of GitHub's ID token service and of Artifactory's and
 * Cloudsmith's token exchanges (which verify the signed ID token and an identity mapping), in
 * front of a real Verdaccio whose token they hand out; then the UPM-like client reads the
 * private package with the file the action wrote. Every failure leaves the existing file
 * byte-identical.
 */
import fs from 'node:fs'
import path from 'node:path'
import { leakedSecrets, makeRunnerDir, runAction } from '../support/action-runner.js'
import { errorsOf, warningsOf } from '../support/annotations.js'
import type { RunResult } from '../support/action-runner.js'
import { freePort } from '../support/http-servers.js'
import { startArtifactoryExchange, startCloudsmithExchange, startGitHubOidc } from '../support/oidc-servers.js'
import type { Exchange, ExchangeOptions, GitHubOidc } from '../support/oidc-servers.js'
import { resolvePackage } from '../support/upm-client.js'
import { startRegistryFixture } from '../support/verdaccio.js'
import type { RegistryFixture } from '../support/verdaccio.js'
import { runBoundMs } from '../support/timing.js'

const FAST = { UPM_AUTH_NETWORK_TIMEOUT_MS: '500', UPM_AUTH_NETWORK_BACKOFF_MS: '50' }
const REPOSITORY = 'octo-org/unity-game'
/** GitHub's default audience for a job of REPOSITORY: its owner's URL. */
const OWNER_URL = 'https://github.com/octo-org'
const EXISTING = '# another team\n[npmAuth."https://other.example.com/"]\ntoken = "canary-other-team-0a9d"\n'

let f: RegistryFixture
let github: GitHubOidc
const exchanges: Exchange[] = []

beforeAll(async () => {
  ;[f, github] = await Promise.all([startRegistryFixture(), startGitHubOidc(REPOSITORY)])
}, 90_000)

afterAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
  await Promise.all([f?.registry.stop(), github?.close(), ...exchanges.map(e => e.close())])
})

function exchangeOptions(overrides: Partial<ExchangeOptions> = {}): ExchangeOptions {
  return {
    publicKey: github.publicKey,
    // What a registry set up for the vendor's own action expects (docs/oidc.md).
    audience: OWNER_URL,
    name: 'github-oidc',
    claims: { repository: REPOSITORY },
    token: () => f.tokenUser.token,
    ...overrides
  }
}

async function artifactory(overrides: Partial<ExchangeOptions> = {}): Promise<Exchange> {
  const exchange = await startArtifactoryExchange(exchangeOptions(overrides), () => f.registry.port)
  exchanges.push(exchange)
  return exchange
}

async function cloudsmith(overrides: Partial<ExchangeOptions> = {}): Promise<Exchange> {
  const exchange = await startCloudsmithExchange(exchangeOptions({ name: 'ci-service-x1y2', ...overrides }), 'example-studio')
  exchanges.push(exchange)
  return exchange
}

/** Runs the action in a job that has `permissions: id-token: write` (unless `env` takes it away). */
async function action(inputs: Record<string, string>, env: Record<string, string | undefined> = {}): Promise<RunResult> {
  const dir = makeRunnerDir()
  fs.writeFileSync(path.join(dir, 'home', '.upmconfig.toml'), EXISTING)
  return runAction({
    dir,
    inputs,
    env: {
      ...FAST,
      GITHUB_REPOSITORY: REPOSITORY,
      GITHUB_REPOSITORY_OWNER: 'octo-org',
      ACTIONS_ID_TOKEN_REQUEST_URL: github.requestUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: github.requestToken,
      ...env
    }
  })
}

const configFile = (result: RunResult): string => path.join(result.home, '.upmconfig.toml')
const secrets = (): string[] => [f.tokenUser.token, github.requestToken, ...github.issued]

async function expectPackageReadable(result: RunResult, url: string): Promise<void> {
  expect(errorsOf(result)).toEqual([])
  expect(result.code).toBe(0)
  const resolved = await resolvePackage(configFile(result), { name: 'Example', url, scopes: ['com.example'] }, f.pkg.name)
  expect(resolved).toMatchObject({ ok: true, version: '1.0.0', tarballSentCredential: true })
  expect(fs.readFileSync(configFile(result), 'utf8')).toContain(EXISTING)
}

function expectFailedUntouched(result: RunResult): string {
  expect(result.code).toBe(1)
  expect(fs.readFileSync(configFile(result), 'utf8')).toBe(EXISTING)
  expect(leakedSecrets(result, secrets())).toEqual([])
  const errors = errorsOf(result)
  expect(errors).toHaveLength(1)
  return errors[0]
}

describe('Artifactory', () => {
  test('exchanges the ID token at the default endpoint and the client reads the private package', async () => {
    const jfrog = await artifactory()
    const result = await action(
      { 'registry-url': jfrog.url, oidc: 'artifactory', 'oidc-provider-name': 'github-oidc' },
      { RUNNER_DEBUG: '1' }
    )

    await expectPackageReadable(result, jfrog.url)
    expect(jfrog.requests).toHaveLength(1)
    expect(jfrog.requests[0]).toMatchObject({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
      provider_name: 'github-oidc',
      gh_repo: REPOSITORY
    })
    // No audience asked for, as jfrog/setup-jfrog-cli asks for none: GitHub's default.
    expect(github.audiences.at(-1)).toBe('')
    expect(result.summary).toContain('Bearer token (OIDC, JFrog Artifactory)')
    expect(leakedSecrets(result, secrets())).toEqual([])
  })

  test("an integration set up with the audience of JFrog's sample (jfrog-github) takes oidc-audience: jfrog-github", async () => {
    const jfrog = await artifactory({ audience: 'jfrog-github' })
    const result = await action({
      'registry-url': jfrog.url,
      oidc: 'artifactory',
      'oidc-provider-name': 'github-oidc',
      'oidc-audience': 'jfrog-github'
    })

    await expectPackageReadable(result, jfrog.url)
    expect(github.audiences.at(-1)).toBe('jfrog-github')
  })

  test("fails on a wrong audience, with the provider name, the status and the registry's text", async () => {
    const jfrog = await artifactory()
    const error = expectFailedUntouched(
      await action({
        'registry-url': jfrog.url,
        oidc: 'artifactory',
        'oidc-provider-name': 'github-oidc',
        'oidc-audience': 'some-other-audience'
      })
    )
    expect(error).toContain('JFrog Artifactory refused the exchange')
    expect(error).toContain('input `oidc-provider-name` "github-oidc" (HTTP 401: audience mismatch')
    expect(error).toContain('identity mapping')
  })

  test('fails for an identity no mapping covers', async () => {
    const jfrog = await artifactory({ claims: { repository: 'octo-org/another-repo' } })
    const error = expectFailedUntouched(
      await action({ 'registry-url': jfrog.url, oidc: 'artifactory', 'oidc-provider-name': 'github-oidc' })
    )
    expect(error).toContain("HTTP 401: no identity mapping matches the token's claims (repository)")
    expect(error).toContain('`repository`')
  })

  test('retries a 5xx answer and then succeeds', async () => {
    const jfrog = await artifactory({ script: i => (i < 2 ? { status: 503, body: '{"errors":[{"message":"busy"}]}' } : undefined) })
    const result = await action({ 'registry-url': jfrog.url, oidc: 'artifactory', 'oidc-provider-name': 'github-oidc' })

    await expectPackageReadable(result, jfrog.url)
    expect(jfrog.requests).toHaveLength(3)
  })

  test('fails on an answer that is not JSON', async () => {
    const jfrog = await artifactory({ script: () => ({ status: 200, body: '<html>login page</html>' }) })
    const error = expectFailedUntouched(
      await action({ 'registry-url': jfrog.url, oidc: 'artifactory', 'oidc-provider-name': 'github-oidc' })
    )
    expect(error).toContain('answered HTTP 200 with something that is not JSON')
  })

  test('fails on an answer without access_token', async () => {
    const jfrog = await artifactory({ script: () => ({ status: 200, body: '{"token_type":"Bearer","expires_in":3600}' }) })
    const error = expectFailedUntouched(
      await action({ 'registry-url': jfrog.url, oidc: 'artifactory', 'oidc-provider-name': 'github-oidc' })
    )
    expect(error).toContain('without a usable `access_token`')
  })
})

describe('Cloudsmith', () => {
  test('exchanges the ID token for the service account and the client reads the private package', async () => {
    const exchange = await cloudsmith()
    const result = await action({
      'registry-url': f.registry.url,
      oidc: 'cloudsmith',
      'oidc-service': 'ci-service-x1y2',
      'oidc-exchange-url': exchange.url
    })

    await expectPackageReadable(result, f.registry.url)
    expect(exchange.requests).toEqual([{ oidc_token: github.issued.at(-1), service_slug: 'ci-service-x1y2' }])
    // As cloudsmith-io/cloudsmith-cli-action asks: the repository owner on github.com.
    expect(github.audiences.at(-1)).toBe(OWNER_URL)
    expect(result.summary).toContain('Bearer token (OIDC, Cloudsmith)')
    expect(leakedSecrets(result, secrets())).toEqual([])
  })

  test("warns, naming both hosts, when the exchange is on neither the registry host nor Cloudsmith's API host", async () => {
    const exchange = await cloudsmith()
    // The same registry under another host name: the exchange (on 127.0.0.1) is then elsewhere.
    const url = `http://localhost:${f.registry.port}/`
    const result = await action({
      'registry-url': url,
      oidc: 'cloudsmith',
      'oidc-service': 'ci-service-x1y2',
      'oidc-exchange-url': exchange.url
    })

    expect(errorsOf(result)).toEqual([])
    expect(result.code).toBe(0)
    expect(warningsOf(result)).toEqual([
      `\`oidc\`: the job's GitHub ID token for ${url} goes to 127.0.0.1, which is neither the registry's host (localhost) nor ` +
        "Cloudsmith's (api.cloudsmith.io). Check input `oidc-exchange-url`: whoever runs that host can use the ID token until it expires."
    ])
    expect(exchange.requests).toHaveLength(1)
    expect(leakedSecrets(result, secrets())).toEqual([])
  })

  test('fails for a service account whose claims do not match, with the slug it sent', async () => {
    const exchange = await cloudsmith({ claims: { repository: 'octo-org/another-repo' } })
    const error = expectFailedUntouched(
      await action({
        'registry-url': f.registry.url,
        oidc: 'cloudsmith',
        'oidc-service': 'ci-service-x1y2',
        'oidc-exchange-url': exchange.url
      })
    )
    expect(error).toContain('Cloudsmith refused the exchange')
    expect(error).toContain('input `oidc-service` "ci-service-x1y2" (HTTP 401: Unable to authenticate: no identity mapping matches')
  })

  test('fails on an answer without token', async () => {
    const exchange = await cloudsmith({ script: () => ({ status: 200, body: '{"detail":"ok"}' }) })
    const error = expectFailedUntouched(
      await action({
        'registry-url': f.registry.url,
        oidc: 'cloudsmith',
        'oidc-service': 'ci-service-x1y2',
        'oidc-exchange-url': exchange.url
      })
    )
    expect(error).toContain('without a usable `token`')
  })

  test('fails within a bounded time when the exchange host cannot be reached', async () => {
    const url = `http://127.0.0.1:${await freePort()}/openid/example-studio/`
    const started = Date.now()
    const error = expectFailedUntouched(
      await action({ 'registry-url': f.registry.url, oidc: 'cloudsmith', 'oidc-service': 'ci-service-x1y2', 'oidc-exchange-url': url })
    )
    expect(error).toContain(`cannot reach the Cloudsmith token exchange ${url}`)
    expect(error).toContain('the connection was refused')
    expect(error).toContain('(3 attempts)')
    expect(Date.now() - started).toBeLessThan(await runBoundMs(FAST))
  })

  test('says to set oidc-exchange-url for a registry URL that is not npm.cloudsmith.io/<org>/<repo>/', async () => {
    const error = expectFailedUntouched(
      await action({ 'registry-url': f.registry.url, oidc: 'cloudsmith', 'oidc-service': 'ci-service-x1y2' })
    )
    expect(error).toContain('is not of the form https://npm.cloudsmith.io/<org>/<repo>/')
    expect(error).toContain('set input `oidc-exchange-url`')
  })
})

test('without id-token permission, says to add it and that forks get no ID token', async () => {
  const jfrog = await artifactory()
  const error = expectFailedUntouched(
    await action(
      { 'registry-url': jfrog.url, oidc: 'artifactory', 'oidc-provider-name': 'github-oidc' },
      { ACTIONS_ID_TOKEN_REQUEST_URL: undefined, ACTIONS_ID_TOKEN_REQUEST_TOKEN: undefined }
    )
  )
  expect(error).toContain('`permissions: id-token: write`')
  expect(error).toContain('Pull requests from forks get no ID token')
  expect(jfrog.requests).toEqual([])
})

test('a registries table mixes an OIDC registry with a token registry in one step', async () => {
  const jfrog = await artifactory()
  const result = await action({
    registries: [
      `[npmAuth."${jfrog.url}"]`,
      'oidc = "artifactory"',
      'oidc-provider-name = "github-oidc"',
      `[npmAuth."${f.registry.url}"]`,
      `token = "${f.tokenUser.token}"`
    ].join('\n')
  })

  await expectPackageReadable(result, jfrog.url)
  await expectPackageReadable(result, f.registry.url)
  expect(result.summary).toContain('Bearer token (OIDC, JFrog Artifactory)')
  expect(result.summary).toContain('| Bearer token |')
})

test.each([
  [{ token: 'canary-given-token-11' }, 'drop `token`'],
  [{ login: 'true' }, 'Drop `login`']
])('refuses %o alongside oidc, saying which one to drop', async (extra, drop) => {
  const jfrog = await artifactory()
  const error = expectFailedUntouched(
    await action({ 'registry-url': jfrog.url, oidc: 'artifactory', 'oidc-provider-name': 'github-oidc', ...extra })
  )
  expect(error).toContain(drop)
  expect(jfrog.requests).toEqual([])
})

test('fails when GitHub refuses the ID token request, without showing the request token', async () => {
  const jfrog = await artifactory()
  const error = expectFailedUntouched(
    await action(
      { 'registry-url': jfrog.url, oidc: 'artifactory', 'oidc-provider-name': 'github-oidc' },
      { ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'canary-stale-request-token-9e' }
    )
  )
  expect(error).toContain("GitHub did not give the job an ID token for GitHub's default audience")
  expect(error).toContain('401')
  expect(error).not.toContain('canary-stale-request-token-9e')
  expect(jfrog.requests).toEqual([])
})
