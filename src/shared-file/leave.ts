/**
 * The post step's part: this job leaves the ledger (with every job that has ended), and the
 * file gets what the leave rules say: the next live job's value, or the original back.
 *
 * This is the one way a job's change is undone. The ledger knows what each job wrote and what
 * was there before; the restore record only says which file, and that the job is live. A job the
 * ledger does not know changed nothing: its change never got past the journal (a kill before its
 * file write is undone by the next run), or the ledger was deleted by hand since.
 */
import type { ConfigFileContent } from './config-file.js'
import { holdsAny, settle } from './ledger.js'
import type { SettleResult } from './ledger.js'
import type { Recovery } from './journal.js'
import { jobIsLive } from './job-record.js'
import { changeSharedFile } from './shared-change.js'
import type { PairChange, PairView } from './shared-change.js'

/** What cleanup did. */
export interface Left {
  /** The leave rules' result; undefined when the ledger holds nothing of this job. */
  settled: SettleResult | undefined
  /** The file was deleted: the jobs created it, and nothing else is in it. */
  deleted: boolean
  /** The file did not exist. */
  missing: boolean
  recovery?: Recovery
}

/** Takes the job of `recordFile` off the ledger of `file`, under the lock. */
export function leaveSharedFile(file: string, recordFile: string, log: (message: string) => void): Promise<Left> {
  return changeSharedFile<Left>(file, view => leave(view, file, recordFile), { log })
}

function leave({ current, ledger, recovery }: PairView, file: string, recordFile: string): PairChange<Left> {
  const missing = !current.exists
  if (!ledger) return { ledger, result: { settled: undefined, deleted: false, missing, recovery } }
  const held = holdsAny(ledger, recordFile)
  // Jobs that have ended leave too, whether or not this one is in the ledger.
  const settled = settle(current.text, ledger, jobIsLive, file, recordFile)
  const result = { settled: held ? settled : undefined, deleted: false, missing, recovery }
  // Deleted since (by another hand): nothing to put back, and nothing is created.
  if (missing && settled.text === '') return { ledger: settled.ledger, result: { ...result, settled: undefined } }
  if (settled.ledger.items.length === 0 && ledger.createdFile && !missing && settled.text.trim() === '') {
    return { delete: true, ledger: settled.ledger, result: { ...result, deleted: true } }
  }
  return { text: changedText(current, settled.text), ledger: settled.ledger, result }
}

/** The text to write, or undefined when the file would not change. */
function changedText(current: ConfigFileContent, text: string): string | undefined {
  if (!current.exists) return text === '' ? undefined : text
  return text === current.text ? undefined : text
}
