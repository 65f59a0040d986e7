/**
 * rollup.config.mjs tells rollup that the toolkit's modules (@actions/core, exec, io,
 * http-client) and the HTTP client's tunnel and undici do nothing at load, so it may leave out
 * one that nothing uses. Should an update give one of them a load-time effect (an environment
 * variable set, a timer, a listener, a file read), the bundle would silently lose it. Each such
 * module is loaded here in a fresh node process with those APIs recorded
 * (support/side-effect-probe.mjs); any effect fails the test.
 */
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { ROOT } from '../support/action-runner.js'
import { tempDir } from '../support/fixtures.js'

const PROBE = path.join(ROOT, '__tests__', 'support', 'side-effect-probe.mjs')

interface Probe {
  exports: number | null
  effects: string[]
}

function node(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: ROOT, timeout: 20_000, maxBuffer: 8 << 20 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`node ${args.join(' ')} failed: ${error.message}\n${stderr}`))
      else resolve(stdout)
    })
  })
}

async function probe(file: string): Promise<Probe> {
  const lines = (await node([PROBE, file])).trimEnd().split('\n')
  return JSON.parse(lines[lines.length - 1] ?? '') as Probe
}

function jsFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return []
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).flatMap(entry => {
    const file = path.join(entry.parentPath, entry.name)
    return entry.isFile() && file.endsWith('.js') ? [file] : []
  })
}

/** The module files under the packages named in rollup.config.mjs that its predicate lets rollup drop. */
async function droppable(): Promise<string[]> {
  const candidates = ['@actions', 'tunnel', 'undici'].flatMap(dir => jsFiles(path.join(ROOT, 'node_modules', dir)))
  const list = tempDir('side-effects-')
  fs.writeFileSync(path.join(list.path, 'candidates.json'), JSON.stringify(candidates))
  const script = `
    import fs from 'node:fs'
    import { moduleSideEffects } from './rollup.config.mjs'
    const candidates = JSON.parse(fs.readFileSync(process.argv[1], 'utf8'))
    console.log(JSON.stringify(candidates.filter(id => !moduleSideEffects(id, false))))`
  const out = await node(['--input-type=module', '-e', script, path.join(list.path, 'candidates.json')])
  list.remove()
  return JSON.parse(out) as string[]
}

const files = await droppable()
const relative = (file: string): string => path.relative(ROOT, file).split(path.sep).join('/')

test('the probe finds the modules the rollup config names', () => {
  for (const name of ['@actions/core', '@actions/exec', '@actions/io', '@actions/http-client', 'tunnel', 'undici']) {
    expect(files.some(file => relative(file).startsWith(`node_modules/${name}/`))).toBe(true)
  }
})

test.each(files.map(file => [relative(file), file]))('%s does nothing at load but define its exports', async (_name, file) => {
  const result = await probe(file)
  expect(result.effects).toEqual([])
  expect(result.exports).not.toBeNull()
})

describe('the probe itself', () => {
  const dir = tempDir('side-effect-probe-')
  afterAll(() => {
    dir.remove()
  })

  test('a module that only defines exports has no effects', async () => {
    const file = path.join(dir.path, 'pure.cjs')
    fs.writeFileSync(file, "const os = require('node:os')\nexports.home = () => os.homedir()\nexports.n = 1\n")
    expect(await probe(file)).toEqual({ exports: 2, effects: [] })
  })

  test.each([
    ['an environment variable set', 'process.env.UPM_AUTH_PROBE = "1"', 'process.env.UPM_AUTH_PROBE set'],
    ['an environment variable deleted', 'delete process.env.PATH', 'process.env.PATH deleted'],
    ['a global added', 'globalThis.upmAuthProbe = 1', 'globalThis.upmAuthProbe added'],
    ['a timer', 'setTimeout(() => {}, 60000)', 'globalThis.setTimeout(function)'],
    ['a timer from node:timers', 'require("node:timers").setInterval(() => {}, 60000)', 'timers.setInterval(function)'],
    ['a process listener', 'process.on("exit", () => {})', 'emitter.on("exit")'],
    ['a file read', 'require("node:fs").readFileSync(__filename)', 'fs.readFileSync('],
    ['a file written', 'require("node:fs").promises.writeFile(__filename + ".out", "")', 'fs.promises.writeFile('],
    ['a console line', 'console.log("hello")', 'console.log("hello")'],
    ['a connection', 'require("node:net").connect(9, "127.0.0.1").on("error", () => {})', 'net.connect(number)'],
    ['a child process', 'require("node:child_process").execFileSync(process.execPath, ["-e", ""])', 'child_process.execFileSync('],
    ['an exit code', 'process.exitCode = 3', 'process.exitCode set']
  ])('catches %s', async (_what, code, effect) => {
    const file = path.join(dir.path, `effect-${String(Math.random()).slice(2)}.cjs`)
    fs.writeFileSync(file, `${code}\nexports.x = 1\n`)
    expect((await probe(file)).effects).toContainEqual(expect.stringContaining(effect))
  })

  // @actions/io and others are ES modules, whose named imports of built-ins bind early.
  test('catches an ES module using a named import of a built-in', async () => {
    const file = path.join(dir.path, 'effect.mjs')
    fs.writeFileSync(
      file,
      "import { readFileSync } from 'node:fs'\nimport { fileURLToPath } from 'node:url'\nreadFileSync(fileURLToPath(import.meta.url))\nexport const x = 1\n"
    )
    expect(await probe(file)).toEqual({ exports: 1, effects: [expect.stringContaining('fs.readFileSync(')] })
  })
})
