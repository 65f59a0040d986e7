/**
 * Secret hygiene: main and post with step debug logging on, and recognisable canary secrets
 * in every credential form (and the ID token and access token of an `oidc` exchange). No
 * canary, and no value derived from one, may appear anywhere the runner shows or keeps (stdout, stderr, outputs, state, exported env, job summary), except in
 * the `::add-mask::` commands that tell the runner to hide it.
 */
import fs from 'node:fs'
import path from 'node:path'
import { makeRunnerDir, runAction, runPost, shownByRunner } from '../support/action-runner.js'
import type { RunResult } from '../support/action-runner.js'
import { startArtifactoryExchange, startCloudsmithExchange, startGitHubOidc } from '../support/oidc-servers.js'
import type { Exchange, GitHubOidc } from '../support/oidc-servers.js'
import { b64 } from '../support/fixtures.js'

const URL_A = 'https://upm.example.com/npm/'
const URL_B = 'https://packages.example.org/'

/** Another team's entry in the existing file: its token must not leak either. */
const OTHER_TEAM = 'CANARY-othr-team-3d1e'
const EXISTING = `cacheRoot = "/srv/upm"\n\n[npmAuth."${URL_A}"]\ntoken = "${OTHER_TEAM}"\n`

interface HygieneCase {
  form: string
  inputs: Record<string, string>
  /** Secrets as given, and values derived from them: the action must register each with the runner. */
  masked: string[]
  /** The values that end up in the file (proof the needles are real: else this test could not fail). */
  written: string[]
  /** Canaries inside a given value (the password inside a ready `auth`): never shown either. */
  inner: string[]
}

const cases: HygieneCase[] = [
  {
    form: 'token',
    inputs: { 'registry-url': URL_A, token: 'CANARY-tokn-8a61f0' },
    masked: ['CANARY-tokn-8a61f0'],
    written: ['CANARY-tokn-8a61f0'],
    inner: []
  },
  {
    form: 'auth',
    inputs: { 'registry-url': URL_A, auth: b64('ci-user:CANARY-auth-55c2e7') },
    masked: [b64('ci-user:CANARY-auth-55c2e7')],
    written: [b64('ci-user:CANARY-auth-55c2e7')],
    inner: ['CANARY-auth-55c2e7']
  },
  {
    form: 'email + pat',
    inputs: { 'registry-url': URL_A, email: 'ci@example.com', pat: 'CANARY-pat0-91b4d2' },
    masked: ['CANARY-pat0-91b4d2', b64('ci@example.com:CANARY-pat0-91b4d2')],
    written: [b64('ci@example.com:CANARY-pat0-91b4d2')],
    inner: []
  },
  {
    form: 'username + password',
    inputs: { 'registry-url': URL_A, username: 'ci-user', password: 'CANARY-pass-0e7b3a' },
    masked: ['CANARY-pass-0e7b3a', b64('ci-user:CANARY-pass-0e7b3a')],
    written: [b64('ci-user:CANARY-pass-0e7b3a')],
    inner: []
  },
  {
    form: 'registries fragment with every form',
    inputs: {
      registries:
        `[npmAuth."${URL_A}"]\ntoken = "CANARY-frag-tokn-41"\n\n` +
        `[npmAuth."${URL_B}"]\nusername = "ci-user"\npassword = "CANARY-frag-pass-42"\n\n` +
        `[npmAuth."https://c.example.com/"]\nemail = "ci@example.com"\npat = "CANARY-frag-pat0-43"\n\n` +
        `[npmAuth."https://d.example.com/"]\n_auth = "${b64('d:CANARY-frag-auth-44')}"\n`
    },
    masked: [
      'CANARY-frag-tokn-41',
      'CANARY-frag-pass-42',
      'CANARY-frag-pat0-43',
      b64('d:CANARY-frag-auth-44'),
      b64('ci-user:CANARY-frag-pass-42'),
      b64('ci@example.com:CANARY-frag-pat0-43')
    ],
    written: [
      'CANARY-frag-tokn-41',
      b64('ci-user:CANARY-frag-pass-42'),
      b64('ci@example.com:CANARY-frag-pat0-43'),
      b64('d:CANARY-frag-auth-44')
    ],
    inner: ['CANARY-frag-auth-44']
  }
]

/** Encodings a careless log line could turn a secret into. */
function spellings(value: string): string[] {
  return [value, b64(value), encodeURIComponent(value), JSON.stringify(value).slice(1, -1), Buffer.from(value).toString('hex')]
}

test.each(cases)(
  '$form: no canary or derived value is visible in main or post, with RUNNER_DEBUG=1',
  async ({ inputs, masked, written, inner }) => {
    const dir = makeRunnerDir()
    fs.writeFileSync(path.join(dir, 'home', '.upmconfig.toml'), EXISTING)
    const env = { RUNNER_DEBUG: '1' }
    const main = await runAction({ dir, env, inputs })
    expect(main.code).toBe(0)
    expect(main.stdout).toContain('::debug::')
    const file = fs.readFileSync(path.join(main.home, '.upmconfig.toml'), 'utf8')
    for (const value of written) expect(file).toContain(value)
    const masks = main.stdout
      .split('\n')
      .filter(line => line.startsWith('::add-mask::'))
      .map(line => line.slice('::add-mask::'.length))
    expect(masks).toEqual(expect.arrayContaining(masked))

    const post = await runPost(main)
    expect(post.code).toBe(0)
    expect(fs.readFileSync(path.join(main.home, '.upmconfig.toml'), 'utf8')).toBe(EXISTING)

    const needles = [...masked, ...inner, OTHER_TEAM].flatMap(spellings)
    expectNothingShown(needles, { main, post })
  }
)

describe('oidc: the ID token and the access token', () => {
  let github: GitHubOidc
  const exchanges: Exchange[] = []
  beforeAll(async () => {
    github = await startGitHubOidc('octo-org/unity-game', 'CANARY-reqt-7f20aa')
  })
  afterAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
    await Promise.all([github?.close(), ...exchanges.map(e => e.close())])
  })

  test.each(['artifactory', 'cloudsmith'] as const)('%s: neither is visible in main or post, with RUNNER_DEBUG=1', async provider => {
    const accessToken = `CANARY-oidc-${provider}-5d3b`
    const options = {
      publicKey: github.publicKey,
      // Each provider's default audience (docs/oidc.md): GitHub's own, the owner's URL, for both here.
      audience: 'https://github.com/octo-org',
      name: 'ci-identity',
      claims: { repository: 'octo-org/unity-game' },
      token: () => accessToken
    }
    // The registry behind Artifactory's origin is never asked: the file is only written.
    const exchange =
      provider === 'artifactory' ? await startArtifactoryExchange(options, () => 9) : await startCloudsmithExchange(options, 'studio')
    exchanges.push(exchange)
    const inputs: Record<string, string> =
      provider === 'artifactory'
        ? { 'registry-url': exchange.url, oidc: provider, 'oidc-provider-name': 'ci-identity' }
        : { 'registry-url': URL_B, oidc: provider, 'oidc-service': 'ci-identity', 'oidc-exchange-url': exchange.url }
    const dir = makeRunnerDir()
    fs.writeFileSync(path.join(dir, 'home', '.upmconfig.toml'), EXISTING)
    const env = {
      RUNNER_DEBUG: '1',
      GITHUB_REPOSITORY_OWNER: 'octo-org',
      ACTIONS_ID_TOKEN_REQUEST_URL: github.requestUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: github.requestToken
    }
    const issuedBefore = github.issued.length
    const main = await runAction({ dir, env, inputs })
    expect(main.code).toBe(0)
    expect(main.stdout).toContain('::debug::')
    const idTokens = github.issued.slice(issuedBefore)
    expect(idTokens).toHaveLength(1)
    expect(fs.readFileSync(path.join(main.home, '.upmconfig.toml'), 'utf8')).toContain(accessToken)
    const masks = main.stdout
      .split('\n')
      .filter(line => line.startsWith('::add-mask::'))
      .map(line => line.slice('::add-mask::'.length))
    expect(masks).toEqual(expect.arrayContaining([idTokens[0], accessToken]))
    // Each is masked before any line that follows its arrival.
    const lines = main.stdout.split('\n')
    expect(lines.findIndex(l => l === `::add-mask::${accessToken}`)).toBeLessThan(lines.findIndex(l => l.includes('Updated')))

    const post = await runPost(main)
    expect(post.code).toBe(0)
    expect(fs.readFileSync(path.join(main.home, '.upmconfig.toml'), 'utf8')).toBe(EXISTING)

    // The JWT's signature is the part no log line may show, whole or in any spelling.
    const needles = [idTokens[0], idTokens[0].split('.')[2], accessToken, github.requestToken, OTHER_TEAM].flatMap(spellings)
    expectNothingShown(needles, { main, post })
  })
})

/** No needle, and no canary, in anything the runner shows of either step (log, outputs, summary, ...). */
function expectNothingShown(needles: string[], steps: { main: RunResult; post: RunResult }): void {
  for (const [step, run] of Object.entries(steps)) {
    for (const [where, text] of Object.entries(shownByRunner(run))) {
      const shown = needles.filter(needle => text.includes(needle))
      expect({ step, where, shown }).toEqual({ step, where, shown: [] })
      expect(text).not.toContain('CANARY')
    }
  }
}
