/**
 * The file side of the ledger (see ledger.ts): `<config>.ledger`, next to the config file,
 * 0600, read and replaced only under the config file's own lock. It holds credentials only
 * while a job that wrote them is live, and is deleted when no job is left. It is never logged.
 */
import fs from 'node:fs'
import { writeConfigFile } from './config-file.js'
import { describeFsError, errorCode, removeFile, retrySharingViolations } from './fs-errors.js'
import { LEDGER_VERSION } from './ledger.js'
import type { Ledger } from './ledger.js'
import { ConfigFileError } from './errors.js'
import { tryParseJson } from './json.js'

/** Far above any real ledger (a few hundred bytes a job): a bigger file is not ours. */
const MAX_LEDGER_BYTES = 4 * 1024 * 1024

/** The ledger of a config file. */
export function ledgerPathOf(file: string): string {
  return `${file}.ledger`
}

/** The ledger's bytes as read (to put back if a write fails), and what they say; undefined when there is none. */
export interface LedgerFileContent {
  raw: string
  ledger: Ledger
}

/** Reads the ledger; call only under the config file's lock. */
export function readLedger(ledgerFile: string): LedgerFileContent | undefined {
  let raw: string
  try {
    const stat = fs.lstatSync(ledgerFile)
    if (!stat.isFile() || stat.size > MAX_LEDGER_BYTES) throw invalid(ledgerFile)
    raw = retrySharingViolations(() => fs.readFileSync(ledgerFile, 'utf8'))
  } catch (error) {
    if (error instanceof ConfigFileError) throw error
    if (errorCode(error) === 'ENOENT') return undefined
    throw new ConfigFileError(`Cannot read ${ledgerFile}, the list of jobs using the config file: ${describeFsError(error)}.`)
  }
  // Empty: cut short by a power cut after its rename (it is not flushed); its jobs ended with the machine.
  if (raw === '') return undefined
  // tryParseJson, not JSON.parse: V8's message quotes the text, and the ledger holds credentials.
  const ledger = tryParseJson(raw) as Partial<Ledger> | undefined
  if (ledger?.version !== LEDGER_VERSION || typeof ledger.createdFile !== 'boolean' || !Array.isArray(ledger.items))
    throw invalid(ledgerFile)
  return { raw, ledger: ledger as Ledger }
}

function invalid(ledgerFile: string): ConfigFileError {
  return new ConfigFileError(
    `${ledgerFile} is not a list of jobs this version of upm-auth wrote. If no job that uses upm-auth is running on this ` +
      'machine, delete it, then run again.'
  )
}

/** Replaces the ledger (atomically, 0600), or deletes it when no item is left; call only under the config file's lock. */
export function writeLedger(ledgerFile: string, ledger: Ledger): void {
  if (ledger.items.length > 0) {
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
    // The next run treats what the file shows as written by nobody: nothing is lost but cleanup.
  }
}
