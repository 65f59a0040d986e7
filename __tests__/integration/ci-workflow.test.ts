/**
 * The CI workflow runs the action on Linux, macOS and Windows runners and compares the file
 * with __tests__/fixtures/ci/expected.upmconfig.toml. Those runners are not here: this runs the
 * same step (its inputs read from ci.yml) on this machine, so a fixture that does not fit the
 * inputs fails here first.
 */
import fs from 'node:fs'
import path from 'node:path'
import { parse as parseYaml } from 'yaml'
import { makeRunnerDir, ROOT, runAction } from '../support/action-runner.js'
import { annotationsOf } from '../support/annotations.js'

interface Step {
  uses?: string
  with?: Record<string, string | number>
}

const workflow = parseYaml(fs.readFileSync(path.join(ROOT, '.github', 'workflows', 'ci.yml'), 'utf8')) as {
  jobs: Record<string, { steps: Step[] }>
}

test('the action step of ci.yml writes exactly the expected file', async () => {
  const steps = Object.values(workflow.jobs).flatMap(job => job.steps)
  const step = steps.find(s => s.uses === './')
  expect(step?.with).toBeDefined()
  const dir = makeRunnerDir()
  const runnerTemp = path.join(dir, 'temp')
  const inputs = Object.fromEntries(
    Object.entries(step?.with ?? {}).map(([name, value]) => [name, String(value).replace(/\$\{\{\s*runner\.temp\s*\}\}/g, runnerTemp)])
  )
  // The workflow's relative manifest path is resolved against the checkout, as on a runner.
  const result = await runAction({ dir, inputs, env: { GITHUB_WORKSPACE: ROOT } })
  expect(result.code).toBe(0)
  expect(annotationsOf(result)).toEqual([])
  const cacheRoot = `${runnerTemp}/upm-cache`
  const expected = fs
    .readFileSync(path.join(ROOT, '__tests__', 'fixtures', 'ci', 'expected.upmconfig.toml'), 'utf8')
    .replace('@CACHE_ROOT@', cacheRoot)
  expect(fs.readFileSync(path.join(result.home, '.upmconfig.toml'), 'utf8')).toBe(expected)
  expect(result.outputs['config-file']).toBe(path.join(result.home, '.upmconfig.toml'))
  expect(result.outputs['cache-root']).toBe(cacheRoot)
  expect(fs.statSync(path.join(result.home, '.upmconfig.toml')).mode & 0o777).toBe(0o600)
})
