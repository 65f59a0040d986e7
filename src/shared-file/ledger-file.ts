/**
 * The ledger's file (thin file access; the rules are in ledger.ts, what it may hold in
 * ledger-schema.ts, the change in flight in journal.ts): `<config>.ledger`, next to the config
 * file, 0600, read and replaced only under the config file's own lock. It holds credentials only
 * while a job that wrote them is live, and is deleted when no job is left. It is never logged.
 */
import fs from 'node:fs'
import { writeConfigFile } from './config-file.js'
import { describeFsError, errorCode, removeFile, retrySharingViolations } from '../fs-errors.js'
import type { StoredLedger } from './journal.js'
import { parseStoredLedger } from './ledger-schema.js'
import { AclError, ConfigFileError } from '../errors.js'
import { tryParseJson } from '../json.js'
import { platformAcl } from '../private-file.js'
import { notOwnedByThisAccount } from './owner.js'

/** Far above any real ledger (a few hundred bytes a job): a bigger file is not ours. */
const MAX_LEDGER_BYTES = 4 * 1024 * 1024

/** The ledger of a config file. */
export function ledgerPathOf(file: string): string {
  return `${file}.ledger`
}

/** The ledger's bytes as read (to put back if a write fails), and what they say; undefined when there is none. */
export interface LedgerFileContent {
  raw: string
  ledger: StoredLedger
}

/**
 * Reads the ledger; call only under the config file's lock. A ledger that is not this
 * account's alone (POSIX: its uid, not writable by group or others; Windows, outside the
 * profile: its owner), or not in every field one this version writes, is refused whole.
 */
export function readLedger(ledgerFile: string): LedgerFileContent | undefined {
  let raw: string
  try {
    const stat = fs.lstatSync(ledgerFile)
    if (!stat.isFile() || stat.size > MAX_LEDGER_BYTES) throw invalid(ledgerFile)
    const foreign = notOwnedByThisAccount(stat)
    if (foreign) throw invalid(ledgerFile, foreign)
    raw = retrySharingViolations(() => fs.readFileSync(ledgerFile, 'utf8'))
  } catch (error) {
    if (error instanceof ConfigFileError) throw error
    if (errorCode(error) === 'ENOENT') return undefined
    throw new ConfigFileError(`Cannot read ${ledgerFile}, the list of jobs using the config file: ${describeFsError(error)}.`)
  }
  // Empty: cut short by a power cut after its rename (it is not flushed); its jobs ended with the machine.
  if (raw === '') return undefined
  checkWindowsOwner(ledgerFile)
  // tryParseJson, not JSON.parse: V8's message quotes the text, and the ledger holds credentials.
  const ledger = parseStoredLedger(tryParseJson(raw))
  if (!ledger) throw invalid(ledgerFile)
  return { raw, ledger }
}

/** Windows has no owner in stat: outside the profile, where other accounts may create files, it is asked for. */
function checkWindowsOwner(ledgerFile: string): void {
  if (!platformAcl.needed(ledgerFile)) return
  try {
    platformAcl.checkOwner(ledgerFile)
  } catch (error) {
    if (error instanceof AclError) {
      throw invalid(ledgerFile, 'Windows names as its owner another account than this one, SYSTEM or Administrators (or names none)')
    }
    throw error
  }
}

function invalid(ledgerFile: string, why?: string): ConfigFileError {
  const what = why ? `is not this account's own: ${why}. It` : 'is not a list of jobs this version of upm-auth wrote. It'
  return new ConfigFileError(
    `${ledgerFile} ${what} steers what every run writes into the config file, so nothing was written. If no job that uses ` +
      'upm-auth is running on this machine, delete it, then run again (entries that running jobs wrote then stay in the config file ' +
      'after them: check it).'
  )
}

/** Replaces the ledger (atomically, 0600), or deletes it when nothing is left in it; call only under the config file's lock. */
export function writeLedger(ledgerFile: string, ledger: StoredLedger | undefined): void {
  if (ledger && (ledger.items.length > 0 || ledger.pending)) {
    // Not flushed to disk (that would double what a plain run pays for it): the ledger matters
    // only while its jobs run, and a power cut ends them all. The rename still keeps it whole.
    writeConfigFile(ledgerFile, JSON.stringify(ledger), { durable: false })
    return
  }
  try {
    retrySharingViolations(() => {
      removeFile(ledgerFile)
    })
  } catch (error) {
    throw new ConfigFileError(`Cannot delete ${ledgerFile}: ${describeFsError(error)}.`)
  }
}

/** Puts the ledger back as it was read (`before` undefined: there was none); never throws. */
export function putLedgerBack(ledgerFile: string, before: LedgerFileContent | undefined): void {
  try {
    if (before) writeConfigFile(ledgerFile, before.raw, { durable: false })
    else removeFile(ledgerFile)
  } catch {
    // What is left is a ledger with the change in flight, or the one before it: the next run tells which holds.
  }
}
