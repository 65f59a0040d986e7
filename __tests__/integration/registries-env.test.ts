/**
 * Secrets in the `registries` fragment: GitHub pastes `${{ secrets.X }}` into the TOML text, so
 * the secret's characters become syntax. `key = "${NAME}"` reads the secret from the step's
 * environment instead (written byte for byte, masked); inline values a pasted secret could have
 * changed get a warning naming table and key. Through the bundled action.
 */
import fs from 'node:fs'
import path from 'node:path'
import TOML from 'toml'
import { leakedSecrets, makeRunnerDir, runAction } from '../support/action-runner.js'
import { errorsOf, warningsOf } from '../support/annotations.js'
import type { RunResult } from '../support/action-runner.js'
import { b64 } from '../support/fixtures.js'

const URL_A = 'https://upm.example.com/npm/'
const TABLE = `[npmAuth."${URL_A}"]`

/** The secrets of the issue, as the characters a user has in the secret store. */
const SECRETS: [string, string][] = [
  ['backslash-t', 'ab\\tcd'],
  ['double backslash', 'C:\\\\x'],
  ['unicode escape', 'pa\\u00e9ss'],
  ['quote and hash', 'p4ss"#x']
]

function writtenTable(result: RunResult): Record<string, unknown> {
  const text = fs.readFileSync(path.join(result.home, '.upmconfig.toml'), 'utf8')
  return (TOML.parse(text) as { npmAuth: Record<string, Record<string, unknown>> }).npmAuth[URL_A]
}

describe('`${NAME}` reads the secret from the step environment', () => {
  test.each(SECRETS)('%s: written byte for byte and masked', async (_name, secret) => {
    const result = await runAction({
      inputs: { registries: `${TABLE}\ntoken = "\${UPM_TOKEN}"\n` },
      env: { UPM_TOKEN: secret }
    })
    expect(errorsOf(result)).toEqual([])
    expect(result.code).toBe(0)
    expect(Buffer.from(writtenTable(result).token as string)).toEqual(Buffer.from(secret))
    expect(result.stdout).toContain(`::add-mask::${secret}`)
    expect(leakedSecrets(result, [secret])).toEqual([])
    expect(warningsOf(result)).toEqual([])
  })

  test('every credential key takes it: email + pat, username + password, _auth', async () => {
    const auth = b64('ci:pw"#\\t')
    const result = await runAction({
      inputs: {
        registries:
          `${TABLE}\nemail = "\${UPM_EMAIL}"\npat = "\${UPM_PAT}"\n` +
          `[npmAuth."https://b.example/"]\nusername = "ci"\npassword = "\${UPM_PASSWORD}"\n` +
          `[npmAuth."https://c.example/"]\n_auth = "\${UPM_AUTH}"\n`
      },
      env: { UPM_EMAIL: 'dev@example.com', UPM_PAT: 'p\\at', UPM_PASSWORD: 'pw"#\\t', UPM_AUTH: auth }
    })
    expect(errorsOf(result)).toEqual([])
    const doc = TOML.parse(fs.readFileSync(path.join(result.home, '.upmconfig.toml'), 'utf8')) as {
      npmAuth: Record<string, Record<string, unknown>>
    }
    expect(doc.npmAuth[URL_A]._auth).toBe(b64('dev@example.com:p\\at'))
    expect(doc.npmAuth[URL_A].email).toBe('dev@example.com')
    expect(doc.npmAuth['https://b.example/']._auth).toBe(b64('ci:pw"#\\t'))
    expect(doc.npmAuth['https://c.example/']._auth).toBe(auth)
    for (const secret of ['dev@example.com', 'p\\at', 'pw"#\\t', auth]) expect(result.stdout).toContain(`::add-mask::${secret}`)
  })

  test.each([
    ['unset', undefined, 'not set'],
    ['empty', '', 'empty']
  ])('%s variable: an error naming it, and no file', async (_name, value, said) => {
    const result = await runAction({
      inputs: { registries: `${TABLE}\ntoken = "\${UPM_TOKEN}"\n` },
      env: { UPM_TOKEN: value }
    })
    expect(result.code).toBe(1)
    const error = errorsOf(result).join('\n')
    expect(error).toContain(`[npmAuth."${URL_A}"] key \`token\` reads the environment variable UPM_TOKEN, which is ${said}`)
    expect(fs.existsSync(path.join(result.home, '.upmconfig.toml'))).toBe(false)
  })

  test('unset in a Dependabot run: the error says why', async () => {
    const dir = makeRunnerDir()
    const event = path.join(dir, 'event.json')
    fs.writeFileSync(event, '{}')
    const result = await runAction({
      dir,
      inputs: { registries: `${TABLE}\ntoken = "\${UPM_TOKEN}"\n` },
      env: { GITHUB_ACTOR: 'dependabot[bot]', GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event }
    })
    expect(result.code).toBe(1)
    expect(errorsOf(result).join('\n')).toMatch(/environment variable UPM_TOKEN, which is not set.*started by Dependabot/s)
  })

  test("the runner's own credentials (ACTIONS_*, RUNNER_*) are refused, named, never written", async () => {
    const result = await runAction({
      inputs: { registries: `${TABLE}\ntoken = "\${ACTIONS_RUNTIME_TOKEN}"\n` },
      env: { ACTIONS_RUNTIME_TOKEN: 'canary-runtime-token-SECRET-5c' }
    })
    expect(result.code).toBe(1)
    expect(errorsOf(result)).toEqual([
      expect.stringContaining(
        `[npmAuth."${URL_A}"] key \`token\` reads ACTIONS_RUNTIME_TOKEN, a variable of the runner (ACTIONS_*, RUNNER_*)`
      )
    ])
    expect(fs.existsSync(path.join(result.home, '.upmconfig.toml'))).toBe(false)
    expect(leakedSecrets(result, ['canary-runtime-token-SECRET-5c'])).toEqual([])
  })

  test.each([
    ['a registry of its own', URL_A, {}, ['upm.example.com', 'npm.pkg.github.com']],
    [
      'GitHub Enterprise Server: another host',
      URL_A,
      { GITHUB_SERVER_URL: 'https://ghes.example.com' },
      ['upm.example.com', 'npm.ghes.example.com or ghes.example.com/_registry/npm/']
    ]
  ])("GITHUB_TOKEN sent to %s: a warning naming the host and GitHub's", async (_case, url, env, named) => {
    const result = await runAction({
      inputs: { registries: `[npmAuth."${url}"]\ntoken = "\${GITHUB_TOKEN}"\n` },
      env: { GITHUB_TOKEN: 'canary-github-token-SECRET-9e', ...env }
    })
    expect(result.code).toBe(0)
    const warnings = warningsOf(result).filter(w => w.includes('GITHUB_TOKEN'))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain(
      `key \`token\` reads GITHUB_TOKEN, this job's token for GitHub, and sends it to ${named[0]}, which is not GitHub's package registry (${named[1]})`
    )
    expect(leakedSecrets(result, ['canary-github-token-SECRET-9e'])).toEqual([])
  })

  test.each([
    ['GitHub Packages', 'https://npm.pkg.github.com/@octo-org', {}],
    [
      'its GitHub Enterprise Server, subdomain',
      'https://npm.ghes.example.com/@octo-org',
      { GITHUB_SERVER_URL: 'https://ghes.example.com' }
    ],
    [
      'its GitHub Enterprise Server, path',
      'https://ghes.example.com/_registry/npm/@octo-org',
      { GITHUB_SERVER_URL: 'https://ghes.example.com' }
    ]
  ])('GITHUB_TOKEN sent to %s: no warning', async (_case, url, env) => {
    const result = await runAction({
      inputs: { registries: `[npmAuth."${url}"]\ntoken = "\${GITHUB_TOKEN}"\n` },
      env: { GITHUB_TOKEN: 'canary-github-token-SECRET-9e', ...env }
    })
    expect(errorsOf(result)).toEqual([])
    expect(warningsOf(result)).toEqual([])
  })

  test('anything other than exactly ${NAME} is taken literally', async () => {
    const result = await runAction({
      inputs: { registries: `${TABLE}\ntoken = 'x\${UPM_TOKEN}'\n` },
      env: { UPM_TOKEN: 'from-env' }
    })
    expect(writtenTable(result).token).toBe('x${UPM_TOKEN}')
  })
})

describe('inline values a pasted secret could have changed are flagged', () => {
  test.each(SECRETS)('%s pasted into a basic string: warning names table and key, never the value', async (_name, secret) => {
    const result = await runAction({ inputs: { registries: `${TABLE}\ntoken = "${secret}"\n` } })
    expect(errorsOf(result)).toEqual([])
    const warnings = warningsOf(result).filter(w => w.includes('key `token`'))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain(`\`registries\` table [npmAuth."${URL_A}"] key \`token\``)
    expect(warnings[0]).toMatch(secret.includes('\\') ? /escape sequence/ : /followed by a comment/)
    expect(warnings[0]).toContain('${NAME}')
    // The warning quotes nothing of the value, not even what TOML made of it.
    const parsed = writtenTable(result).token as string
    expect(parsed).not.toBe(secret)
    for (const text of [secret, parsed]) expect(warnings[0]).not.toContain(text)
  })

  test('a literal string or a plain value gets no warning', async () => {
    const result = await runAction({
      inputs: { registries: `${TABLE}\ntoken = 'ab\\tcd'\n[npmAuth."https://b.example/"]\ntoken = "plain" \n# note\n` }
    })
    expect(errorsOf(result)).toEqual([])
    expect(warningsOf(result)).toEqual([])
    expect(writtenTable(result).token).toBe('ab\\tcd')
  })
})
