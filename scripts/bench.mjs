#!/usr/bin/env node
/**
 * `npm run bench`: what the action costs a job, measured side by side in one run.
 *
 *   1. start-up: a full run of dist/index.js (one registry, no `verify`) against bare
 *      `node -e 0`, both in the clean environment a runner gives a step, alternating; and the
 *      post step that cleans up after each run;
 *   2. size: dist/index.js, and every file of dist/ that a plain run loads;
 *   3. merge scaling: mergeEntries, bundled from src/ with the build's own plugins, on config
 *      files with 0, 1,000 and 10,000 registries; and full runs on such files;
 *   4. 32 runs at once into one config file: wall time, and how many entries survive.
 *
 * It measures and prints; it passes or fails nothing (only a run of the action that fails
 * stops it, since its times would mean nothing). The machine's other work shows up as
 * noise: compare figures taken in one run, and repeat a run before trusting a difference.
 *
 *   npm run bench [-- --pairs 40] [--rounds 15] [--dist DIR] [--node PATH] [--only 1,3]
 *
 * --dist measures another build of the action (for example an ncc bundle kept elsewhere);
 * its folder needs the package.json the build writes beside index.js. --node runs the
 * action and bare Node with another Node binary (runners run the action with Node 24); the
 * in-process merge timings of part 3 always use the Node that runs this script.
 */
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parse as parseYaml } from 'yaml'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const options = parseOptions(process.argv.slice(2))
const DIST = path.resolve(options.dist ?? path.join(ROOT, 'dist'))
const NODE = options.node ? path.resolve(options.node) : process.execPath
const ACTION = path.join(DIST, 'index.js')
const POST_ACTION = path.join(DIST, 'post-step.js')
if (!fs.existsSync(ACTION)) throw new Error(`${ACTION} does not exist: run \`npm run build\` first.`)
const WORK = fs.mkdtempSync(path.join(os.tmpdir(), 'upm-auth-bench-'))
const DEFAULTS = Object.fromEntries(
  Object.entries(parseYaml(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')).inputs).map(([name, spec]) => [name, spec.default ?? ''])
)
const ONE_REGISTRY = { 'registry-url': 'https://upm.example.com/npm/', token: 'bench-token-not-a-secret' }

function parseOptions(args) {
  const result = { pairs: 40, rounds: 15, only: '1,2,3,4' }
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i].replace(/^--/, '')
    if (!(name in result) && name !== 'dist' && name !== 'node') {
      throw new Error(`Unknown option ${args[i]}: use --pairs, --rounds, --dist, --node or --only.`)
    }
    result[name] = args[i + 1]
  }
  return {
    ...result,
    pairs: Math.max(20, Number(result.pairs)),
    rounds: Math.max(5, Number(result.rounds)),
    only: new Set(result.only.split(','))
  }
}

// ---------------------------------------------------------------------------------------------
// The step environment and the timing of one process.

/**
 * A fresh folder laid out as a runner lays out a job (home/, temp/, the GITHUB_* command
 * files), and the environment a step gets there: built from nothing, so neither
 * NODE_OPTIONS nor NODE_EXTRA_CA_CERTS from this shell reaches the child (hosted runners set
 * neither, and the CA file alone triples Node's start-up).
 */
function makeStep(inputs = {}, home) {
  const dir = fs.mkdtempSync(path.join(WORK, 'step-'))
  home ??= path.join(dir, 'home')
  const temp = path.join(dir, 'temp')
  fs.mkdirSync(home, { recursive: true })
  fs.mkdirSync(temp)
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    RUNNER_TEMP: temp,
    RUNNER_OS: 'Linux',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: dir,
    GITHUB_EVENT_NAME: 'push',
    GITHUB_ACTOR: 'octocat',
    GITHUB_REPOSITORY: 'example/unity-game'
  }
  for (const name of ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_ENV', 'GITHUB_STEP_SUMMARY']) {
    env[name] = path.join(dir, name.toLowerCase())
    fs.writeFileSync(env[name], '')
  }
  for (const [name, value] of Object.entries({ ...DEFAULTS, ...inputs })) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  return { dir, home, env, config: path.join(home, '.upmconfig.toml') }
}

/** Runs `node ARGS` to its end and returns the wall time in milliseconds. */
function timeNode(args, step) {
  const start = process.hrtime.bigint()
  const child = spawnSync(NODE, args, { cwd: step.dir, env: step.env, stdio: ['ignore', 'pipe', 'pipe'] })
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  if (child.status !== 0)
    throw new Error(`node ${args.join(' ')} failed (${child.status ?? child.signal}):\n${child.stdout}${child.stderr}`)
  return ms
}

/** Runs the action; a run that did not write its registry stops the benchmark. */
function timeAction(step, url = ONE_REGISTRY['registry-url']) {
  const ms = timeNode([ACTION], step)
  if (!fs.readFileSync(step.config, 'utf8').includes(`[npmAuth."${url}"]`))
    throw new Error(`The action did not write ${url} into ${step.config}.`)
  return ms
}

/**
 * Runs the post step of the main step that just ran in `step`, as the runner does: the same
 * environment plus STATE_* from what main saved. The file main created must be gone after it.
 */
function timePost(step) {
  const state = parseStateFile(fs.readFileSync(step.env.GITHUB_STATE, 'utf8'))
  const env = { ...step.env }
  for (const [name, value] of Object.entries(state)) env[`STATE_${name}`] = value
  const ms = timeNode([POST_ACTION], { ...step, env })
  if (fs.existsSync(step.config)) throw new Error(`The post step left ${step.config} behind.`)
  return ms
}

/** GITHUB_STATE as @actions/core writes it: `name<<delimiter`, the value, the delimiter. */
function parseStateFile(text) {
  const state = {}
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i])
    if (!heredoc) continue
    const value = []
    for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) value.push(lines[i])
    state[heredoc[1]] = value.join('\n')
  }
  return state
}

// ---------------------------------------------------------------------------------------------
// Statistics and printing.

function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b)
  const at = (sorted.length - 1) * q
  const low = Math.floor(at)
  return sorted[low] + (sorted[Math.ceil(at)] - sorted[low]) * (at - low)
}
const median = values => quantile(values, 0.5)
const ms = value => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)) + ' ms'
const kb = bytes => `${(bytes / 1024).toFixed(1)} KB`
const spread = values =>
  `median ${ms(median(values))}  (quartiles ${ms(quantile(values, 0.25))} - ${ms(quantile(values, 0.75))}, min ${ms(Math.min(...values))})`
const verdict = (value, budget) => (value <= budget ? `within budget <= ${budget}` : `OVER budget <= ${budget}`)
const row = (cells, widths) => '  ' + cells.map((cell, i) => String(cell)[i === 0 ? 'padEnd' : 'padStart'](widths[i])).join('  ')

// ---------------------------------------------------------------------------------------------
// 1. Start-up against bare Node.

function startUp() {
  console.log(`\n1. Start-up: a full run (one registry, fresh home) against bare \`node -e 0\`, ${options.pairs} alternating pairs`)
  const bare = []
  const action = []
  const post = []
  const pairRatios = []
  for (let i = -3; i < options.pairs; i++) {
    // Both sides get the same fresh step; the first three pairs only warm the disk cache.
    const step = makeStep(ONE_REGISTRY)
    let a, b
    if (i % 2 === 0) {
      b = timeNode(['-e', '0'], step)
      a = timeAction(step)
    } else {
      a = timeAction(step)
      b = timeNode(['-e', '0'], step)
    }
    const p = timePost(step)
    if (i < 0) continue
    bare.push(b)
    action.push(a)
    post.push(p)
    pairRatios.push(a / b)
  }
  const ratio = median(action) / median(bare)
  console.log(`  bare node -e 0        ${spread(bare)}`)
  console.log(`  action (dist/index.js) ${spread(action)}`)
  console.log(
    `  ratio of the medians  ${ratio.toFixed(2)}  (${verdict(ratio, 2)}); median of the pair ratios ${median(pairRatios).toFixed(2)}`
  )
  console.log(`  its post step (cleanup, no budget) ${spread(post)}, ${(median(post) / median(bare)).toFixed(2)}x bare node`)
  if (process.env.NODE_EXTRA_CA_CERTS) {
    const step = makeStep()
    step.env.NODE_EXTRA_CA_CERTS = process.env.NODE_EXTRA_CA_CERTS
    const withCa = Array.from({ length: 10 }, () => timeNode(['-e', '0'], step))
    console.log(`  for scale, not used above: bare node with this shell's NODE_EXTRA_CA_CERTS, median ${ms(median(withCa))}`)
  }
}

// ---------------------------------------------------------------------------------------------
// 2. What a plain run loads.

/**
 * Runs the action once with a preload that records every file Node loads: ES modules
 * through a module hook, CommonJS files from the require cache at exit.
 */
function loadedFiles() {
  const log = path.join(WORK, 'loaded.txt')
  const hooks = path.join(WORK, 'record-loads.mjs')
  const preload = path.join(WORK, 'preload.mjs')
  fs.writeFileSync(
    hooks,
    `import fs from 'node:fs'
let log
export function initialize(file) { log = file }
export async function load(url, context, nextLoad) {
  if (url.startsWith('file:')) fs.appendFileSync(log, url + '\\n')
  return nextLoad(url, context)
}
`
  )
  fs.writeFileSync(
    preload,
    `import fs from 'node:fs'
import { createRequire, register } from 'node:module'
import { pathToFileURL } from 'node:url'
const log = ${JSON.stringify(log)}
register(${JSON.stringify(pathToFileURL(hooks).href)}, { data: log })
const cache = createRequire(import.meta.url).cache
process.on('exit', () => fs.appendFileSync(log, Object.keys(cache).map(f => pathToFileURL(f).href + '\\n').join('')))
`
  )
  fs.writeFileSync(log, '')
  timeNode(['--import', pathToFileURL(preload).href, ACTION], makeStep(ONE_REGISTRY))
  return new Set(
    fs
      .readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map(url => fileURLToPath(url))
  )
}

function sizes() {
  console.log('\n2. Size: dist/, and what a plain run loads from it')
  const loaded = loadedFiles()
  const files = fs.readdirSync(DIST).sort()
  const widths = [16, 10, 0]
  let total = 0
  for (const name of files) {
    const size = fs.statSync(path.join(DIST, name)).size
    const isLoaded = loaded.has(path.join(DIST, name))
    if (isLoaded) total += size
    const role = isLoaded ? 'loaded by a plain run' : name.endsWith('.js') ? 'not loaded by a plain run (loaded on demand)' : ''
    console.log(row([name, kb(size), role], widths))
  }
  const outside = [...loaded].filter(file => !file.startsWith(DIST + path.sep))
  console.log(
    `  a plain run loads ${kb(total)} of JavaScript from dist/` + (outside.length ? `, and from elsewhere: ${outside.join(', ')}` : '')
  )
  // index.js may be only the entry that imports the rest, so the budget is held against all it loads.
  console.log(
    `  dist/index.js ${kb(fs.statSync(ACTION).size)}, with all it loads ${kb(total)}  (${verdict(+(total / 1024).toFixed(1), 200)} KB)`
  )
}

// ---------------------------------------------------------------------------------------------
// 3. Merge scaling.

/** Bundles src/toml/npm-auth.ts with the build's plugins and imports it: the merge code as it ships. */
async function importMerge() {
  const { rollup } = await import('rollup')
  const config = await import(pathToFileURL(path.join(ROOT, 'rollup.config.mjs')).href)
  const bundle = await rollup({
    input: path.join(ROOT, 'src', 'toml', 'npm-auth.ts'),
    plugins: config.compilePlugins(),
    onwarn: config.default.onwarn
  })
  const out = path.join(WORK, 'merge')
  await bundle.write({ dir: out, format: 'es' })
  await bundle.close()
  fs.writeFileSync(path.join(out, 'package.json'), '{"type":"module"}\n')
  return import(pathToFileURL(path.join(out, 'npm-auth.js')).href)
}

const SIZES = [0, 1000, 10000]

/** A config file with `count` registries, as Unity users write them. */
function configText(count) {
  return Array.from({ length: count }, (_, i) => `[npmAuth."https://reg-${i}.example/"]\ntoken = "token-${i}"\nalwaysAuth = true\n`).join(
    '\n'
  )
}

/** Median milliseconds of `fn()`, after a warm-up; at least 7 calls, more while under 0.4 s. */
function timeCall(fn) {
  for (let i = 0; i < 3; i++) fn()
  const times = []
  const until = performance.now() + 400
  while (times.length < 7 || (times.length < 1000 && performance.now() < until)) {
    const start = performance.now()
    fn()
    times.push(performance.now() - start)
  }
  return median(times)
}

async function mergeScaling() {
  console.log('\n3. Merge scaling: one registry into a config file that has 0, 1,000 or 10,000')
  const { mergeEntries } = await importMerge()
  const { parse } = await import('smol-toml')
  const entry = url => ({ url, token: 'new-token', alwaysAuth: true, form: 'token' })
  const texts = Object.fromEntries(SIZES.map(n => [n, configText(n)]))
  const add = {}
  const replace = {}
  const parseOnly = {}
  for (const n of SIZES) {
    parseOnly[n] = timeCall(() => parse(texts[n]))
    add[n] = timeCall(() => mergeEntries(texts[n], [entry('https://new.example/')], 'bench.toml'))
    if (n > 0) replace[n] = timeCall(() => mergeEntries(texts[n], [entry(`https://reg-${n / 2}.example/`)], 'bench.toml'))
  }
  const widths = [12, 10, 12, 9, 14, 9, 16]
  console.log('  mergeEntries (the pure function, median of repeated calls), and smol-toml parsing the file once:')
  console.log(row(['registries', 'file', 'add one', 'x empty', 'replace one', 'x empty', 'parse alone'], widths))
  for (const n of SIZES) {
    const r = replace[n]
    const cells = [
      n.toLocaleString('en'),
      kb(texts[n].length),
      ms(add[n]),
      (add[n] / add[0]).toFixed(0),
      r ? ms(r) : '-',
      r ? (r / add[0]).toFixed(0) : '-'
    ]
    console.log(row([...cells, ms(parseOnly[n])], widths))
  }
  const growth = table => `x${(table[10000] / table[1000]).toFixed(1)}`
  console.log(
    `  from 1,000 to 10,000 registries (10x the file): add ${growth(add)}, replace ${growth(replace)}, parse alone ${growth(parseOnly)}; linear is x10`
  )

  console.log(`  a full run of the action that adds one registry to such a file (${options.rounds} rounds, sizes alternating):`)
  const runs = Object.fromEntries(SIZES.map(n => [n, []]))
  for (let round = -1; round < options.rounds; round++) {
    const order = round % 2 === 0 ? SIZES : [...SIZES].reverse()
    for (const n of order) {
      const step = makeStep(ONE_REGISTRY)
      fs.writeFileSync(step.config, texts[n])
      const time = timeAction(step)
      if (round >= 0) runs[n].push(time)
    }
  }
  for (const n of SIZES) {
    const ratio = median(runs[n]) / median(runs[0])
    const note = n === 10000 ? `  (${verdict(ratio, 3)})` : ''
    console.log(`  ${n.toLocaleString('en').padStart(6)} registries: ${spread(runs[n])}, x${ratio.toFixed(2)} of an empty file${note}`)
  }
  // What the file's size adds to a run: reading, parsing and writing it, with cold code.
  const extra = n => median(runs[n]) - median(runs[0])
  console.log(
    `  what the file adds to a run: ${ms(extra(1000))} at 1,000 registries, ${ms(extra(10000))} at 10,000: ` +
      `x${(extra(10000) / extra(1000)).toFixed(1)} for 10x the file (linear is x10)`
  )
}

// ---------------------------------------------------------------------------------------------
// 4. Parallel runs into one file.

/** Starts every run at once; resolves with the wall time and each run's exit code and output. */
function runAll(runs) {
  const start = process.hrtime.bigint()
  return Promise.all(
    runs.map(
      ({ args, step }) =>
        new Promise(resolve => {
          const child = spawn(NODE, args, { cwd: step.dir, env: step.env, stdio: ['ignore', 'pipe', 'pipe'] })
          let output = ''
          child.stdout.on('data', chunk => (output += chunk))
          child.stderr.on('data', chunk => (output += chunk))
          child.on('close', code => resolve({ code, output }))
        })
    )
  ).then(results => ({ ms: Number(process.hrtime.bigint() - start) / 1e6, results }))
}

async function parallel() {
  const count = 32
  const rounds = 3
  console.log(`\n4. ${count} runs at once, each adding its own registry to one shared config file (${rounds} rounds)`)
  const { parse } = await import('smol-toml')
  const walls = { bare: [], action: [] }
  for (let round = 0; round < rounds; round++) {
    const home = path.join(fs.mkdtempSync(path.join(WORK, 'shared-')), 'home')
    const steps = Array.from({ length: count }, (_, i) =>
      makeStep({ 'registry-url': `https://reg-${i}.example/`, token: `token-${i}` }, home)
    )
    const bare = () => runAll(steps.map(step => ({ args: ['-e', '0'], step })))
    const action = () => runAll(steps.map(step => ({ args: [ACTION], step })))
    const [b, a] = round % 2 === 0 ? [await bare(), await action()] : [await action(), await bare()].reverse()
    walls.bare.push(b.ms)
    walls.action.push(a.ms)

    const failed = a.results.filter(r => r.code !== 0)
    const config = path.join(home, '.upmconfig.toml')
    let present = 'the file is missing'
    try {
      const npmAuth = parse(fs.readFileSync(config, 'utf8')).npmAuth ?? {}
      present = `${steps.filter((_, i) => npmAuth[`https://reg-${i}.example/`]?.token === `token-${i}`).length} of ${count} entries present`
    } catch (error) {
      if (fs.existsSync(config)) present = `the file is not valid TOML (${error.message.split('\n')[0]})`
    }
    const leftovers = fs.readdirSync(home).filter(name => name !== '.upmconfig.toml')
    console.log(
      `  round ${round + 1}: ${count} actions ${ms(a.ms)}, ${count} bare nodes ${ms(b.ms)}; ${present}; ` +
        `${failed.length} runs failed; ${leftovers.length} other files left in home` +
        (failed.length ? `\n    first failure: ${failed[0].output.trim().split('\n').pop()}` : '')
    )
  }
  console.log(`  median wall time: ${count} actions ${ms(median(walls.action))}, ${count} bare nodes ${ms(median(walls.bare))}`)
}

// ---------------------------------------------------------------------------------------------

process.chdir(ROOT)
const load = () =>
  os
    .loadavg()
    .map(v => v.toFixed(2))
    .join(' ')
console.log(`upm-auth benchmark, ${new Date().toISOString()}`)
const nodeVersion = spawnSync(NODE, ['--version'], { encoding: 'utf8' }).stdout.trim()
console.log(
  `Node ${nodeVersion} runs the action (${NODE}); ${os.platform()}-${os.arch()}, ${os.cpus().length} cores, load average ${load()}`
)
console.log(`action: ${ACTION}`)
try {
  if (options.only.has('1')) startUp()
  if (options.only.has('2')) sizes()
  if (options.only.has('3')) await mergeScaling()
  if (options.only.has('4')) await parallel()
} finally {
  fs.rmSync(WORK, { recursive: true, force: true })
}
console.log(`\nload average at the end ${load()}`)
