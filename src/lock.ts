/**
 * An exclusive lock file next to the user config file (`.upmconfig.toml.lock`), so that jobs
 * sharing one home on a self-hosted runner read, merge and replace the file one at a time
 * and never lose each other's entries.
 *
 * The lock is a file created with O_EXCL (`wx`), which is atomic on every OS and on network
 * shares, and holds who took it: process id, host and time. A lock whose holder died is
 * recognised (process gone on this host, or older than a bound) and taken over.
 */
import fs from 'node:fs'
import os from 'node:os'
import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { describeFsError, errorCode, removeQuietly, retrySharingViolations } from './fs-errors.js'
import { ConfigFileError, PrivateFileWriteError } from './errors.js'
import { tryParseJson } from './json.js'
import { isPlainObject } from './plain-object.js'
import { writePrivateFile } from './private-file.js'

export interface LockOptions {
  /** How long to wait for another holder before giving up, in ms. */
  timeoutMs?: number
  /**
   * A lock older than this (ms) is taken to be left behind by a holder that died. Holders
   * keep it for milliseconds; the bound applies only to holders on other hosts (a shared
   * network home), whose process cannot be checked: one on this host is stale only once its
   * process has ended.
   */
  staleMs?: number
  /** Told when a stale lock is taken over (the caller decides where that is logged). */
  log?: (message: string) => void
}

/** What a lock file holds. */
export interface LockInfo {
  pid: number
  hostname: string
  /**
   * The PID namespace on Linux: a container may share the host name (`--network host`) but
   * not the process table, so a pid is only checked when this matches too.
   */
  pidNamespace?: string
  /** Epoch ms when it was taken. */
  created: number
  /** Tells this holder's lock from a later one at the same path. */
  token: string
}

interface HeldLock {
  path: string
  token: string
}

export const DEFAULT_LOCK_TIMEOUT_MS = 60_000
export const DEFAULT_STALE_MS = 20_000
/** A lock file without readable content is young while its holder writes it; after this it is a leftover. */
const UNREADABLE_GRACE_MS = 5_000

/** The lock file of a config file. */
export function lockPathOf(file: string): string {
  return `${file}.lock`
}

/** Runs `fn` while holding the lock of `file`; the lock is released however `fn` ends. */
export async function withFileLock<T>(file: string, fn: () => T | Promise<T>, options: LockOptions = {}): Promise<T> {
  const lock = await acquireLock(file, options)
  try {
    return await fn()
  } finally {
    releaseLock(lock)
  }
}

async function acquireLock(file: string, options: LockOptions): Promise<HeldLock> {
  const lockPath = lockPathOf(file)
  const timeoutMs = options.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS
  const deadline = Date.now() + timeoutMs
  let delay = 5
  let deniedSince: number | undefined
  // When this waiter first saw each lock file: its age as this host observed it, whatever the holder's clock says.
  let seen: { key: string; at: number } | undefined
  let retriedAtOnce = false
  for (;;) {
    const info: LockInfo = { ...thisProcess(), created: Date.now(), token: randomBytes(8).toString('hex') }
    const created = tryCreate(lockPath, info, file)
    if (created === 'created') return { path: lockPath, token: info.token }
    if (created === 'denied' && Date.now() - (deniedSince ??= Date.now()) > WINDOWS_DENIAL_MS) {
      throw cannotCreate(file, lockPath, Object.assign(new Error(), { code: 'EPERM' }))
    }

    const read = readLock(lockPath, file)
    // Released between our attempt and the read, or left by a holder that died: try again at once
    // (once in a row; after that, back off like any wait).
    let retryAtOnce = read.kind === 'gone'
    const holder = read.kind === 'held' || read.kind === 'incomplete' ? read.content : undefined
    if (holder) {
      const key = `${holder.ino}:${holder.raw}`
      if (seen?.key !== key) seen = { key, at: Date.now() }
      const staleBecause = staleReason(holder, Date.now(), staleMs, seen.at)
      if (staleBecause && breakLock(lockPath, holder)) {
        options.log?.(`Took over the lock ${lockPath}: ${staleBecause}.`)
        retryAtOnce = true
      }
    }
    if (Date.now() >= deadline) {
      const who = holder?.info ? `process ${holder.info.pid} on ${holder.info.hostname}` : 'another process'
      throw new ConfigFileError(
        `Waited ${Math.round(timeoutMs / 1000)} s for the lock ${lockPath}, held by ${who}: another job is writing ${file}. ` +
          `Run again; if no other job uses this file, delete ${lockPath}.`
      )
    }
    if (retryAtOnce && !retriedAtOnce) {
      retriedAtOnce = true
      continue
    }
    retriedAtOnce = false
    // Jitter keeps many waiting jobs from retrying in lock step.
    await sleep(delay + Math.random() * delay)
    delay = Math.min(delay * 2, 200)
  }
}

/**
 * How long Windows may refuse to create the lock file (EPERM) before that counts as a
 * permission problem: it also refuses while the previous holder's lock is being deleted.
 */
const WINDOWS_DENIAL_MS = 2_000

/**
 * Creates the lock file exclusively: 'held' when another holder has it, 'denied' for a Windows
 * EPERM that may be passing.
 */
function tryCreate(lockPath: string, info: LockInfo, file: string): 'created' | 'held' | 'denied' {
  try {
    // No secret in it (who holds it, and since when): mode 0600, but no Windows access rules to pay for.
    writePrivateFile(lockPath, JSON.stringify(info), { secret: false, retryOpen: false })
    return 'created'
  } catch (error) {
    if (error instanceof PrivateFileWriteError) {
      throw new ConfigFileError(`Cannot write ${file}: cannot write its lock file ${lockPath}: ${describeFsError(error)}.`)
    }
    const code = errorCode(error)
    if (code === 'EEXIST') return 'held'
    if (process.platform === 'win32' && code === 'EPERM') return 'denied'
    throw cannotCreate(file, lockPath, error)
  }
}

function cannotCreate(file: string, lockPath: string, error: unknown): ConfigFileError {
  return new ConfigFileError(`Cannot write ${file}: cannot create its lock file ${lockPath}: ${describeFsError(error)}.`)
}

/** A lock file as one waiter saw it: which file (inode and time) and what it held. */
export interface LockFileContent {
  raw: string
  info?: LockInfo
  mtimeMs: number
  ino: number
}

/** What reading a lock file found. */
export type LockRead =
  /** A complete record: who holds it. */
  | { kind: 'held'; content: LockFileContent & { info: LockInfo } }
  /** No complete record: being written right now, or left empty by a holder killed between create and write. */
  | { kind: 'incomplete'; content: LockFileContent }
  /** There, but this account may not read it (another account's lock); `code` is the fs error's. */
  | { kind: 'unreadable'; code: string | undefined }
  /** Not there: released since it was last seen. */
  | { kind: 'gone' }

/**
 * Reads the lock file. A lock path that is not a regular file (a link, a folder) is no lock this
 * action took: an error naming it, rather than a wait that can never end.
 */
export function readLock(lockPath: string, file = lockPath.replace(/\.lock$/, '')): LockRead {
  try {
    const stat = retrySharingViolations(() => fs.lstatSync(lockPath))
    if (!stat.isFile()) {
      throw new ConfigFileError(
        `Cannot write ${file}: its lock file ${lockPath} is ${stat.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}, ` +
          'which upm-auth never creates. Delete it, then run again.'
      )
    }
    const raw = retrySharingViolations(() => fs.readFileSync(lockPath, 'utf8'))
    const seen = { raw, mtimeMs: stat.mtimeMs, ino: stat.ino }
    const info = parseLockInfo(raw)
    return info ? { kind: 'held', content: { ...seen, info } } : { kind: 'incomplete', content: seen }
  } catch (error) {
    if (error instanceof ConfigFileError) throw error
    const code = errorCode(error)
    return code === 'ENOENT' ? { kind: 'gone' } : { kind: 'unreadable', code }
  }
}

/** Parses lock file content; undefined when it is not (yet) a complete record. */
export function parseLockInfo(raw: string): LockInfo | undefined {
  // Not JSON: being written right now, or left empty by a holder killed between create and write.
  const value = tryParseJson(raw)
  if (
    isPlainObject(value) &&
    typeof value.pid === 'number' &&
    typeof value.hostname === 'string' &&
    typeof value.created === 'number' &&
    typeof value.token === 'string'
  ) {
    return value as unknown as LockInfo
  }
  return undefined
}

/**
 * Why a lock is stale, or undefined when its holder may still be working. Pure apart from
 * asking whether a process on this host is alive. `seenSince`: when the caller first saw this
 * very lock file.
 */
export function staleReason(
  holder: { info?: LockInfo; mtimeMs: number },
  now: number,
  staleMs: number,
  seenSince: number = now
): string | undefined {
  const { info } = holder
  if (!info) {
    return now - holder.mtimeMs > Math.min(staleMs, UNREADABLE_GRACE_MS) ? 'it was left empty by a holder that died' : undefined
  }
  const me = thisProcess()
  if (info.hostname === me.hostname && info.pidNamespace === me.pidNamespace) {
    // A holder on this host can be asked: while its process lives it is never stale, however long
    // it takes (a frozen container, a suspended VM, heavy swapping), since it may still write.
    return isProcessAlive(info.pid) ? undefined : `its holder, process ${info.pid}, has ended`
  }
  // The holder's clock may run ahead of ours (or its record claim a time in the future): the lock
  // is as old as the older of what it says and how long this waiter has seen it.
  const age = Math.max(now - info.created, now - seenSince)
  if (age > staleMs)
    return `it was taken ${Math.round(age / 1000)} s ago by process ${info.pid} on ${info.hostname}, longer than any write takes`
  return undefined
}

/**
 * A breaker dead longer than this left its guard behind. Breaking takes microseconds.
 */
const BREAK_GUARD_STALE_MS = 5_000

/**
 * Removes a stale lock, if the lock file is still the very one judged stale.
 *
 * What a waiter judged stale may be out of date: its holder may have released the lock and
 * ended (so its pid is dead) while another job took the path. Removing (or moving aside) that
 * new, live lock would let two jobs write at once and lose an entry. So breakers take a guard
 * file first, one at a time, and under it check that the path still holds the same file
 * (inode, time and content) before removing it. Nothing else can change the path meanwhile: a
 * dead holder cannot release it, and other breakers wait for the guard.
 */
export function breakLock(lockPath: string, stale: LockFileContent): boolean {
  const guard = `${lockPath}.break`
  try {
    writePrivateFile(guard, '', { secret: false, retryOpen: false })
  } catch {
    // Another breaker is at it (or died at it: its guard is removed once it is clearly old).
    try {
      if (Date.now() - fs.statSync(guard).mtimeMs > BREAK_GUARD_STALE_MS) removeQuietly(guard)
    } catch {
      // Gone already.
    }
    return false
  }
  try {
    const read = readLock(lockPath)
    if (read.kind !== 'held' && read.kind !== 'incomplete') return false
    const now = read.content
    if (now.ino !== stale.ino || now.mtimeMs !== stale.mtimeMs || now.raw !== stale.raw) return false
    retrySharingViolations(() => {
      fs.unlinkSync(lockPath)
    })
    return true
  } catch {
    return false
  } finally {
    removeQuietly(guard)
  }
}

/** Deletes the lock if it is still ours; never throws (it runs in `finally`). */
function releaseLock(lock: HeldLock): void {
  try {
    if (parseLockInfo(retrySharingViolations(() => fs.readFileSync(lock.path, 'utf8')))?.token === lock.token) {
      retrySharingViolations(() => {
        fs.unlinkSync(lock.path)
      })
    }
  } catch {
    // Already gone; a lock that cannot be removed is taken over as stale by the next run.
  }
}

/** Whether a process of this host is running. EPERM means it runs under another account. */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return errorCode(error) === 'EPERM'
  }
}

let self: Pick<LockInfo, 'pid' | 'hostname' | 'pidNamespace'> | undefined

function thisProcess(): Pick<LockInfo, 'pid' | 'hostname' | 'pidNamespace'> {
  if (!self) {
    let pidNamespace: string | undefined
    try {
      pidNamespace = fs.readlinkSync('/proc/self/ns/pid')
    } catch {
      pidNamespace = undefined
    }
    self = { pid: process.pid, hostname: os.hostname(), pidNamespace }
  }
  return self
}
