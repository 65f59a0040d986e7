/**
 * The lock: an exclusive lock file next to the user config file (`.upmconfig.toml.lock`), so
 * that jobs sharing one home on a self-hosted runner read, merge and replace the file one at a
 * time and never lose each other's entries.
 *
 * The lock is a file created with O_EXCL (`wx`), which is atomic on every OS and on network
 * shares, and holds who took it: process id and start, host, time. A lock whose holder died is
 * recognised (process gone or its pid reused on this host, or older than a bound) and taken
 * over. A lock this account does not own is refused at once: it is no lock this account's runs
 * took, and waiting would not make it go.
 */
import fs from 'node:fs'
import os from 'node:os'
import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { describeFsError, errorCode, removeQuietly, retrySharingViolations } from '../fs-errors.js'
import { ConfigFileError, PrivateFileWriteError } from '../errors.js'
import { tryParseJson } from '../json.js'
import { isPlainObject } from '../plain-object.js'
import { writePrivateFile } from '../private-file.js'
import { hostId, monotonicMs, processStart } from './host.js'
import { notOwnedByThisAccount } from './owner.js'

export interface LockOptions {
  /** How long to wait for another holder before giving up, in ms. */
  timeoutMs?: number
  /**
   * A lock older than this (ms) is taken to be left behind by a holder that died. Holders
   * keep it for milliseconds; the bound applies only to holders on other hosts (a shared
   * network home), whose process cannot be checked: one on this host is stale only once its
   * process has ended (or its pid belongs to a later process).
   */
  staleMs?: number
  /** Told when a stale lock is taken over (the caller decides where that is logged). */
  log?: (message: string) => void
}

/** What a lock file holds. */
export interface LockInfo {
  pid: number
  /** For messages: the host name. */
  hostname: string
  /** The holder's host identity (host.ts): its pid is checked only when this is this host's. */
  host: string
  /** When the holder's process started (host.ts), where that can be read: a later process with the same pid differs. */
  pidStart?: string
  /** Epoch ms when it was taken (a time another host can compare, roughly). */
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
/**
 * Where a process's start cannot be read (macOS, Windows), a lock of this host whose pid is alive
 * is taken to belong to a later process with the same pid once it is this old: no write holds
 * the lock for more than milliseconds.
 */
export const LIVE_PID_BOUND_MS = 10 * 60_000
/** A lock holds a few hundred bytes: no more is read (a bigger file is not a lock this action wrote). */
const LOCK_READ_BYTES = 4096

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
  const deadline = monotonicMs() + timeoutMs
  let delay = 5
  let deniedSince: number | undefined
  // When this waiter first saw each lock file: its age as this host observed it, whatever the holder's clock says.
  let seen: { key: string; at: number } | undefined
  let retriedAtOnce = false
  for (;;) {
    const info: LockInfo = { ...thisProcess(), created: Date.now(), token: randomBytes(8).toString('hex') }
    const created = tryCreate(lockPath, info, file)
    if (created === 'created') return { path: lockPath, token: info.token }
    if (created === 'denied' && monotonicMs() - (deniedSince ??= monotonicMs()) > WINDOWS_DENIAL_MS) {
      throw cannotCreate(file, lockPath, Object.assign(new Error(), { code: 'EPERM' }))
    }

    const read = readLock(lockPath, file)
    // Released between our attempt and the read, or left by a holder that died: try again at once
    // (once in a row; after that, back off like any wait).
    let retryAtOnce = read.kind === 'gone'
    const holder = read.kind === 'held' || read.kind === 'incomplete' ? read.content : undefined
    if (holder) {
      const key = `${holder.ino}:${holder.raw}`
      if (seen?.key !== key) seen = { key, at: monotonicMs() }
      const staleBecause = staleReason(holder, Date.now(), staleMs, monotonicMs() - seen.at)
      if (staleBecause && breakLock(lockPath, holder)) {
        options.log?.(`Took over the lock ${lockPath}: ${staleBecause}.`)
        retryAtOnce = true
      }
    }
    if (monotonicMs() >= deadline) {
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
  /** No complete record: being written right now, or left empty (or filled with something else) by a holder killed between create and write. */
  | { kind: 'incomplete'; content: LockFileContent }
  /** Not there: released since it was last seen. */
  | { kind: 'gone' }

/**
 * Reads the lock file, at most a few KiB of it. A lock path that is not a regular file (a link,
 * a folder), a lock another account owns or one this account cannot read is no lock this
 * account's runs took: an error naming it at once, rather than a wait that can never end.
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
    const foreign = notOwnedByThisAccount(stat)
    if (foreign) throw notOurs(file, lockPath, foreign)
    const raw = readHead(lockPath)
    const seen = { raw, mtimeMs: stat.mtimeMs, ino: stat.ino }
    const info = parseLockInfo(raw)
    return info ? { kind: 'held', content: { ...seen, info } } : { kind: 'incomplete', content: seen }
  } catch (error) {
    if (error instanceof ConfigFileError) throw error
    const code = errorCode(error)
    if (code === 'ENOENT') return { kind: 'gone' }
    throw notOurs(file, lockPath, `this account cannot read it (${describeFsError(error)})`)
  }
}

function notOurs(file: string, lockPath: string, why: string): ConfigFileError {
  return new ConfigFileError(
    `Cannot write ${file}: its lock file ${lockPath} is not one this account's runs took: ${why}. Another account uses ` +
      "this folder, or planted the file. Find out who, have it removed (it would never go by itself), then run again; or give this runner's " +
      'account a home of its own.'
  )
}

/** The first few KiB of the lock file (a whole 700 MB "lock" is never read into memory). */
function readHead(lockPath: string): string {
  const fd = retrySharingViolations(() => fs.openSync(lockPath, 'r'))
  try {
    const buffer = Buffer.alloc(LOCK_READ_BYTES)
    const length = fs.readSync(fd, buffer, 0, LOCK_READ_BYTES, 0)
    return buffer.toString('utf8', 0, length)
  } finally {
    fs.closeSync(fd)
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
    typeof value.host === 'string' &&
    (value.pidStart === undefined || typeof value.pidStart === 'string') &&
    typeof value.created === 'number' &&
    typeof value.token === 'string'
  ) {
    return value as unknown as LockInfo
  }
  return undefined
}

/**
 * Why a lock is stale, or undefined when its holder may still be working. Pure apart from
 * asking about a process on this host. `now`: the wall clock (compared with the holder's
 * `created` and the file's time, which another host or a stepped clock may skew); `seenMs`:
 * how long the caller has seen this very lock file, on the monotonic clock.
 */
export function staleReason(holder: { info?: LockInfo; mtimeMs: number }, now: number, staleMs: number, seenMs = 0): string | undefined {
  const { info } = holder
  if (!info) {
    const age = Math.max(now - holder.mtimeMs, seenMs)
    return age > Math.min(staleMs, UNREADABLE_GRACE_MS) ? 'it was left without a complete record by a holder that died' : undefined
  }
  // The holder's clock may run ahead of ours (or ours be stepped back): the lock is as old as
  // the older of what it says and how long this waiter has seen it.
  const age = Math.max(now - info.created, seenMs)
  if (info.host === hostId()) {
    // A holder on this host can be asked: while its process lives it is never stale, however long
    // it takes (a frozen container, a suspended VM, heavy swapping), since it may still write.
    if (!isProcessAlive(info.pid)) return `its holder, process ${info.pid}, has ended`
    const start = processStart(info.pid)
    if (info.pidStart !== undefined && start !== undefined) {
      return start === info.pidStart ? undefined : `its holder, process ${info.pid}, has ended (that pid is another process now)`
    }
    if (age > LIVE_PID_BOUND_MS) return `it was taken ${Math.round(age / 60_000)} min ago; process ${info.pid} is another process by now`
    return undefined
  }
  if (age > staleMs)
    return `it was taken ${Math.round(age / 1000)} s ago by process ${info.pid} on ${info.hostname}, longer than any write takes`
  return undefined
}

/**
 * A breaker dead longer than this left its guard behind. Breaking takes microseconds.
 */
export const BREAK_GUARD_STALE_MS = 5_000

/** The guard breakers of a lock take, one at a time. */
export function breakGuardOf(lockPath: string): string {
  return `${lockPath}.break`
}

/** When this process first saw a guard it could not take (its age as seen here, whatever the clocks say). */
let guardSeen: { key: string; at: number } | undefined

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
  const guard = breakGuardOf(lockPath)
  try {
    writePrivateFile(guard, '', { secret: false, retryOpen: false })
  } catch {
    // Another breaker is at it (or died at it: its guard is removed once it is clearly old).
    try {
      const stat = fs.statSync(guard)
      const key = `${stat.ino}:${stat.mtimeMs}`
      if (guardSeen?.key !== key) guardSeen = { key, at: monotonicMs() }
      if (Math.max(Date.now() - stat.mtimeMs, monotonicMs() - guardSeen.at) > BREAK_GUARD_STALE_MS) removeQuietly(guard)
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
    if (parseLockInfo(readHead(lock.path))?.token === lock.token) {
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

let self: Pick<LockInfo, 'pid' | 'hostname' | 'host' | 'pidStart'> | undefined

function thisProcess(): Pick<LockInfo, 'pid' | 'hostname' | 'host' | 'pidStart'> {
  self ??= { pid: process.pid, hostname: os.hostname(), host: hostId(), pidStart: processStart(process.pid) }
  return self
}
