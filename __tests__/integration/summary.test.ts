/**
 * The job summary as the runner receives it: a table of what the step configured, and no
 * secret in it, not even with step debug logging on.
 */
import fs from 'node:fs'
import path from 'node:path'
import { leakedSecrets, makeRunnerDir, runAction } from '../support/action-runner.js'
import { warningsOf } from '../support/annotations.js'
import { b64 } from '../support/fixtures.js'

const TOKEN = 'summary-token-5f2b9'
const PASSWORD = 'summary-password-c41d'
const BASIC = b64(`ci-bot:${PASSWORD}`)

test('a row per registry, the manifest column, the cache settings, and no secret', async () => {
  const dir = makeRunnerDir()
  fs.mkdirSync(path.join(dir, 'Packages'))
  fs.writeFileSync(
    path.join(dir, 'Packages', 'manifest.json'),
    JSON.stringify({ scopedRegistries: [{ name: 'Company', url: 'https://upm.example.com/npm/', scopes: ['com.company'] }] })
  )
  const result = await runAction({
    dir,
    env: { RUNNER_DEBUG: '1' },
    inputs: {
      'registry-url': 'https://upm.example.com/npm/',
      token: TOKEN,
      registries: `[npmAuth."https://other.example.com/"]\nusername = "ci-bot"\npassword = "${PASSWORD}"\nalwaysAuth = false\n`,
      'max-cache-size': '2GB'
    }
  })
  expect(result.code).toBe(0)
  const file = path.join(result.home, '.upmconfig.toml')
  expect(result.summary).toBe(
    [
      '### Unity Package Manager credentials',
      '',
      '| Registry | Auth | alwaysAuth | Verified | In the manifest | Config file |',
      '| --- | --- | --- | --- | --- | --- |',
      `| \`https://upm.example.com/npm/\` | Bearer token | true | not checked | yes (Company) | \`${file}\` |`,
      `| \`https://other.example.com/\` | Basic (username + password) | false | not checked | no | \`${file}\` |`,
      '',
      'Global cache:',
      '',
      '- `maxCacheSize` = 2000000000 bytes (2 GB)',
      ''
    ].join('\n')
  )
  // The file holds the derived credential; nothing the runner shows or keeps may.
  expect(fs.readFileSync(file, 'utf8')).toContain(BASIC)
  expect(leakedSecrets(result, [TOKEN, PASSWORD, BASIC])).toEqual([])
})

test('without GITHUB_STEP_SUMMARY (a local run) the step still succeeds', async () => {
  const result = await runAction({
    inputs: { 'registry-url': 'https://upm.example.com/npm/', token: TOKEN },
    env: { GITHUB_STEP_SUMMARY: undefined }
  })
  expect(result.code).toBe(0)
  expect(warningsOf(result)).toEqual([])
})

test('a summary that cannot be written is a warning, not a failure: the credentials are in place', async () => {
  const dir = makeRunnerDir()
  const result = await runAction({
    dir,
    inputs: { 'registry-url': 'https://upm.example.com/npm/', token: TOKEN },
    env: { GITHUB_STEP_SUMMARY: path.join(dir, 'no-such-folder', 'summary.md') }
  })
  expect(result.code).toBe(0)
  expect(warningsOf(result)).toEqual([expect.stringMatching(/^Could not write the job summary: /)])
  expect(fs.existsSync(path.join(result.home, '.upmconfig.toml'))).toBe(true)
})
