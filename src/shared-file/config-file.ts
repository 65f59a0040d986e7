/**
 * The file system side of the user config file: reading it safely, and changing it under its
 * lock by replacing it atomically, so that jobs sharing it and jobs killed midway lose nothing.
 */
import fs from 'node:fs'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { AclError, ConfigFileError } from '../errors.js'
import { describeFsError, errorCode, removeFile, removeQuietly, retrySharingViolations } from '../fs-errors.js'
import { BREAK_GUARD_STALE_MS, breakGuardOf, DEFAULT_STALE_MS, isProcessAlive, lockPathOf, withFileLock } from './lock.js'
import type { LockOptions } from './lock.js'
import { platformAcl, writePrivateFile } from '../private-file.js'

export interface ConfigFileContent {
  exists: boolean
  /** The text without a UTF-8 byte order mark. */
  text: string
  /** The file started with a UTF-8 byte order mark (it is written back without one). */
  hadBom: boolean
  /** The file's bytes as read, for telling whether anything changed. */
  bytes: Buffer
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf])

/** Far above any real .upmconfig.toml: a bigger file is the wrong file, and is not read into memory. */
export const MAX_CONFIG_BYTES = 1024 * 1024

/**
 * Reads the config file. A missing file reads as empty; anything that is not a regular
 * UTF-8 file is an error that names the file and says what to do.
 */
export function readConfigFile(file: string): ConfigFileContent {
  let stat: fs.Stats
  try {
    // Windows: a process holding the file with no sharing makes even lstat and read fail for a while.
    stat = retrySharingViolations(() => fs.lstatSync(file))
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { exists: false, text: '', hadBom: false, bytes: Buffer.alloc(0) }
    throw new ConfigFileError(`Cannot read ${file}: ${describeFsError(error)}.`)
  }
  if (stat.isSymbolicLink()) {
    throw new ConfigFileError(
      `${file} is a symbolic link. To keep credentials from being written through a link to somewhere unexpected, ` +
        'upm-auth writes only regular files: set `config-file` to the real file, or replace the link with a file.'
    )
  }
  if (stat.isDirectory()) {
    throw new ConfigFileError(`${file} is a folder, not a file. Remove or rename it, or set \`config-file\` to a file path.`)
  }
  if (!stat.isFile()) throw new ConfigFileError(`${file} is not a regular file. Set \`config-file\` to a regular file path.`)
  if (stat.size > MAX_CONFIG_BYTES) {
    throw new ConfigFileError(
      `${file} is ${(stat.size / 1024 / 1024).toFixed(1)} MB; a .upmconfig.toml holds a few kilobytes. Check that \`config-file\` ` +
        '(or UPM_USER_CONFIG_FILE) names the Unity user config file, or shrink the file, then run again.'
    )
  }

  let bytes: Buffer
  try {
    bytes = retrySharingViolations(() => fs.readFileSync(file))
  } catch (error) {
    throw new ConfigFileError(`Cannot read ${file}: ${describeFsError(error)}.`)
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new ConfigFileError(
      `${file} is encoded as UTF-16 (as PowerShell's Out-File and > write it); Unity and TOML need UTF-8. ` +
        'Re-save it as UTF-8 (for example Set-Content -Encoding utf8NoBOM) or delete it, then run again.'
    )
  }
  const hadBom = bytes.subarray(0, 3).equals(UTF8_BOM)
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(hadBom ? bytes.subarray(3) : bytes)
  } catch {
    throw new ConfigFileError(`${file} is not valid UTF-8 text. Re-save it as UTF-8 or delete it, then run again.`)
  }
  return { exists: true, text, hadBom, bytes }
}

/** What a change does to the file: write new text, delete it, or leave it (neither). */
export interface ConfigChange<T> {
  text?: string
  delete?: boolean
  result: T
  /** Called, still under the lock, when writing or deleting the file failed: undoes what the change did besides. */
  undo?: () => void
  /** Called, still under the lock, once the file is written or deleted (or left, when neither was asked for). */
  done?: () => void
}

/**
 * Reads, changes and replaces the config file while holding its lock, so that jobs sharing
 * the file (parallel jobs on a self-hosted runner) never lose each other's entries. Leftover
 * temporary files of writers that were killed are removed first. Parent folders are created
 * as needed.
 */
export async function updateConfigFile<T>(
  file: string,
  change: (current: ConfigFileContent) => ConfigChange<T>,
  lockOptions?: LockOptions
): Promise<T> {
  ensureFolder(path.dirname(file))
  return withFileLock(
    file,
    () => {
      removeLeftoverTempFiles(file)
      for (let attempt = 1; ; attempt++) {
        const current = readConfigFile(file)
        const outcome = change(current)
        try {
          applyChange(file, outcome, current.exists ? current.bytes : null)
        } catch (error) {
          outcome.undo?.()
          if (!(error instanceof FileChangedError)) throw error
          if (attempt >= CHANGED_ATTEMPTS) {
            throw new ConfigFileError(
              `${file} changed ${CHANGED_ATTEMPTS} times while this step merged it, each time between reading and replacing it: another program ` +
                'writes it without taking its lock (an editor, a script, Unity). It was left as that program wrote it; run again once it is done.'
            )
          }
          continue
        }
        outcome.done?.()
        return outcome.result
      }
    },
    lockOptions
  )
}

/** How often a merge is redone when the file changed under it before giving up. */
const CHANGED_ATTEMPTS = 3

/** The file is no longer what the change was computed from: the change must be computed again. */
class FileChangedError extends Error {}

/** Writes or deletes as the change says; `read` is the file's bytes as the change saw them (null: absent). */
function applyChange(file: string, outcome: ConfigChange<unknown>, read: Buffer | null): void {
  if (outcome.delete) {
    assertUnchanged(file, read)
    try {
      retrySharingViolations(() => {
        removeFile(file)
      })
    } catch (error) {
      throw new ConfigFileError(`Cannot delete ${file}: ${describeFsError(error)}.`)
    }
  } else if (outcome.text !== undefined) {
    // The limit a read applies, applied before writing too: a file the post step could not read keeps its credentials.
    const bytes = Buffer.byteLength(outcome.text, 'utf8')
    if (bytes > MAX_CONFIG_BYTES) {
      throw new ConfigFileError(
        `${file} would grow to ${(bytes / 1024 / 1024).toFixed(2)} MB, over the ${MAX_CONFIG_BYTES / 1024 / 1024} MB a .upmconfig.toml may have ` +
          'here (it holds a few kilobytes); it was left as it was. Remove what does not belong in it, then run again.'
      )
    }
    writeConfigFile(file, outcome.text, { unlessChangedFrom: read })
  }
}

/**
 * Throws FileChangedError when the file no longer holds `read` (null: it did not exist). The lock
 * keeps this action's other runs out, not a program that writes the file without it; replacing
 * its write with a merge of what was there before would lose it.
 */
function assertUnchanged(file: string, read: Buffer | null): void {
  let now: Buffer | null
  try {
    now = retrySharingViolations(() => fs.readFileSync(file))
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw new ConfigFileError(`Cannot read ${file}: ${describeFsError(error)}.`)
    now = null
  }
  if (now === null ? read !== null : read === null || !now.equals(read)) throw new FileChangedError()
}

/**
 * Replaces the file's content atomically: the text goes to a temporary file in the same
 * folder (private from the start, see private-file.ts, so the secret is never readable by
 * others), is flushed
 * to disk, then renamed over the file. A reader, or a process killed at any moment, sees the
 * old file or the new one, never a half-written one. Parent folders are created as needed.
 * Jobs may share the file: read-change-write through {@link updateConfigFile}, which locks.
 * `durable: false` skips the flushes, for a file that matters only while the machine runs;
 * with `unlessChangedFrom`, the file is replaced only if it still holds those bytes (null: absent).
 */
export function writeConfigFile(
  file: string,
  text: string,
  { durable = true, unlessChangedFrom }: { durable?: boolean; unlessChangedFrom?: Buffer | null } = {}
): void {
  const dir = path.dirname(file)
  ensureFolder(dir)
  const temp = path.join(dir, `${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  try {
    writePrivateFile(temp, text, { durable })
    // Checked as late as can be: the last moment another writer's change could be lost.
    if (unlessChangedFrom !== undefined) assertUnchanged(file, unlessChangedFrom)
    // On Windows a reader (antivirus, indexer, Unity) briefly holding the file makes rename fail.
    retrySharingViolations(() => {
      fs.renameSync(temp, file)
    })
  } catch (error) {
    removeQuietly(temp)
    if (error instanceof FileChangedError || error instanceof ConfigFileError) throw error
    if (error instanceof AclError) throw new ConfigFileError(error.message)
    throw new ConfigFileError(`Cannot write ${file}: ${describeFsError(error)}.`)
  }
  if (durable) syncFolder(dir)
}

/** Folders whose owners this process has checked (each check spawns PowerShell on Windows). */
const checkedFolders = new Set<string>()

/**
 * Creates the folder and its missing parents. On Windows outside the profile (windows-acl.ts),
 * the folders it creates get private access rules, top first, and every folder up to the drive
 * root must have an acceptable owner: checked after creating, since another account may have
 * created one of them a moment before this step did.
 */
function ensureFolder(dir: string): void {
  const guarded = platformAcl.needed(dir)
  const missing = guarded ? missingFolders(dir) : []
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
  } catch (error) {
    throw new ConfigFileError(`Cannot create the folder ${dir}: ${describeFsError(error)}.`)
  }
  if (!guarded || checkedFolders.has(dir)) return
  try {
    for (const folder of missing) platformAcl.protect(folder, 'folder')
    platformAcl.checkOwnersUpFrom(dir)
  } catch (error) {
    if (error instanceof AclError) throw new ConfigFileError(error.message)
    throw error
  }
  checkedFolders.add(dir)
}

/** The folders of `dir`'s path that do not exist yet, the top one first. */
function missingFolders(dir: string): string[] {
  const missing: string[] = []
  for (let current = path.resolve(dir); !fs.existsSync(current); current = path.dirname(current)) {
    missing.unshift(current)
    if (path.dirname(current) === current) break
  }
  return missing
}

/** Makes the rename itself durable (a power cut after the step must not bring back the old file). */
function syncFolder(dir: string): void {
  if (process.platform === 'win32') return
  try {
    const fd = fs.openSync(dir, 'r')
    try {
      fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
  } catch {
    // Some file systems cannot sync a folder; the data itself is already on disk.
  }
}

/**
 * Removes what writers that were killed left next to the config file:
 * `<file>.<pid>.<hex>.tmp` (a write), `<file>.ledger.<pid>.<hex>.tmp` (the ledger's) and
 * `<file>.lock.<pid>.<hex>.tmp` (a lock taken over), when that process is gone or the file is
 * older than any write takes; and `<file>.lock.break`, the guard of a lock breaker, once it is
 * older than any break takes. Best effort.
 *
 * @returns the names removed.
 */
export function removeLeftoverTempFiles(file: string, now = Date.now()): string[] {
  const dir = path.dirname(file)
  const pattern = new RegExp(`^${escapeRegExp(path.basename(file))}(?:\\.lock|\\.ledger)?\\.(\\d+)\\.[0-9a-f]{8}\\.tmp$`)
  const removed: string[] = []
  const guard = breakGuardOf(lockPathOf(file))
  try {
    if (now - fs.lstatSync(guard).mtimeMs > BREAK_GUARD_STALE_MS) {
      removeFile(guard)
      removed.push(path.basename(guard))
    }
  } catch {
    // None, or gone already.
  }
  let names: string[]
  try {
    names = fs.readdirSync(dir)
  } catch {
    return removed
  }
  for (const name of names) {
    const match = pattern.exec(name)
    if (!match) continue
    const temp = path.join(dir, name)
    try {
      const stat = fs.lstatSync(temp)
      if (!stat.isFile()) continue
      if (isProcessAlive(Number(match[1])) && now - stat.mtimeMs <= DEFAULT_STALE_MS) continue
      removeFile(temp)
      removed.push(name)
    } catch {
      // Gone already, or not ours to remove.
    }
  }
  return removed
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
