/**
 * cacheRoot / maxCacheSize written by the bundled action: in place, every other byte kept,
 * bad input refused without touching the file.
 */
import fs from 'node:fs'
import path from 'node:path'
import TOML from 'toml'
import { makeRunnerDir, runAction } from '../support/action-runner.js'
import { errorsOf, warningsOf } from '../support/annotations.js'

const URL = 'https://upm.example.com/npm/'
const TOKEN = 'cache-test-token-93ad'
const EXISTING = [
  '# managed by the ops team',
  'cacheRoot = "/old/cache"   # moved in 2024',
  '',
  '# team B',
  '[npmAuth."https://b.example.com/"]',
  'token = "team-b-canary"',
  'alwaysAuth = true',
  ''
].join('\r\n')

function withExisting(): string {
  const dir = makeRunnerDir()
  fs.writeFileSync(path.join(dir, 'home', '.upmconfig.toml'), EXISTING)
  return dir
}

const read = (home: string): string => fs.readFileSync(path.join(home, '.upmconfig.toml'), 'utf8')

test('cache-root and max-cache-size are set in place; every other byte stays', async () => {
  const result = await runAction({
    dir: withExisting(),
    inputs: { 'registry-url': URL, token: TOKEN, 'cache-root': '/srv/upm cache', 'max-cache-size': '1.5 GB' }
  })
  expect(result.code).toBe(0)
  expect(read(result.home)).toBe(
    [
      '# managed by the ops team',
      'cacheRoot = "/srv/upm cache"',
      'maxCacheSize = 1500000000',
      '',
      '# team B',
      '[npmAuth."https://b.example.com/"]',
      'token = "team-b-canary"',
      'alwaysAuth = true',
      '',
      '[npmAuth."https://upm.example.com/npm/"]',
      `token = "${TOKEN}"`,
      'alwaysAuth = true',
      ''
    ].join('\r\n')
  )
  expect(result.outputs['cache-root']).toBe('/srv/upm cache')
  expect(result.stdout).toContain('set maxCacheSize = 1500000000')
})

test('empty cache inputs leave the keys alone; the output reports the cacheRoot already there', async () => {
  const result = await runAction({ dir: withExisting(), inputs: { 'registry-url': URL, token: TOKEN } })
  expect(result.code).toBe(0)
  expect(read(result.home).startsWith(EXISTING)).toBe(true)
  expect(result.outputs['cache-root']).toBe('/old/cache')
})

test('no cacheRoot anywhere: the output is empty', async () => {
  const result = await runAction({ inputs: { 'registry-url': URL, token: TOKEN, 'max-cache-size': '10GB' } })
  expect(result.code).toBe(0)
  expect(result.outputs['cache-root']).toBe('')
  expect((TOML.parse(read(result.home)) as { maxCacheSize?: unknown }).maxCacheSize).toBe(10_000_000_000)
})

test('a path with quotes and backslashes reads back exactly (the Windows runner in CI checks a real Windows path)', async () => {
  const root = '/srv/odd "quoted" \\ path'
  const result = await runAction({ inputs: { 'registry-url': URL, token: TOKEN, 'cache-root': root } })
  expect(result.code).toBe(0)
  expect((TOML.parse(read(result.home)) as { cacheRoot?: unknown }).cacheRoot).toBe(root)
  expect(result.outputs['cache-root']).toBe(root)
})

test('UPM_CACHE_ROOT in the environment wins over the file: a warning says so', async () => {
  const result = await runAction({
    inputs: { 'registry-url': URL, token: TOKEN, 'cache-root': '/srv/c' },
    env: { UPM_CACHE_ROOT: '/elsewhere' }
  })
  expect(result.code).toBe(0)
  expect(warningsOf(result)).toEqual([expect.stringMatching(/^UPM_CACHE_ROOT is set in this job's environment/)])
})

test.each([
  ['max-cache-size', '10 GiB', /^Input `max-cache-size` \("10 GiB"\) uses a binary unit/],
  ['max-cache-size', '-1', /^Input `max-cache-size` \("-1"\) is negative/],
  ['cache-root', 'upm-cache', /^Input `cache-root` \(upm-cache\) is not an absolute path on this Linux runner/],
  ['cache-root', 'C:\\upm', /^Input `cache-root` .* is not an absolute path on this Linux runner/]
])('%s %j is refused and the file stays byte-identical', async (input, value, message) => {
  const result = await runAction({ dir: withExisting(), inputs: { 'registry-url': URL, token: TOKEN, [input]: value } })
  expect(result.code).toBe(1)
  expect(errorsOf(result)).toEqual([expect.stringMatching(message)])
  expect(read(result.home)).toBe(EXISTING)
})
