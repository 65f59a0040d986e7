/**
 * Runs the bundled action (dist/index.js, and dist/post-step.js for the post step) the way the
 * GitHub runner does: a fresh process
 * with INPUT_* variables (action.yml defaults filled in), the GITHUB_* command files, and a
 * temporary home. Reads back outputs, state, exported env and the job summary.
 */
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse as parseYaml } from 'yaml'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

interface ActionYml {
  inputs: Record<string, { default?: string }>
  runs: { main: string; post: string }
}

function actionYml(): ActionYml {
  return parseYaml(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as ActionYml
}

/** The files the runner runs: action.yml's `runs.main` and `runs.post`, so the tests run what the runner would. */
export const DIST = path.join(ROOT, actionYml().runs.main)
export const POST_DIST = path.join(ROOT, actionYml().runs.post)
const KILL_AT = path.join(ROOT, '__tests__', 'support', 'kill-at.cjs')
const AS_HOST = path.join(ROOT, '__tests__', 'support', 'as-host.cjs')

/** Whether runs can stand in another host (`hostname` in RunOptions): root, with unshare. */
export function canStandInHost(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false
  return spawnSync('unshare', ['--uts', '--', 'true']).status === 0
}

/** The defaults action.yml declares, as the runner passes them. */
export function actionDefaults(): Record<string, string> {
  return Object.fromEntries(Object.entries(actionYml().inputs).map(([name, spec]) => [name, spec.default ?? '']))
}

export interface RunOptions {
  /** Inputs by their action.yml names; unset ones get action.yml's defaults. */
  inputs?: Record<string, string>
  /** Extra environment (wins over the defaults below). */
  env?: Record<string, string | undefined>
  /** Folder for HOME, RUNNER_TEMP and the command files; made fresh when absent. */
  dir?: string
  /** Which step to run: the main step unless told (runPost runs the post step). */
  step?: 'main' | 'post'
  /** Saved state from the main step, passed to the post step as STATE_* variables. */
  state?: Record<string, string>
  /** Milliseconds before the process is killed. */
  timeoutMs?: number
  /** The signal sent when `timeoutMs` runs out: SIGKILL unless given (the runner cancels a job with SIGINT). */
  killSignal?: NodeJS.Signals
  /**
   * Run as this account; the runner folder and command files are handed to it. Lets a suite
   * running as root meet the permission checks root itself would skip.
   */
  user?: { uid: number; gid: number }
  /** Kill the run with SIGKILL right after this file operation (see kill-at.cjs): `<path suffix>:<n>`. */
  killAt?: string
  /**
   * Run as if on another machine: a UTS namespace of its own (`unshare --uts`, root only) with
   * this host name, so its host identity differs from this host's while it shares the files.
   */
  hostname?: string
}

export interface RunResult {
  code: number | null
  /** The signal that ended the process (`killSignal` when `timeoutMs` ran out and it did not handle it), else null. */
  signal: NodeJS.Signals | null
  /** The options of this run, so its post step gets the same inputs and environment. */
  options: RunOptions
  stdout: string
  stderr: string
  outputs: Record<string, string>
  state: Record<string, string>
  exportedEnv: Record<string, string>
  summary: string
  /** The folder holding home/, temp/ and the command files. */
  dir: string
  home: string
  runnerTemp: string
  /** Raw bytes of the command files, for checks that look for any trace of a secret. */
  files: { output: string; state: string; env: string; summary: string }
}

/** A fresh folder with home/ and temp/, as a runner gives a job. */
export function makeRunnerDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'upm-auth-run-'))
  fs.mkdirSync(path.join(dir, 'home'))
  fs.mkdirSync(path.join(dir, 'temp'))
  return dir
}

/** Parses a GITHUB_OUTPUT / GITHUB_STATE / GITHUB_ENV file (`name<<delimiter` blocks or `name=value`). */
export function parseCommandFile(text: string): Record<string, string> {
  const result: Record<string, string> = {}
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    if (heredoc) {
      const [, name, delimiter] = heredoc
      const value: string[] = []
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i])
      result[name] = value.join('\n')
    } else if (line.includes('=')) {
      const eq = line.indexOf('=')
      result[line.slice(0, eq)] = line.slice(eq + 1)
    }
  }
  return result
}

/** Runs one step of the action: dist/index.js, or dist/post-step.js for `step: 'post'`. */
export async function runAction(options: RunOptions = {}): Promise<RunResult> {
  const dir = options.dir ?? makeRunnerDir()
  const home = path.join(dir, 'home')
  const runnerTemp = path.join(dir, 'temp')
  const files = {
    output: path.join(dir, 'github_output'),
    state: path.join(dir, 'github_state'),
    env: path.join(dir, 'github_env'),
    summary: path.join(dir, 'github_step_summary')
  }
  for (const file of Object.values(files)) fs.writeFileSync(file, '')
  if (options.user) {
    for (const owned of [dir, home, runnerTemp, ...Object.values(files)]) fs.chownSync(owned, options.user.uid, options.user.gid)
  }

  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    USERPROFILE: home,
    RUNNER_TEMP: runnerTemp,
    RUNNER_OS: 'Linux',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: dir,
    GITHUB_EVENT_NAME: 'push',
    GITHUB_ACTOR: 'octocat',
    GITHUB_REPOSITORY: 'example/unity-game',
    GITHUB_OUTPUT: files.output,
    GITHUB_STATE: files.state,
    GITHUB_ENV: files.env,
    GITHUB_STEP_SUMMARY: files.summary
  }
  const inputs = { ...actionDefaults(), ...options.inputs }
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  for (const [name, value] of Object.entries(options.state ?? {})) env[`STATE_${name}`] = value
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) Reflect.deleteProperty(env, name)
    else env[name] = value
  }

  const nodeArgs = [
    ...(options.hostname ? ['--require', AS_HOST] : []),
    ...(options.killAt ? ['--require', KILL_AT] : []),
    options.step === 'post' ? POST_DIST : DIST
  ]
  if (options.killAt) env.UPM_AUTH_KILL_AT = options.killAt
  if (options.hostname) env.UPM_AUTH_TEST_HOSTNAME = options.hostname
  const [program, args] = options.hostname ? ['unshare', ['--uts', '--', process.execPath, ...nodeArgs]] : [process.execPath, nodeArgs]
  const child = spawn(program, args, {
    cwd: dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options.user
  })
  let stdout = ''
  let stderr = ''
  // Decoded by the stream, so a character split across two chunks stays whole.
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const timer = setTimeout(() => {
    child.kill(options.killSignal ?? 'SIGKILL')
  }, options.timeoutMs ?? 20000)
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(resolve =>
    child.on('close', (exitCode, exitSignal) => {
      resolve([exitCode, exitSignal])
    })
  )
  clearTimeout(timer)

  const raw = {
    output: fs.readFileSync(files.output, 'utf8'),
    state: fs.readFileSync(files.state, 'utf8'),
    env: fs.readFileSync(files.env, 'utf8'),
    summary: fs.readFileSync(files.summary, 'utf8')
  }
  return {
    code,
    signal,
    options,
    stdout,
    stderr,
    outputs: parseCommandFile(raw.output),
    state: parseCommandFile(raw.state),
    exportedEnv: parseCommandFile(raw.env),
    summary: raw.summary,
    dir,
    home,
    runnerTemp,
    files: raw
  }
}

/**
 * Runs the post step of a finished main run, as the runner does: the same folder, inputs and
 * environment, and the state the main step saved.
 */
export function runPost(
  main: RunResult,
  options: Pick<RunOptions, 'env' | 'timeoutMs' | 'killAt' | 'killSignal'> = {}
): Promise<RunResult> {
  return runAction({
    ...main.options,
    dir: main.dir,
    step: 'post',
    state: main.state,
    env: { ...main.options.env, ...options.env },
    timeoutMs: options.timeoutMs,
    killAt: options.killAt,
    killSignal: options.killSignal
  })
}

/**
 * Everything the runner shows or keeps from one run, by place. `::add-mask::` commands are
 * left out: they are the one place a secret belongs, since that is how the runner learns to
 * hide it.
 */
export function shownByRunner(result: RunResult): Record<string, string> {
  return {
    stdout: result.stdout
      .split('\n')
      .filter(line => !line.startsWith('::add-mask::'))
      .join('\n'),
    stderr: result.stderr,
    outputs: result.files.output,
    state: result.files.state,
    'exported env': result.files.env,
    'job summary': result.files.summary
  }
}

/** The secrets found in what the runner shows or keeps, with where (only a secret's start is named). */
export function leakedSecrets(result: RunResult, secrets: string[]): string[] {
  const places = Object.entries(shownByRunner(result))
  return secrets.flatMap(secret =>
    places.filter(([, text]) => text.includes(secret)).map(([place]) => `${secret.slice(0, 6)}… in ${place}`)
  )
}
