/**
 * The bundled action, run as the runner runs it; the written file is read back with a TOML
 * parser other than the one the action uses.
 */
import fs from 'node:fs'
import path from 'node:path'
import TOML from 'toml'
import { leakedSecrets, makeRunnerDir, runAction, runPost } from '../support/action-runner.js'
import { errorsOf, warningsOf } from '../support/annotations.js'
import type { RunResult } from '../support/action-runner.js'
import { b64 } from '../support/fixtures.js'

const URL_A = 'https://upm.example.com/npm/'

function homeConfig(result: RunResult): string {
  return path.join(result.home, '.upmconfig.toml')
}

interface UpmConfig {
  npmAuth: Record<string, Record<string, unknown>>
}

function readToml(file: string): UpmConfig {
  return JSON.parse(JSON.stringify(TOML.parse(fs.readFileSync(file, 'utf8')))) as UpmConfig
}

describe('credential forms end up in the home config', () => {
  test.each([
    ['token', { token: 'tok-123' }, { token: 'tok-123', alwaysAuth: true }],
    ['auth', { auth: b64('u:s') }, { _auth: b64('u:s'), alwaysAuth: true }],
    [
      'email + pat',
      { email: 'dev@example.com', pat: 'pat-9' },
      { _auth: b64('dev@example.com:pat-9'), email: 'dev@example.com', alwaysAuth: true }
    ],
    ['username + password', { username: 'ci', password: 'pw', 'always-auth': 'false' }, { _auth: b64('ci:pw'), alwaysAuth: false }]
  ])('%s', async (_name, credential, expected) => {
    const result = await runAction({ inputs: { 'registry-url': URL_A, ...credential }, env: { RUNNER_DEBUG: '1' } })
    expect(errorsOf(result)).toEqual([])
    expect(result.code).toBe(0)
    expect(readToml(homeConfig(result))).toEqual({ npmAuth: { [URL_A]: expected } })
    expect(result.outputs['config-file']).toBe(homeConfig(result))
    expect(JSON.parse(result.outputs.registries)).toEqual([URL_A])
    if (process.platform !== 'win32') expect(fs.statSync(homeConfig(result)).mode & 0o777).toBe(0o600)
    const values = { ...credential, ...expected } as Record<string, unknown>
    for (const secret of [values.token, values._auth, values.password, values.pat] as (string | undefined)[]) {
      if (!secret) continue
      expect(result.stdout).toContain(`::add-mask::${secret}`)
      expect(leakedSecrets(result, [secret])).toEqual([])
    }
    expect(result.stdout).toMatch(/(token|_auth) = "\*\*\*"/)
  })
})

test('several registries from the registries input, together with registry-url', async () => {
  const result = await runAction({
    inputs: {
      'registry-url': URL_A,
      token: 'tok-a',
      registries: [
        '[npmAuth."https://b.example/"]',
        'email = "dev@example.com"',
        'pat = "pat-b"',
        'alwaysAuth = false',
        '',
        '[npmAuth."https://c.example/"]',
        'username = "ci"',
        'password = "pw-c"'
      ].join('\n')
    }
  })
  expect(result.code).toBe(0)
  expect(readToml(homeConfig(result)).npmAuth).toEqual({
    [URL_A]: { token: 'tok-a', alwaysAuth: true },
    'https://b.example/': { _auth: b64('dev@example.com:pat-b'), email: 'dev@example.com', alwaysAuth: false },
    'https://c.example/': { _auth: b64('ci:pw-c'), alwaysAuth: true }
  })
  expect(JSON.parse(result.outputs.registries)).toEqual([URL_A, 'https://b.example/', 'https://c.example/'])
  for (const secret of ['pat-b', 'pw-c', b64('dev@example.com:pat-b'), b64('ci:pw-c')]) {
    expect(result.stdout).toContain(`::add-mask::${secret}`)
    expect(leakedSecrets(result, [secret])).toEqual([])
  }
})

test('the merge keeps every other byte, and a second identical run leaves identical bytes', async () => {
  const dir = makeRunnerDir()
  const file = path.join(dir, 'home', '.upmconfig.toml')
  const before = [
    '# shared agent config',
    'cacheRoot = "/mnt/upm-cache"',
    '',
    '[npmAuth."https://other-team.example/"]',
    'token = "other-team-token" # do not touch',
    '',
    `[npmAuth."${URL_A}"]`,
    '_auth = "b2xkOm9sZA=="',
    ''
  ].join('\n')
  fs.writeFileSync(file, before, { mode: 0o644 })
  const first = await runAction({ dir, inputs: { 'registry-url': URL_A, token: 'fresh' } })
  expect(first.code).toBe(0)
  const after = fs.readFileSync(file, 'utf8')
  expect(after).toBe(before.replace('_auth = "b2xkOm9sZA=="\n', 'token = "fresh"\nalwaysAuth = true\n'))
  expect(fs.statSync(file).mode & 0o777).toBe(0o600)
  const second = await runAction({ dir, inputs: { 'registry-url': URL_A, token: 'fresh' } })
  expect(second.code).toBe(0)
  expect(fs.readFileSync(file, 'utf8')).toBe(after)
  // Both steps are live (no post step ran): beside the file, only the ledger of who uses its entries.
  expect(fs.readdirSync(path.dirname(file)).sort()).toEqual(['.upmconfig.toml', '.upmconfig.toml.ledger'])
})

test('a file with a BOM is read, written back without it, and the user is told', async () => {
  const dir = makeRunnerDir()
  const file = path.join(dir, 'home', '.upmconfig.toml')
  fs.writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('cacheRoot = "/c"\r\n')]))
  const result = await runAction({ dir, inputs: { 'registry-url': URL_A, token: 't' } })
  expect(result.code).toBe(0)
  expect(result.stdout).toMatch(/byte order mark; it is written back without one/)
  expect(fs.readFileSync(file, 'utf8')).toBe(`cacheRoot = "/c"\r\n\r\n[npmAuth."${URL_A}"]\r\ntoken = "t"\r\nalwaysAuth = true\r\n`)
})

describe('where the file goes', () => {
  test('location job writes under RUNNER_TEMP and exports UPM_USER_CONFIG_FILE', async () => {
    const result = await runAction({ inputs: { 'registry-url': URL_A, token: 't', location: 'job' } })
    expect(result.code).toBe(0)
    const file = path.join(result.runnerTemp, 'upm-auth', '.upmconfig.toml')
    expect(result.outputs['config-file']).toBe(file)
    expect(result.exportedEnv.UPM_USER_CONFIG_FILE).toBe(file)
    expect(readToml(file).npmAuth[URL_A].token).toBe('t')
    expect(fs.existsSync(homeConfig(result))).toBe(false)
  })

  test('config-file creates missing folders (a container home, as game-ci mounts it)', async () => {
    const dir = makeRunnerDir()
    const file = path.join(dir, 'temp', '_github_home', '.upmconfig.toml')
    const result = await runAction({ dir, inputs: { 'registry-url': URL_A, token: 't', 'config-file': file } })
    expect(result.code).toBe(0)
    expect(result.outputs['config-file']).toBe(file)
    expect(readToml(file).npmAuth[URL_A].token).toBe('t')
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700)
  })

  test('a relative config-file resolves against the workspace', async () => {
    const result = await runAction({ inputs: { 'registry-url': URL_A, token: 't', 'config-file': 'ci/.upmconfig.toml' } })
    expect(result.code).toBe(0)
    expect(result.outputs['config-file']).toBe(path.join(result.dir, 'ci', '.upmconfig.toml'))
  })

  test('location game-ci on Linux writes the folder game-ci mounts as the container home, ignores UPM_USER_CONFIG_FILE, and cleans up', async () => {
    const dir = makeRunnerDir()
    // Set on the runner, but game-ci passes no such variable into the container.
    const elsewhere = path.join(dir, 'unity-user.toml')
    const main = await runAction({
      dir,
      inputs: { 'registry-url': URL_A, token: 't', location: 'game-ci' },
      env: { UPM_USER_CONFIG_FILE: elsewhere }
    })
    expect(errorsOf(main)).toEqual([])
    expect(main.code).toBe(0)
    const file = path.join(main.runnerTemp, '_github_home', '.upmconfig.toml')
    expect(main.outputs['config-file']).toBe(file)
    expect(main.exportedEnv).toEqual({})
    expect(readToml(file).npmAuth[URL_A].token).toBe('t')
    expect(fs.existsSync(elsewhere)).toBe(false)
    expect(fs.existsSync(homeConfig(main))).toBe(false)

    const post = await runPost(main)
    expect(post.code).toBe(0)
    expect(fs.existsSync(file)).toBe(false)
  })

  test('home honours UPM_USER_CONFIG_FILE', async () => {
    const dir = makeRunnerDir()
    const file = path.join(dir, 'unity-user.toml')
    const result = await runAction({ dir, inputs: { 'registry-url': URL_A, token: 't' }, env: { UPM_USER_CONFIG_FILE: file } })
    expect(result.code).toBe(0)
    expect(result.outputs['config-file']).toBe(file)
    expect(fs.existsSync(file)).toBe(true)
  })
})

describe('bad input fails the step, names the culprit, and leaves the file byte-identical', () => {
  const SECRET = 'canary-Secret-9f8e7d'
  const existing = `# keep me\r\n[npmAuth."https://other.example/"]\r\ntoken = "${SECRET}-other"\r\n`
  test.each([
    ['no credential', { 'registry-url': URL_A }, /Input `registry-url` has no credential/],
    ['two credentials', { 'registry-url': URL_A, token: SECRET, password: SECRET, username: 'u' }, /more than one credential/],
    ['pat without email', { 'registry-url': URL_A, pat: SECRET }, /Input `pat` is set without input `email`/],
    [
      'URL with password',
      { 'registry-url': `https://u:${SECRET}@x.example/`, token: 't' },
      /Input `registry-url` carries user information/
    ],
    [
      'bad registries fragment',
      { registries: `[npmAuth."https://x.example/"]\ntoken = ${SECRET}\n` },
      /Input `registries` is not valid TOML: .* at line 2/
    ],
    ['unknown location', { 'registry-url': URL_A, token: SECRET, location: 'global' }, /Input `location` must be one of/],
    ['bad always-auth', { 'registry-url': URL_A, token: SECRET, 'always-auth': 'maybe' }, /Input `always-auth` must be true or false/]
  ])('%s', async (_name, inputs, message) => {
    const dir = makeRunnerDir()
    const file = path.join(dir, 'home', '.upmconfig.toml')
    fs.writeFileSync(file, existing)
    const result = await runAction({ dir, inputs, env: { RUNNER_DEBUG: '1' } })
    expect(result.code).toBe(1)
    expect(errorsOf(result).join('\n')).toMatch(message)
    expect(leakedSecrets(result, [SECRET])).toEqual([])
    expect(fs.readFileSync(file, 'utf8')).toBe(existing)
  })

  test('an existing file that is not TOML: file, line and column named, content not echoed', async () => {
    const dir = makeRunnerDir()
    const file = path.join(dir, 'home', '.upmconfig.toml')
    const broken = `cacheRoot = "/c"\n[npmAuth."https://other.example/"]\ntoken = ${SECRET}\n`
    fs.writeFileSync(file, broken)
    const result = await runAction({ dir, inputs: { 'registry-url': URL_A, token: 't' } })
    expect(result.code).toBe(1)
    expect(errorsOf(result).join('\n')).toMatch(new RegExp(`${file.replace(/[.\\]/g, '\\$&')} is not valid TOML: .* at line 3, column 9`))
    expect(leakedSecrets(result, [SECRET])).toEqual([])
    expect(fs.readFileSync(file, 'utf8')).toBe(broken)
  })
})

test('an input passed as empty (an unset variable) gets its action.yml default', async () => {
  const result = await runAction({
    inputs: { 'registry-url': URL_A, token: 't', 'always-auth': '', location: '', cleanup: '', verify: '', login: '', 'manifest-check': '' }
  })
  expect(errorsOf(result)).toEqual([])
  expect(result.code).toBe(0)
  expect(readToml(homeConfig(result)).npmAuth[URL_A]).toEqual({ token: 't', alwaysAuth: true })
  expect(result.state.restoreFile).toBeTruthy()
})

test('plain http to a remote host is a warning, not a failure', async () => {
  const result = await runAction({ inputs: { 'registry-url': 'http://upm.example.com/', token: 't' } })
  expect(result.code).toBe(0)
  expect(warningsOf(result)).toEqual([expect.stringMatching(/plain http/)])
})

describe('missing secrets are explained where GitHub withholds them', () => {
  function eventFile(dir: string, payload: object): string {
    const file = path.join(dir, 'event.json')
    fs.writeFileSync(file, JSON.stringify(payload))
    return file
  }

  test('pull request from a fork', async () => {
    const dir = makeRunnerDir()
    const payload = {
      repository: { full_name: 'example/unity-game' },
      pull_request: { number: 7, head: { repo: { full_name: 'someone/unity-game', fork: true } } }
    }
    const result = await runAction({
      dir,
      inputs: { 'registry-url': URL_A },
      env: { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: eventFile(dir, payload) }
    })
    expect(result.code).toBe(1)
    expect(errorsOf(result).join('\n')).toMatch(/has no credential.*pull request from a fork, and GitHub passes no secrets/)
  })

  test('Dependabot', async () => {
    const dir = makeRunnerDir()
    const result = await runAction({
      dir,
      inputs: { 'registry-url': URL_A },
      env: { GITHUB_ACTOR: 'dependabot[bot]', GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: eventFile(dir, {}) }
    })
    expect(result.code).toBe(1)
    expect(errorsOf(result).join('\n')).toMatch(/started by Dependabot.*Dependabot secrets/)
  })

  test('a pull request from the same repository gets no such explanation', async () => {
    const dir = makeRunnerDir()
    const payload = {
      repository: { full_name: 'example/unity-game' },
      pull_request: { number: 8, head: { repo: { full_name: 'example/unity-game', fork: false } } }
    }
    const result = await runAction({
      dir,
      inputs: { 'registry-url': URL_A },
      env: { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: eventFile(dir, payload) }
    })
    expect(result.code).toBe(1)
    expect(errorsOf(result).join('\n')).not.toMatch(/fork|Dependabot/)
  })
})

test('a rerun that writes the same bytes says unchanged; a new token says replaced', async () => {
  const dir = makeRunnerDir()
  const first = await runAction({ dir, inputs: { 'registry-url': URL_A, token: 'tok-1' } })
  expect(first.stdout).toMatch(/^added \(token\):/m)
  const again = await runAction({ dir, inputs: { 'registry-url': URL_A, token: 'tok-1' } })
  expect(again.stdout).toMatch(/^unchanged \(token\):/m)
  const changed = await runAction({ dir, inputs: { 'registry-url': URL_A, token: 'tok-2' } })
  expect(changed.stdout).toMatch(/^replaced \(token\):/m)
})
