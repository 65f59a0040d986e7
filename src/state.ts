/**
 * What the main step hands to the post (cleanup) step. Saved state is plain text in the
 * runner's files, so it carries no secret: only the path of the restore record,
 * a 0600 file under RUNNER_TEMP (the runner empties that folder after every job).
 */
import fs from 'node:fs'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import * as core from '@actions/core'
import { describeFsError, removeQuietly, retrySharingViolations } from './fs-errors.js'
import type { RestoreRecord } from './restore.js'
import { writePrivateFile } from './private-file.js'
import { AclError } from './errors.js'
import { tryParseJson } from './json.js'
import { isPlainObject } from './plain-object.js'

const RESTORE_FILE = 'restoreFile'

/** The restore record's path, or '' when the main step recorded nothing to clean up. */
export function restoreFilePath(): string {
  return core.getState(RESTORE_FILE)
}

/** Tells the post step where the restore record is. */
export function saveRestoreFilePath(file: string): void {
  core.saveState(RESTORE_FILE, file)
}

/**
 * Writes the restore record to a new file under `runnerTemp`, readable by this account only
 * (it may hold the original tables of other registries, with their credentials).
 *
 * @returns the file's path.
 */
export function writeRestoreRecord(runnerTemp: string, record: RestoreRecord): string {
  const file = path.join(runnerTemp, `upm-auth-restore-${randomBytes(8).toString('hex')}.json`)
  try {
    writePrivateFile(file, JSON.stringify(record))
  } catch (error) {
    removeQuietly(file)
    if (error instanceof AclError) {
      throw new Error(`${error.message} It is the cleanup record, under RUNNER_TEMP; \`cleanup: false\` writes none.`, { cause: error })
    }
    throw new Error(
      `Cannot write the cleanup record ${file} under RUNNER_TEMP: ${describeFsError(error)}. ` +
        'Fix RUNNER_TEMP, or set `cleanup: false` to leave the credentials in place after the job.',
      { cause: error }
    )
  }
  return file
}

/** Reads a restore record written by {@link writeRestoreRecord}. */
export function readRestoreRecord(file: string): RestoreRecord {
  let text: string
  try {
    text = retrySharingViolations(() => fs.readFileSync(file, 'utf8'))
  } catch (error) {
    throw new Error(`Cannot read the cleanup record ${file}: ${describeFsError(error)}.`, { cause: error })
  }
  // Not JSON reads as not ours: the error must not quote the text, which may hold credentials.
  const parsed = tryParseJson(text)
  let record: { version?: unknown; file?: unknown; tables?: unknown; keys?: unknown } | undefined = isPlainObject(parsed)
    ? parsed
    : undefined
  // Version 1 recorded tables only (cache keys were not undone): it reads as version 2 without keys.
  if (record?.version === 1 && record.keys === undefined) record = { ...record, version: 2, keys: [] }
  if (record?.version !== 2 || typeof record.file !== 'string' || !Array.isArray(record.tables) || !Array.isArray(record.keys)) {
    throw new Error(`The cleanup record ${file} is not one this version of upm-auth wrote.`)
  }
  return record as unknown as RestoreRecord
}

/**
 * Whether the job that wrote a restore record is still running: the runner empties each job's
 * RUNNER_TEMP when it ends, so a job whose record is gone has ended.
 */
export function jobIsLive(recordFile: string): boolean {
  return fs.existsSync(recordFile)
}

/** The workflow run (and attempt) a job belongs to, as the ledger tells runs apart. */
export function runOf(env: Record<string, string | undefined>): string {
  return `${env.GITHUB_RUN_ID ?? ''}/${env.GITHUB_RUN_ATTEMPT ?? ''}`
}

/** Deletes the restore record once cleanup is done; never throws. */
export function removeRestoreRecord(file: string): void {
  removeQuietly(file)
}
