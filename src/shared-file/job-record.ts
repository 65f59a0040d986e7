/**
 * The job's restore record: a 0600 file under the job's own RUNNER_TEMP, whose path the main
 * step saves in its state for the post step. It says which config file the job changed, and by
 * existing it says that the job is live: the runner empties RUNNER_TEMP when a job ends, also
 * when the job was killed with its runner and had no post step. What the job wrote, and what it
 * replaced, is in the ledger (ledger.ts), the one place cleanup undoes from.
 *
 * Saved state is plain text in the runner's files, so it carries no secret: only the path.
 */
import fs from 'node:fs'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import * as core from '@actions/core'
import { describeFsError, removeQuietly, retrySharingViolations } from '../fs-errors.js'
import { writePrivateFile } from '../private-file.js'
import { AclError } from '../errors.js'
import { tryParseJson } from '../json.js'
import { isPlainObject } from '../plain-object.js'
import { hostId } from './host.js'

const RESTORE_FILE = 'restoreFile'

/** What the record holds. */
export interface RestoreRecord {
  version: 3
  /** The user config file the job changed. */
  file: string
}

/** The name of every restore record: the ledger accepts no other path as a job. */
const RECORD_NAME = /^upm-auth-restore-[0-9a-f]{16}\.json$/

/** Whether `file` is a path of the form {@link writeRestoreRecord} gives. */
export function isRestoreRecordPath(file: string): boolean {
  const name = path.isAbsolute(file) ? path.basename(file) : path.win32.isAbsolute(file) ? path.win32.basename(file) : undefined
  return name !== undefined && RECORD_NAME.test(name)
}

/** The restore record's path, or '' when the main step recorded nothing to clean up. */
export function restoreFilePath(): string {
  return core.getState(RESTORE_FILE)
}

/** Tells the post step where the restore record is. */
export function saveRestoreFilePath(file: string): void {
  core.saveState(RESTORE_FILE, file)
}

/**
 * Writes the restore record to a new file under `runnerTemp`, readable by this account only.
 *
 * @returns the file's path.
 */
export function writeRestoreRecord(runnerTemp: string, file: string): string {
  const recordFile = path.join(runnerTemp, `upm-auth-restore-${randomBytes(8).toString('hex')}.json`)
  const record: RestoreRecord = { version: 3, file }
  try {
    writePrivateFile(recordFile, JSON.stringify(record))
  } catch (error) {
    removeQuietly(recordFile)
    if (error instanceof AclError) {
      throw new Error(`${error.message} It is the cleanup record, under RUNNER_TEMP; \`cleanup: false\` writes none.`, { cause: error })
    }
    throw new Error(
      `Cannot write the cleanup record ${recordFile} under RUNNER_TEMP: ${describeFsError(error)}. ` +
        'Fix RUNNER_TEMP, or set `cleanup: false` to leave the credentials in place after the job.',
      { cause: error }
    )
  }
  return recordFile
}

/** Reads a restore record written by {@link writeRestoreRecord} (by the main step of this very job, so of this version). */
export function readRestoreRecord(recordFile: string): RestoreRecord {
  let text: string
  try {
    text = retrySharingViolations(() => fs.readFileSync(recordFile, 'utf8'))
  } catch (error) {
    throw new Error(`Cannot read the cleanup record ${recordFile}: ${describeFsError(error)}.`, { cause: error })
  }
  const record = tryParseJson(text)
  if (!isPlainObject(record) || record.version !== 3 || typeof record.file !== 'string') {
    throw new Error(`The cleanup record ${recordFile} is not one this version of upm-auth wrote.`)
  }
  return { version: 3, file: record.file }
}

/** Deletes the restore record once cleanup is done; never throws. */
export function removeRestoreRecord(recordFile: string): void {
  removeQuietly(recordFile)
}

/**
 * How long a job of another host counts as live (that host's runs judge its jobs by their
 * records, which this host cannot see): the longest a job may run on a self-hosted runner,
 * 5 days (GitHub's usage limits for self-hosted runners), and an hour for its post step.
 */
export const OTHER_HOST_BOUND_MS = (5 * 24 + 1) * 3_600_000

/** A job as the ledger knows it: its restore record, the host it runs on, and when it arrived (epoch ms). */
export interface JobIdentity {
  job: string
  host: string
  since: number
}

/** Whether a job the ledger knows is still running: this host's by its record, another host's up to {@link OTHER_HOST_BOUND_MS}. */
export function jobIsLive(holder: JobIdentity, now = Date.now()): boolean {
  if (holder.host === hostId()) return fs.existsSync(holder.job)
  return now - holder.since < OTHER_HOST_BOUND_MS
}

/** This job, as the ledger records it. */
export function thisJob(recordFile: string): JobIdentity {
  return { job: recordFile, host: hostId(), since: Date.now() }
}

/** The workflow run (and attempt) a job belongs to, as the ledger tells runs apart. */
export function runOf(env: Record<string, string | undefined>): string {
  return `${env.GITHUB_RUN_ID ?? ''}/${env.GITHUB_RUN_ATTEMPT ?? ''}`
}
