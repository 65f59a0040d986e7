/**
 * A real npm registry for end-to-end tests: Verdaccio 6.8.0 as a child process, with its own
 * temporary config, storage and htpasswd, on 127.0.0.1 and a free port. It has no uplinks, so
 * nothing leaves the machine, and every package needs a credential to be read.
 *
 * Start it in beforeAll and stop it in afterAll: jest runs afterAll also when tests or
 * beforeAll fail, `stop()` may be called twice, and the child is killed when the test process
 * exits in any case.
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { stringify as toYaml } from 'yaml'
import { ROOT } from './action-runner.js'
import { freePort } from './http-servers.js'

const VERDACCIO_BIN = path.join(ROOT, 'node_modules', 'verdaccio', 'bin', 'verdaccio')

export interface VerdaccioOptions {
  /**
   * The origin Verdaccio writes into tarball URLs (VERDACCIO_PUBLIC_URL), for serving tarballs
   * from another origin than the metadata.
   */
  publicUrl?: string
  /** Users written into htpasswd before start, for names Verdaccio's sign-up does not create (e-mail addresses). */
  htpasswdUsers?: { name: string; password: string }[]
  /** Milliseconds to wait until the registry answers; it is killed if it does not. */
  startTimeoutMs?: number
}

export interface Verdaccio {
  /** `http://127.0.0.1:PORT/` */
  url: string
  port: number
  /** Creates a user the way `npm adduser` does and returns the token Verdaccio hands out. */
  addUser(name: string, password: string): Promise<string>
  /** Publishes a package folder with the npm CLI, as a package author would. */
  publish(packageDir: string, token: string): Promise<void>
  /** Unpublishes one version (`name@version`) with the npm CLI, as a package author would. */
  unpublish(spec: string, token: string): Promise<void>
  /** Stops the server and removes its files. Safe to call more than once. */
  stop(): Promise<void>
}

/** Starts Verdaccio and waits until it answers; retries on another port if the port was taken meanwhile. */
export async function startVerdaccio(options: VerdaccioOptions = {}): Promise<Verdaccio> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'upm-auth-verdaccio-'))
  const htpasswd = path.join(dir, 'htpasswd')
  fs.writeFileSync(
    htpasswd,
    (options.htpasswdUsers ?? []).map(u => `${u.name}:{SHA}${createHash('sha1').update(u.password, 'utf8').digest('base64')}:\n`).join('')
  )
  const config = path.join(dir, 'config.yaml')
  fs.writeFileSync(
    config,
    toYaml({
      storage: path.join(dir, 'storage'),
      // Few bcrypt rounds: Basic auth hashes the password on every request.
      auth: { htpasswd: { file: htpasswd, rounds: 4 } },
      uplinks: {},
      packages: { '**': { access: '$authenticated', publish: '$authenticated', unpublish: '$authenticated' } },
      web: { enable: false },
      log: { type: 'stdout', format: 'json', level: 'warn' }
    })
  )

  let lastError: Error | undefined
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort()
    try {
      const child = await launch(config, port, options)
      return registry(child, port, dir)
    } catch (error) {
      lastError = error as Error
      if (!/EADDRINUSE/.test(lastError.message)) break
    }
  }
  fs.rmSync(dir, { recursive: true, force: true })
  throw lastError ?? new Error('Verdaccio did not start')
}

async function launch(config: string, port: number, options: VerdaccioOptions): Promise<ChildProcess> {
  const env: Record<string, string | undefined> = { ...process.env, NODE_OPTIONS: undefined }
  if (options.publicUrl) env.VERDACCIO_PUBLIC_URL = options.publicUrl
  const child = spawn(process.execPath, [VERDACCIO_BIN, '-c', config, '-l', `127.0.0.1:${port}`], {
    env: env,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let log = ''
  const keep = (chunk: Buffer): void => {
    log = (log + chunk.toString()).slice(-4000)
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  const killOnExit = (): void => {
    child.kill('SIGKILL')
  }
  process.on('exit', killOnExit)
  child.once('exit', () => process.off('exit', killOnExit))

  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000)
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`Verdaccio exited while starting on port ${port} (code ${child.exitCode}). Its output:\n${log}`)
    }
    try {
      const response = await fetch(`http://127.0.0.1:${port}/-/ping`, { signal: AbortSignal.timeout(1000) })
      if (response.ok) return child
    } catch {
      // Not listening yet.
    }
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  await kill(child)
  throw new Error(`Verdaccio did not answer on port ${port} within ${options.startTimeoutMs ?? 30_000} ms. Its output:\n${log}`)
}

function registry(child: ChildProcess, port: number, dir: string): Verdaccio {
  const url = `http://127.0.0.1:${port}/`
  let stopped = false
  /** An npm user config that authenticates a package author to this registry. */
  const authorNpmrc = (token: string): string => {
    const npmrc = path.join(dir, 'publish.npmrc')
    fs.writeFileSync(npmrc, `//127.0.0.1:${port}/:_authToken=${token}\n`, { mode: 0o600 })
    return npmrc
  }
  return {
    url,
    port,
    async addUser(name, password) {
      const response = await fetch(`${url}-/user/org.couchdb.user:${encodeURIComponent(name)}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ _id: `org.couchdb.user:${name}`, name, password, type: 'user', roles: [], date: new Date().toISOString() }),
        signal: AbortSignal.timeout(10_000)
      })
      const body = (await response.json()) as { token?: string }
      if (response.status !== 201 || !body.token) throw new Error(`Verdaccio did not create user ${name}: HTTP ${response.status}`)
      return body.token
    },
    async publish(packageDir, token) {
      await runNpm(['publish', packageDir, '--registry', url, '--userconfig', authorNpmrc(token), '--ignore-scripts'])
    },
    async unpublish(spec, token) {
      await runNpm(['unpublish', spec, '--registry', url, '--userconfig', authorNpmrc(token), '--force'])
    },
    async stop() {
      if (stopped) return
      stopped = true
      await kill(child)
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }
}

/** Ends the child: SIGTERM, then SIGKILL if it is still there after 5 s. */
async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>(resolve =>
    child.once('exit', () => {
      resolve()
    })
  )
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
  await exited
  clearTimeout(timer)
}

/** Runs the npm CLI that runs these tests (npm_execpath), or the one on PATH. */
function runNpm(args: string[]): Promise<void> {
  const npmCli = process.env.npm_execpath
  const [command, commandArgs] =
    npmCli && /\.c?js$/.test(npmCli) ? [process.execPath, [npmCli, ...args]] : [process.platform === 'win32' ? 'npm.cmd' : 'npm', args]
  const env = {
    ...process.env,
    NODE_OPTIONS: undefined,
    npm_config_update_notifier: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false'
  }
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: process.platform === 'win32' && command === 'npm.cmd'
    })
    let output = ''
    const collect = (chunk: string): void => {
      output += chunk
    }
    child.stdout.setEncoding('utf8').on('data', collect)
    child.stderr.setEncoding('utf8').on('data', collect)
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.on('error', reject)
    child.on('close', code => {
      clearTimeout(timer)
      if (code === 0) resolve()
      else reject(new Error(`npm ${args[0]} failed (exit ${code}):\n${output.slice(-2000)}`))
    })
  })
}

/** A Unity package: a reverse-domain `com.example.*` name and the package.json fields Unity reads. */
export function writeUnityPackage(name: string, version: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'upm-auth-package-'))
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify(
      {
        name,
        version,
        displayName: 'Hello (fixture)',
        description: 'A fixture package for upm-auth tests.',
        unity: '2021.3',
        author: { name: 'Example' }
      },
      null,
      2
    )
  )
  fs.mkdirSync(path.join(dir, 'Runtime'))
  fs.writeFileSync(path.join(dir, 'Runtime', 'Hello.cs'), 'public static class Hello { public const string Greeting = "hello"; }\n')
  return dir
}

/** The users and package every end-to-end registry holds. */
export interface RegistryFixture {
  registry: Verdaccio
  /** A user created through Verdaccio's sign-up, and the token it returned. */
  tokenUser: { name: string; password: string; token: string }
  /** A user for username + password (Basic auth). */
  basicUser: { name: string; password: string }
  /** A user whose name is an e-mail address, with a personal access token as password (Unity's email + PAT recipe). */
  emailUser: { email: string; pat: string }
  pkg: { name: string; version: string }
}

/**
 * Starts a registry with the three kinds of user and publishes `com.example.hello@1.0.0`,
 * which only a request with a credential can read. Secrets are recognisable canaries, so a
 * test can look for any trace of them.
 */
export async function startRegistryFixture(options: Omit<VerdaccioOptions, 'htpasswdUsers'> = {}): Promise<RegistryFixture> {
  const emailUser = { email: 'dev@example.com', pat: 'canary-pat-7c1e0d' }
  const registry = await startVerdaccio({ ...options, htpasswdUsers: [{ name: emailUser.email, password: emailUser.pat }] })
  try {
    const tokenUser = { name: 'publisher', password: 'canary-publisher-3f9a' }
    const basicUser = { name: 'builder', password: 'canary-password-5b2d' }
    const token = await registry.addUser(tokenUser.name, tokenUser.password)
    await registry.addUser(basicUser.name, basicUser.password)
    const pkg = { name: 'com.example.hello', version: '1.0.0' }
    const packageDir = writeUnityPackage(pkg.name, pkg.version)
    try {
      await registry.publish(packageDir, token)
    } finally {
      fs.rmSync(packageDir, { recursive: true, force: true })
    }
    return { registry, tokenUser: { ...tokenUser, token }, basicUser, emailUser, pkg }
  } catch (error) {
    await registry.stop()
    throw error
  }
}
