/**
 * Main step then post step, run as the runner runs them (dist/index.js, saved state passed
 * back): the config file ends as it was before, except for what other jobs wrote since.
 */
import fs from 'node:fs'
import path from 'node:path'
import { parse as parseToml } from 'smol-toml'
import { makeRunnerDir, runAction, runPost } from '../support/action-runner.js'
import { warningsOf } from '../support/annotations.js'
import type { RunResult } from '../support/action-runner.js'

const A = 'https://upm.example.com/npm/'
const B = 'https://packages.example.org/'
const X = 'https://x.example.com/'

/** Another team's file: comments, CRLF, a key Unity reads, and the entry for A. */
const ORIGINAL =
  '# shared by the build machines\r\ncacheRoot = "D:/upm-cache"\r\n\r\n' +
  '[npmAuth."https://upm.example.com/npm/"]  # team A\r\n_auth = "dGVhbUE6c2VjcmV0"\r\nemail = "team-a@example.com"\r\n\r\n' +
  '# trailing comment\r\n'

const configOf = (home: string): string => path.join(home, '.upmconfig.toml')

function registries(...tables: [string, string][]): string {
  return tables.map(([url, token]) => `[npmAuth.${JSON.stringify(url)}]\ntoken = ${JSON.stringify(token)}\n`).join('\n')
}

function tokens(file: string): Record<string, string | undefined> {
  const doc = parseToml(fs.readFileSync(file, 'utf8')) as { npmAuth?: Record<string, { token?: string; _auth?: string }> }
  return Object.fromEntries(Object.entries(doc.npmAuth ?? {}).map(([url, t]) => [url, t.token ?? t._auth]))
}

function expectCleanPost(post: RunResult): void {
  expect(post.code).toBe(0)
  expect(warningsOf(post)).toEqual([])
}

test('entries this step added and replaced are put back byte for byte', async () => {
  const dir = makeRunnerDir()
  fs.writeFileSync(configOf(path.join(dir, 'home')), ORIGINAL)
  const main = await runAction({ dir, inputs: { registries: registries([A, 'ci-token'], [B, 'b-token']) } })
  expect(main.code).toBe(0)
  expect(tokens(configOf(main.home))).toEqual({ [A]: 'ci-token', [B]: 'b-token' })

  // State carries only the record's path; the record is 0600 under RUNNER_TEMP.
  expect(Object.keys(main.state)).toEqual(['restoreFile'])
  expect(path.dirname(main.state.restoreFile)).toBe(main.runnerTemp)
  expect(fs.statSync(main.state.restoreFile).mode & 0o777).toBe(0o600)

  const post = await runPost(main)
  expectCleanPost(post)
  expect(post.stdout).toContain(`[npmAuth."${A}"] restored to the entry it replaced`)
  expect(post.stdout).toContain(`[npmAuth."${B}"] removed (no job uses it now, and it was not there before)`)
  expect(fs.readFileSync(configOf(main.home), 'utf8')).toBe(ORIGINAL)
  expect(fs.readdirSync(main.home)).toEqual(['.upmconfig.toml'])
  expect(fs.existsSync(main.state.restoreFile)).toBe(false)
})

test('a file this step created is deleted, with its folder contents left as they were', async () => {
  const main = await runAction({ inputs: { 'registry-url': A, token: 'ci-token' } })
  expect(main.code).toBe(0)
  expect(fs.existsSync(configOf(main.home))).toBe(true)
  const post = await runPost(main)
  expectCleanPost(post)
  expect(post.stdout).toContain('Deleted')
  expect(fs.readdirSync(main.home)).toEqual([])
})

describe('cache-root and max-cache-size are undone too', () => {
  // The team's own cacheRoot line, with odd spacing and a comment, in a CRLF file.
  const withCacheRoot = ORIGINAL.replace('cacheRoot = "D:/upm-cache"', '  cacheRoot  =  "D:/upm-cache"   # ops, 2024')

  test('a replaced cacheRoot line comes back byte for byte, an added maxCacheSize goes', async () => {
    const dir = makeRunnerDir()
    fs.writeFileSync(configOf(path.join(dir, 'home')), withCacheRoot)
    const cacheRoot = path.join(dir, 'temp', 'upm-cache')
    const inputs = { registries: registries([A, 'ci-token'], [B, 'b-token']), 'cache-root': cacheRoot, 'max-cache-size': '10GB' }
    const main = await runAction({ dir, inputs })
    expect(main.code).toBe(0)
    const written = parseToml(fs.readFileSync(configOf(main.home), 'utf8'))
    expect(written).toMatchObject({ cacheRoot, maxCacheSize: 10_000_000_000 })

    const post = await runPost(main)
    expectCleanPost(post)
    expect(post.stdout).toContain('cacheRoot restored to the line it replaced')
    expect(post.stdout).toContain('maxCacheSize removed (no job uses it now, and it was not there before)')
    expect(fs.readFileSync(configOf(main.home), 'utf8')).toBe(withCacheRoot)
  })

  test('a file this step created with cache keys in it is deleted', async () => {
    const main = await runAction({
      inputs: { 'registry-url': A, token: 'ci-token', 'cache-root': '/srv/upm-cache', 'max-cache-size': '1 GB' }
    })
    expect(main.code).toBe(0)
    expect(parseToml(fs.readFileSync(configOf(main.home), 'utf8'))).toMatchObject({
      cacheRoot: '/srv/upm-cache',
      maxCacheSize: 1_000_000_000
    })
    const post = await runPost(main)
    expectCleanPost(post)
    expect(post.stdout).toContain('Deleted')
    expect(fs.readdirSync(main.home)).toEqual([])
  })

  test('a cacheRoot someone changed since stays, and the post log says so', async () => {
    const dir = makeRunnerDir()
    fs.writeFileSync(configOf(path.join(dir, 'home')), withCacheRoot)
    const main = await runAction({ dir, inputs: { 'registry-url': A, token: 'ci-token', 'cache-root': '/srv/job-cache' } })
    expect(main.code).toBe(0)
    const file = configOf(main.home)
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('cacheRoot = "/srv/job-cache"', 'cacheRoot = "/srv/by-hand"'))

    const post = await runPost(main)
    expectCleanPost(post)
    expect(post.stdout).toContain('cacheRoot left as it is: another job or step wrote a newer line since')
    expect(post.stdout).toContain(`[npmAuth."${A}"] restored to the entry it replaced`)
    expect(fs.readFileSync(file, 'utf8')).toBe(
      withCacheRoot.replace('  cacheRoot  =  "D:/upm-cache"   # ops, 2024', 'cacheRoot = "/srv/by-hand"')
    )
  })
})

test('entries a live job wrote since stay; when the last job leaves, the original comes back', async () => {
  const home = path.join(makeRunnerDir(), 'shared-home')
  fs.mkdirSync(home)
  fs.writeFileSync(configOf(home), ORIGINAL)
  const env = { HOME: home }
  const job1 = await runAction({ env, inputs: { registries: registries([A, 'job1'], [B, 'job1-b']) } })
  const job2 = await runAction({ env, inputs: { registries: registries([A, 'job2'], [X, 'job2-x']) } })
  expect([job1.code, job2.code]).toEqual([0, 0])

  const post1 = await runPost(job1)
  expectCleanPost(post1)
  expect(post1.stdout).toContain(`[npmAuth."${A}"] left as it is: a job still using it wrote it after this one`)
  expect(tokens(configOf(home))).toEqual({ [A]: 'job2', [X]: 'job2-x' })

  const post2 = await runPost(job2)
  expectCleanPost(post2)
  // Not job1's entry, which job2 replaced: job1 has left, so what was there before both comes back.
  expect(fs.readFileSync(configOf(home), 'utf8')).toBe(ORIGINAL)
  expect(fs.readdirSync(home)).toEqual(['.upmconfig.toml'])
})

test('the file deleted since: nothing to do, nothing recreated', async () => {
  const main = await runAction({ inputs: { 'registry-url': A, token: 'ci-token' } })
  fs.rmSync(configOf(main.home))
  const post = await runPost(main)
  expectCleanPost(post)
  expect(post.stdout).toContain('is gone')
  expect(fs.readdirSync(main.home)).toEqual([])
})

test('cleanup: false keeps the entries and records nothing', async () => {
  const main = await runAction({ inputs: { 'registry-url': A, token: 'ci-token', cleanup: 'false' } })
  expect(main.code).toBe(0)
  expect(main.state).toEqual({})
  expect(fs.readdirSync(main.runnerTemp)).toEqual([])
  const post = await runPost(main)
  expectCleanPost(post)
  expect(post.stdout).toContain('Nothing to clean up: cleanup was off (cleanup: false)')
  expect(tokens(configOf(main.home))).toEqual({ [A]: 'ci-token' })
})

test('location: job needs no cleanup: the file lives under RUNNER_TEMP', async () => {
  const main = await runAction({ inputs: { 'registry-url': A, token: 'ci-token', location: 'job' } })
  expect(main.code).toBe(0)
  expect(main.state).toEqual({})
  expect(main.stdout).toContain('nothing to clean up')
  const post = await runPost(main)
  expectCleanPost(post)
  expect(fs.readdirSync(main.home)).toEqual([])
})

test('a failed main step leaves nothing for post to do, and post does not run main again', async () => {
  const main = await runAction({ inputs: { 'registry-url': A } })
  expect(main.code).toBe(1)
  expect(main.state).toEqual({})
  const post = await runPost(main)
  expectCleanPost(post)
  expect(post.stdout).toContain('Nothing to clean up')
  expect(fs.readdirSync(main.runnerTemp)).toEqual([])
  expect(fs.readdirSync(main.home)).toEqual([])
})

test('a post step whose main step saved nothing (cancelled while loading) cleans up nothing and writes nothing', async () => {
  // The post step is an entry of its own: with valid inputs and no state it must not act as a main step.
  const post = await runAction({ step: 'post', inputs: { 'registry-url': A, token: 'ci-token' } })
  expectCleanPost(post)
  expect(post.stdout).toContain('Nothing to clean up: this step recorded no changes to undo.')
  expect(fs.readdirSync(post.home)).toEqual([])
  expect(post.stdout).not.toContain('ci-token')
})

describe('cleanup never fails the job: it warns', () => {
  test('the file was broken since: left as it is', async () => {
    const main = await runAction({ inputs: { 'registry-url': A, token: 'ci-token' } })
    fs.appendFileSync(configOf(main.home), '\n[broken\n')
    const broken = fs.readFileSync(configOf(main.home))
    const post = await runPost(main)
    expect(post.code).toBe(0)
    const [warning, ...more] = warningsOf(post)
    expect(more).toEqual([])
    expect(warning).toContain(`Cleanup could not restore the user config file: ${configOf(main.home)} is not valid TOML: `)
    expect(warning).toMatch(/ at line 5, column 8\. Fix or remove that line .* The credentials this job wrote may still be in it\.$/)
    expect(fs.readFileSync(configOf(main.home))).toEqual(broken)
  })

  test('the record is gone (RUNNER_TEMP emptied early)', async () => {
    const main = await runAction({ inputs: { 'registry-url': A, token: 'ci-token' } })
    fs.rmSync(main.state.restoreFile)
    const post = await runPost(main)
    expect(post.code).toBe(0)
    expect(warningsOf(post)).toEqual([
      expect.stringMatching(/^Cleanup could not restore the user config file: Cannot read the cleanup record /)
    ])
    expect(tokens(configOf(main.home))).toEqual({ [A]: 'ci-token' })
  })
})
