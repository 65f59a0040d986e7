/**
 * The post step: when the job ends, puts the user config file back as it was before the main
 * step, so credentials do not outlive the job on a self-hosted runner, without pulling an
 * entry from under another job that still uses it (the ledger, see ledger.ts). Entries
 * another job or step wrote since stay as they are. Then it revokes the tokens the main step's
 * `login` minted that no live job uses (revoke.ts). Cleanup never fails the job: problems are warnings.
 */
import fs from 'node:fs'
import * as core from '@actions/core'
import { updateConfigFile } from './config-file.js'
import type { ConfigChange, ConfigFileContent } from './config-file.js'
import { loadPlatformAcl } from './private-file.js'
import { planRestore } from './restore.js'
import type { RestorePlan, RestoreRecord, UndoOutcome } from './restore.js'
import { jobIsLive, readRestoreRecord, removeRestoreRecord, restoreFilePath } from './state.js'
import { holdsAny, settle } from './ledger.js'
import type { LedgerOutcome, SettleResult } from './ledger.js'
import { ledgerPathOf, putLedgerBack, readLedger, writeLedger } from './ledger-file.js'
import { parseBooleanInput } from './registries.js'
import { redactUrl } from './secrets.js'
import { errorMessage } from './error-message.js'
import { logSafe } from './log-safe.js'
import { emit } from './messages.js'
import { mask } from './inputs.js'
import { mintedTokensFile } from './revoke-state.js'

/** What cleanup did to an entry or a top-level key's line (`what`), as the log says it. */
const OUTCOME_TEXT: Record<UndoOutcome, (what: string) => string> = {
  removed: () => 'removed (this job added it)',
  restored: what => `restored to the ${what} it replaced`,
  changed: what => `left as it is: another job or step wrote a newer ${what} since`,
  gone: () => 'already removed'
}

/** What the ledger's leave rules did to an item this job held, as the log says it. */
const LEDGER_TEXT: Record<LedgerOutcome, (what: string) => string> = {
  ...OUTCOME_TEXT,
  removed: () => 'removed (no job uses it now, and it was not there before)',
  'handed-on': () => 'now holds the value of the newest job still using it',
  kept: () => 'left as it is: a job still using it wrote it after this one'
}

/**
 * The post step: the cleanup, then the revocation of the tokens `login` minted (revoke.ts,
 * loaded only when there are any). Never throws and never fails the job.
 */
export async function postStep(): Promise<void> {
  await post()
  const minted = mintedTokensFile()
  if (!minted) return
  try {
    emit(await (await import('./revoke.js')).revokeMintedTokens(minted, mask))
  } catch (error) {
    core.warning(
      `Could not revoke the tokens \`login\` minted: ${errorMessage(error)} They stay valid until they expire or are revoked on the registry.`
    )
  }
}

/** Runs the cleanup; never throws and never fails the job. */
export async function post(): Promise<void> {
  const recordFile = restoreFilePath()
  if (!recordFile) {
    core.info(
      cleanupWasOff()
        ? 'Nothing to clean up: cleanup was off (cleanup: false), so the entries stay in the file.'
        : 'Nothing to clean up: this step recorded no changes to undo.'
    )
    return
  }
  try {
    await loadPlatformAcl()
    const record = readRestoreRecord(recordFile)
    const ledgerFile = ledgerPathOf(record.file)
    if (!fs.existsSync(record.file) && !fs.existsSync(ledgerFile)) {
      core.info(`Nothing to clean up: ${logSafe(record.file)} is gone.`)
    } else {
      const cleaned = await updateConfigFile<Cleaned>(record.file, current => cleanUp(current, record, recordFile, ledgerFile), {
        log: message => {
          core.info(logSafe(message))
        }
      })
      report(record.file, cleaned)
    }
    removeRestoreRecord(recordFile)
  } catch (error) {
    core.warning(
      `Cleanup could not restore the user config file: ${errorMessage(error)} The credentials this job wrote may still be in it.`
    )
  }
}

/** The runner passes the post step the same inputs as the main step; an invalid value failed the main step already. */
function cleanupWasOff(): boolean {
  try {
    return !parseBooleanInput('cleanup', core.getInput('cleanup'))
  } catch {
    return false
  }
}

type Cleaned = { ledger: SettleResult; deleteFile: boolean } | { plan: RestorePlan } | undefined

/**
 * Under the lock: this job leaves the ledger (and every job that has ended with it). A record
 * the ledger does not know (written by an earlier version, or the ledger was removed) is
 * undone on its own, as far as the file still holds what this job wrote.
 */
function cleanUp(current: ConfigFileContent, record: RestoreRecord, recordFile: string, ledgerFile: string): ConfigChange<Cleaned> {
  const before = readLedger(ledgerFile)
  const settled = before && settle(current.text, before.ledger, jobIsLive, record.file, recordFile)
  if (before && settled && holdsAny(before.ledger, recordFile)) {
    writeLedger(ledgerFile, settled.ledger)
    if (!current.exists && settled.text === '') return { result: undefined }
    const deleteFile = settled.ledger.items.length === 0 && before.ledger.createdFile && current.exists && settled.text.trim() === ''
    const undo = (): void => {
      putLedgerBack(ledgerFile, before)
    }
    if (deleteFile) return { delete: true, result: { ledger: settled, deleteFile }, undo }
    return { text: changedText(current, settled.text), result: { ledger: settled, deleteFile }, undo }
  }
  if (settled) writeLedger(ledgerFile, settled.ledger)
  const text = settled?.text ?? current.text
  if (!current.exists && text === '') return { result: undefined }
  const plan = planRestore(text, record, record.file)
  if (plan.deleteFile) return { delete: true, result: { plan } }
  return { text: changedText(current, plan.text), result: { plan } }
}

/** The text to write, or undefined when the file would not change. */
function changedText(current: ConfigFileContent, text: string): string | undefined {
  if (!current.exists) return text === '' ? undefined : text
  return text === current.text ? undefined : text
}

function report(configFile: string, cleaned: Cleaned): void {
  const file = logSafe(configFile)
  if (cleaned === undefined) {
    core.info(`Nothing to clean up: ${file} is gone.`)
    return
  }
  if ('ledger' in cleaned) {
    core.info(cleaned.deleteFile ? `Deleted ${file}: the jobs that used it created it, and nothing else is in it.` : `Cleaned up ${file}:`)
    for (const { kind, name, outcome } of cleaned.ledger.outcomes) {
      const [label, what] = kind === 'table' ? [tableLabel(name), 'entry'] : [logSafe(name), 'line']
      core.info(`${label} ${LEDGER_TEXT[outcome](what)}`)
    }
    return
  }
  const { plan } = cleaned
  core.info(plan.deleteFile ? `Deleted ${file}: this job created it and nothing else is in it.` : `Cleaned up ${file}:`)
  for (const { url, outcome } of plan.outcomes) core.info(`${tableLabel(url)} ${OUTCOME_TEXT[outcome]('entry')}`)
  for (const { key, outcome } of plan.keyOutcomes) core.info(`${logSafe(key)} ${OUTCOME_TEXT[outcome]('line')}`)
}

/** A table as the log names it: its header, with the URL redacted and log-safe. */
function tableLabel(url: string): string {
  return logSafe(`[npmAuth.${JSON.stringify(redactUrl(url))}]`)
}
