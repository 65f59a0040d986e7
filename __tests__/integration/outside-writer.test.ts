/**
 * A program that writes the config file without taking its lock (an editor, a script, Unity's
 * Preferences window), between the moment the step read the file and the moment it replaces it.
 * Simulated with a preload that writes the file right after the step flushed its temporary file.
 */
import fs from 'node:fs'
import path from 'node:path'
import { parse as parseToml } from 'smol-toml'
import { makeRunnerDir, runAction, runPost } from '../support/action-runner.js'
import { tempDir } from '../support/fixtures.js'

const URL = 'https://upm.example.com/npm/'
const ORIGINAL = '# team file\n[npmAuth."https://team.example.com/"]\ntoken = "team-token"\n'

const preload = path.join(tempDir('preload-').path, 'outside-writer.cjs')
fs.writeFileSync(
  preload,
  `const fs = require('node:fs')
let left = Number(process.env.OUTSIDE_WRITES)
const fsync = fs.fsyncSync
fs.fsyncSync = function (fd) {
  fsync.call(fs, fd)
  if (left > 0) {
    left--
    fs.appendFileSync(process.env.OUTSIDE_FILE, '\\n[npmAuth."https://outside-' + left + '.example.com/"]\\ntoken = "outside-' + left + '"\\n')
  }
}
`
)

function setUp(writes: number) {
  const dir = makeRunnerDir()
  const config = path.join(dir, 'home', '.upmconfig.toml')
  fs.writeFileSync(config, ORIGINAL)
  const env = { NODE_OPTIONS: `--require ${preload}`, OUTSIDE_WRITES: String(writes), OUTSIDE_FILE: config }
  return { dir, config, env }
}

const urls = (config: string): string[] =>
  Object.keys((parseToml(fs.readFileSync(config, 'utf8')) as { npmAuth?: Record<string, unknown> }).npmAuth ?? {}).sort()

test('a write by another program between read and replace is kept: the merge is done again on top of it', async () => {
  const { dir, config, env } = setUp(1)
  const main = await runAction({ dir, env, inputs: { 'registry-url': URL, token: 'tok-job' } })
  expect(main.stderr).toBe('')
  expect(main.code).toBe(0)
  expect(urls(config)).toEqual(['https://outside-0.example.com/', 'https://team.example.com/', URL])
  // Only the record of the attempt that was written stays.
  expect(fs.readdirSync(main.runnerTemp)).toHaveLength(1)
  const post = await runPost(main, { env: { OUTSIDE_WRITES: '0' } })
  expect(post.code).toBe(0)
  expect(urls(config)).toEqual(['https://outside-0.example.com/', 'https://team.example.com/'])
  expect(fs.readFileSync(config, 'utf8').startsWith(ORIGINAL)).toBe(true)
})

test('a file that keeps changing under the merge fails the step, naming it, and is left as the other program wrote it', async () => {
  const { dir, config, env } = setUp(5)
  const main = await runAction({ dir, env, inputs: { 'registry-url': URL, token: 'tok-job' } })
  expect(main.code).toBe(1)
  expect(main.stdout).toContain(`::error::${config} changed 3 times while this step merged it`)
  // Three attempts, three writes by the other program (it counts down from 4), none of ours.
  expect(urls(config)).toEqual([
    'https://outside-2.example.com/',
    'https://outside-3.example.com/',
    'https://outside-4.example.com/',
    'https://team.example.com/'
  ])
  expect(fs.readdirSync(path.dirname(config))).toEqual(['.upmconfig.toml'])
  expect(fs.readdirSync(main.runnerTemp)).toEqual([])
})
