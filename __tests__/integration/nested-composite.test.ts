/**
 * The action used twice in one job, as when a composite action nests it next to a plain step
 * of the workflow: the runner runs main A, main B, then the post steps in reverse order,
 * post B, post A, each with the state its own main saved. After both, the config file must be
 * exactly what it was before the job (or absent, when it was absent).
 */
import fs from 'node:fs'
import path from 'node:path'
import { makeRunnerDir, runAction, runPost } from '../support/action-runner.js'
import { warningsOf } from '../support/annotations.js'
import type { RunResult } from '../support/action-runner.js'

const A = 'https://upm.example.com/npm/'
const B = 'https://packages.example.org/'

const ORIGINAL =
  '# shared by the build machines\r\ncacheRoot = "D:/upm-cache"\r\n\r\n' +
  '[npmAuth."https://upm.example.com/npm/"]  # team A\r\n_auth = "dGVhbUE6c2VjcmV0"\r\nemail = "team-a@example.com"\r\n'

function expectCleanPost(post: RunResult): void {
  expect(post.code).toBe(0)
  expect(warningsOf(post)).toEqual([])
}

/** Main A (the workflow's step), main B (the composite's), post B, post A, in one job folder. */
async function nested(dir: string, a: Record<string, string>, b: Record<string, string>): Promise<{ afterMains: string | null }> {
  const file = path.join(dir, 'home', '.upmconfig.toml')
  const mainA = await runAction({ dir, inputs: a })
  expect(mainA.code).toBe(0)
  const mainB = await runAction({ dir, inputs: b })
  expect(mainB.code).toBe(0)
  // Each instance keeps its own record of what to restore.
  expect(mainA.state.restoreFile).toBeTruthy()
  expect(mainB.state.restoreFile).not.toBe(mainA.state.restoreFile)
  const afterMains = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null
  expectCleanPost(await runPost(mainB))
  expectCleanPost(await runPost(mainA))
  return { afterMains }
}

test('an existing file comes back byte for byte after main A, main B, post B, post A', async () => {
  const dir = makeRunnerDir()
  const file = path.join(dir, 'home', '.upmconfig.toml')
  fs.writeFileSync(file, ORIGINAL)
  const { afterMains } = await nested(
    dir,
    { 'registry-url': A, token: 'outer-token', 'cache-root': '/srv/upm-cache' },
    { registries: `[npmAuth."${A}"]\ntoken = "inner-token"\n\n[npmAuth."${B}"]\ntoken = "inner-b"\n`, 'max-cache-size': '10GB' }
  )
  // Both steps really wrote: the inner one's values were in force while both ran.
  expect(afterMains).toContain('inner-token')
  expect(afterMains).toContain('inner-b')
  expect(afterMains).toContain('/srv/upm-cache')
  expect(afterMains).toContain('maxCacheSize = 10000000000')
  expect(fs.readFileSync(file, 'utf8')).toBe(ORIGINAL)
})

test('a file neither step found is gone after both post steps', async () => {
  const dir = makeRunnerDir()
  const file = path.join(dir, 'home', '.upmconfig.toml')
  const { afterMains } = await nested(dir, { 'registry-url': A, token: 'outer-token' }, { 'registry-url': B, token: 'inner-b' })
  expect(afterMains).toContain('outer-token')
  expect(afterMains).toContain('inner-b')
  expect(fs.existsSync(file)).toBe(false)
})

test('the same registry written by both steps: the original entry is back after both', async () => {
  const dir = makeRunnerDir()
  const file = path.join(dir, 'home', '.upmconfig.toml')
  fs.writeFileSync(file, ORIGINAL)
  const { afterMains } = await nested(dir, { 'registry-url': A, token: 'outer-token' }, { 'registry-url': A, token: 'inner-token' })
  expect(afterMains).toContain('inner-token')
  expect(afterMains).not.toContain('outer-token')
  expect(fs.readFileSync(file, 'utf8')).toBe(ORIGINAL)
})
