/**
 * The README's inputs and outputs tables are generated from action.yml by scripts/gen-docs.mjs;
 * this fails when someone edits one without re-running `npm run docs`.
 */
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse as parseYaml } from 'yaml'
import { tempDir } from '../support/fixtures.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const SCRIPT = path.join(ROOT, 'scripts', 'gen-docs.mjs')

function check(root?: string): Promise<{ code: number; stderr: string }> {
  return new Promise(resolve => {
    const args = root ? [SCRIPT, '--check', root] : [SCRIPT, '--check']
    execFile(process.execPath, args, { timeout: 20000 }, (error, _stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stderr })
    })
  })
}

function copy(edit: { readme?: (t: string) => string; action?: (t: string) => string }): string {
  const dir = tempDir('gen-docs-').path
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')
  const action = fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')
  fs.writeFileSync(path.join(dir, 'README.md'), edit.readme ? edit.readme(readme) : readme)
  fs.writeFileSync(path.join(dir, 'action.yml'), edit.action ? edit.action(action) : action)
  return dir
}

describe('README inputs/outputs tables', () => {
  it('match action.yml (run `npm run docs` after changing action.yml)', async () => {
    const result = await check()
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
  })

  it('lists every input and output of action.yml', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')
    const action = fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')
    const yml = parseYaml(action) as { inputs: Record<string, unknown>; outputs: Record<string, unknown> }
    for (const name of [...Object.keys(yml.inputs), ...Object.keys(yml.outputs)]) expect(readme).toContain(`| \`${name}\` |`)
  })

  it('fails when a description in action.yml changed and the README did not', async () => {
    const dir = copy({ action: t => t.replace("'The absolute path of the .upmconfig.toml that was written.'", "'Another text.'") })
    const result = await check(dir)
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/^README\.md:\d+: .*npm run docs/)
  })

  it('fails when an input is added to action.yml only', async () => {
    const dir = copy({ action: t => t.replace('inputs:\n', "inputs:\n  new-input:\n    description: 'x'\n    default: ''\n") })
    expect((await check(dir)).code).toBe(1)
  })

  it('fails when the table in the README was edited by hand', async () => {
    const dir = copy({ readme: t => t.replace('| `cleanup` | `true` |', '| `cleanup` | `false` |') })
    expect((await check(dir)).code).toBe(1)
  })

  it('fails with a clear message when the markers are gone', async () => {
    const dir = copy({ readme: t => t.replace(/<!-- action-docs:end -->/, '') })
    const result = await check(dir)
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('README.md has no block')
  })
})
