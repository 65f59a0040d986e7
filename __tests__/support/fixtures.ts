/** Shared test data and scratch space: credential inputs, base64, a dead pid, temporary folders. */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { RegistryInputs } from '../../src/registries.js'

/** Every credential input empty (as action.yml defaults them), with `overrides` set. */
export function registryInputs(overrides: Partial<RegistryInputs>): RegistryInputs {
  return {
    registryUrl: '',
    token: '',
    auth: '',
    email: '',
    pat: '',
    username: '',
    password: '',
    oidc: '',
    oidcAudience: '',
    oidcProviderName: '',
    oidcService: '',
    oidcExchangeUrl: '',
    alwaysAuth: 'true',
    registries: '',
    ...overrides
  }
}

/** Base64 of `text` as UTF-8 (or of the bytes given), as `_auth` holds it. */
export function b64(text: string | Uint8Array): string {
  return Buffer.from(text).toString('base64')
}

/**
 * The pid of a process that has ended: a child that exits at once, waited for. (The system may
 * give the number to a new process later; within a test that is as good as it gets.)
 */
export function deadPid(): number {
  const { pid } = spawnSync(process.execPath, ['-e', ''])
  try {
    process.kill(pid, 0)
  } catch {
    return pid
  }
  throw new Error(`pid ${String(pid)} of an ended child is in use again`)
}

export interface TempDir {
  readonly path: string
  /** Removes the folder and everything in it; safe to call twice. */
  remove(): void
}

/**
 * A new empty folder under the system's temporary folder (under the run's root that
 * global-setup.mjs makes, which is removed when the run ends, whatever happens).
 */
export function tempDir(prefix: string): TempDir {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `upm-auth-${prefix}`))
  return {
    path: dir,
    remove: () => {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }
}

/**
 * A fresh temporary folder for each test of the file that calls it, removed after the test:
 * `const dir = tempDirEach('lock-')`, then `dir.path` inside a test.
 */
export function tempDirEach(prefix: string): { readonly path: string } {
  let current: TempDir | undefined
  beforeEach(() => (current = tempDir(prefix)))
  afterEach(() => current?.remove())
  return {
    get path(): string {
      if (!current) throw new Error('tempDirEach: .path is only there inside a test')
      return current.path
    }
  }
}
