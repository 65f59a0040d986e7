/**
 * File system errors: their codes in words a user can act on, the bounded retry that Windows
 * sharing violations need, and removal that must not hide the error being handled.
 */
import fs from 'node:fs'
import { errorMessage } from './error-message.js'

export function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code
}

/** An fs error in words a user can act on. */
export function describeFsError(error: unknown): string {
  const cause = (error as { cause?: unknown } | undefined)?.cause
  // A wrapper (PrivateFileWriteError) says which step failed; its cause says why, in the words below.
  if (errorCode(error) === undefined && cause !== undefined) return describeFsError(cause)
  switch (errorCode(error)) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied (check that the runner account may write there)'
    case 'EBUSY':
      return 'another process has it open with no sharing (close Unity or whatever holds it, then run again)'
    case 'EROFS':
      return 'the file system is read-only'
    case 'ENOSPC':
      return 'the disk is full'
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder'
    case 'EISDIR':
      return 'it is a folder'
    case 'EEXIST':
      return 'a file of that name is in the way'
    default:
      return errorMessage(error)
  }
}

/** Codes Windows gives while another process (antivirus, indexer, Unity) briefly holds a file open. */
const SHARING_CODES = new Set(['EPERM', 'EBUSY', 'EACCES'])

/** Milliseconds between attempts: about 2.5 s in all, then the error stands. */
const RETRY_DELAYS_MS = [10, 20, 40, 80, 160, 320, 500, 500, 500, 500]

/** Blocks the thread; the file operations around it are synchronous by design (no interleaving). */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}

/**
 * The wait every retry uses unless its caller passes one. An object (not a bare function) so
 * that tests that pretend to be on Windows can replace it for the callers deep inside the
 * config file's read and update, which pass none, and not block on the real waits.
 */
export const sharingRetry: { sleep: (ms: number) => void } = { sleep: sleepSync }

/**
 * Runs `operation`, retrying on Windows while it fails with a sharing violation. Elsewhere
 * these codes mean a real permission problem, so the first error is thrown at once.
 * Every read, open, rename and unlink of the config, its lock, its temporary files and the
 * restore record goes through here: a process holding the file with no sharing (Unity, an
 * indexer, antivirus) makes any of them fail, not only the rename.
 *
 * @param sleep waits between attempts; tests pass their own so they do not block for seconds.
 */
export function retrySharingViolations<T>(
  operation: () => T,
  platform: NodeJS.Platform = process.platform,
  sleep: (ms: number) => void = sharingRetry.sleep
): T {
  for (let attempt = 0; ; attempt++) {
    try {
      return operation()
    } catch (error) {
      const code = errorCode(error)
      if (platform !== 'win32' || code === undefined || !SHARING_CODES.has(code) || attempt >= RETRY_DELAYS_MS.length) throw error
      sleep(RETRY_DELAYS_MS[attempt])
    }
  }
}

/**
 * Deletes a file; a file that is not there is no error. unlinkSync rather than rmSync, whose
 * first call loads Node's recursive-removal code on every run (BENCHMARKS.md, `ce644c6`).
 */
export function removeFile(file: string): void {
  try {
    fs.unlinkSync(file)
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error
  }
}

/** Removes a file if it is there; never throws (used while another error is on its way). */
export function removeQuietly(file: string): void {
  try {
    retrySharingViolations(() => {
      removeFile(file)
    })
  } catch {
    // Left for the next run's cleanup of leftovers (or the runner's, under RUNNER_TEMP).
  }
}
