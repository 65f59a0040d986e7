/**
 * Data in the log never issues a workflow command. Values the action accepts (a path with `##[`
 * in a folder name, an e-mail address, a cache folder) reach `core.info` lines; the runner takes
 * `##[name]` anywhere in a line, and `::name::` at its start, as a command. The bundled main
 * and post steps, run the way the runner runs them, must print no command but their own.
 */
import fs from 'node:fs'
import path from 'node:path'
import { makeRunnerDir, runAction, runPost } from '../support/action-runner.js'
import type { RunResult } from '../support/action-runner.js'
import { annotationsOf, workflowCommands } from '../support/annotations.js'

/**
 * The commands a run printed other than the two a clean run gives: `::add-mask::` and
 * `::debug::` (whose data @actions/core escapes, and which the runner reads as one command).
 */
function unexpectedCommands(result: RunResult): string[] {
  return workflowCommands(result.stdout)
    .filter(c => c.command !== 'add-mask' && c.command !== 'debug')
    .map(c => c.line)
}

test('paths, an e-mail address and a cache folder with `##[` are logged visibly, and issue no command', async () => {
  const dir = makeRunnerDir()
  const configFile = path.join(dir, '##[warning]forged-folder', '.upmconfig.toml')
  const main = await runAction({
    dir,
    inputs: {
      'registry-url': 'https://upm.example.com/npm/',
      token: 'canary-token-log-7a',
      email: 'ci##[stop-commands]resume@example.com',
      'config-file': configFile,
      'cache-root': '/srv/##[error]forged-cache'
    }
  })

  expect(main.code).toBe(0)
  expect(fs.existsSync(configFile)).toBe(true)
  expect(unexpectedCommands(main)).toEqual([])
  expect(annotationsOf(main)).toEqual([])
  // The data is still there to read, with the command prefix written as an escape.
  expect(main.stdout).toContain(`Created ${path.join(dir, '\\x23#[warning]forged-folder', '.upmconfig.toml')}:`)
  expect(main.stdout).toContain('email = "ci\\x23#[stop-commands]resume@example.com"')
  expect(main.stdout).toContain('set cacheRoot = /srv/\\x23#[error]forged-cache')

  const post = await runPost(main)
  expect(post.code).toBe(0)
  expect(fs.existsSync(configFile)).toBe(false)
  expect(unexpectedCommands(post)).toEqual([])
  expect(post.stdout).toContain(`Deleted ${path.join(dir, '\\x23#[warning]forged-folder', '.upmconfig.toml')}`)
})
