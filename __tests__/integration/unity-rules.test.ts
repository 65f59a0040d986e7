/**
 * A file Unity refuses as a whole: a table this step does not write that breaks one of Unity's
 * rules gets a warning naming the table and the rule (never a value); the file is still written.
 */
import fs from 'node:fs'
import path from 'node:path'
import { makeRunnerDir, runAction } from '../support/action-runner.js'
import { errorsOf, warningsOf } from '../support/annotations.js'

const URL_A = 'https://upm.example.com/npm/'
const OTHER = 'https://other.example/npm/'

test('both token and _auth in another table: warned, file written, that table untouched', async () => {
  const dir = makeRunnerDir()
  const otherTable = `[npmAuth."${OTHER}"]\ntoken = "OTHER-SECRET-1"\n_auth = "T1RIRVI6U0VDUkVU"\nalwaysAuth = "yes"\n`
  fs.writeFileSync(path.join(dir, 'home', '.upmconfig.toml'), otherTable)
  const result = await runAction({ dir, inputs: { 'registry-url': URL_A, token: 'mine' } })
  expect(errorsOf(result)).toEqual([])
  expect(result.code).toBe(0)
  const warnings = warningsOf(result).filter(w => w.includes(OTHER))
  expect(warnings).toHaveLength(2)
  expect(warnings[0]).toContain(`table [npmAuth."${OTHER}"] has both \`token\` and \`_auth\``)
  expect(warnings[1]).toContain('key `alwaysAuth` must be true or false')
  for (const w of warnings) {
    expect(w).toContain('load no package at all')
    expect(w).not.toMatch(/OTHER-SECRET-1|T1RIRVI6U0VDUkVU|yes/)
  }
  const written = fs.readFileSync(path.join(result.home, '.upmconfig.toml'), 'utf8')
  expect(written.startsWith(otherTable)).toBe(true)
  expect(written).toContain(`[npmAuth."${URL_A}"]\ntoken = "mine"`)
})

test('the table this step replaces is not reported: the step fixes it', async () => {
  const dir = makeRunnerDir()
  fs.writeFileSync(path.join(dir, 'home', '.upmconfig.toml'), `[npmAuth."${URL_A}"]\ntoken = "old"\n_auth = "b2xkOm9sZA=="\n`)
  const result = await runAction({ dir, inputs: { 'registry-url': URL_A, token: 'mine' } })
  expect(result.code).toBe(0)
  expect(warningsOf(result).filter(w => w.includes('load no package'))).toEqual([])
})

test('an existing file with TOML 1.1-only syntax: warned with line and construct, file written', async () => {
  const dir = makeRunnerDir()
  const before = `cacheRoot = "/srv/\\x41"\n[npmAuth."${OTHER}"]\ntoken = "x"\n`
  fs.writeFileSync(path.join(dir, 'home', '.upmconfig.toml'), before)
  const result = await runAction({ dir, inputs: { 'registry-url': URL_A, token: 'mine' } })
  expect(result.code).toBe(0)
  const warnings = warningsOf(result).filter(w => w.includes('TOML 1.1'))
  expect(warnings).toHaveLength(1)
  expect(warnings[0]).toContain('line 1: the escape \\xHH in a string')
  expect(fs.readFileSync(path.join(result.home, '.upmconfig.toml'), 'utf8').startsWith(before)).toBe(true)
})

test('a plain existing file: no TOML 1.1 warning', async () => {
  const dir = makeRunnerDir()
  fs.writeFileSync(path.join(dir, 'home', '.upmconfig.toml'), `cacheRoot = "/srv/upm"\n[npmAuth."${OTHER}"]\ntoken = "x"\n`)
  const result = await runAction({ dir, inputs: { 'registry-url': URL_A, token: 'mine' } })
  expect(result.code).toBe(0)
  expect(warningsOf(result)).toEqual([])
})
