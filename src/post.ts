/**
 * The post step: when the job ends, puts the user config file back as it was before the main
 * step, so credentials do not outlive the job on a self-hosted runner, without pulling an
 * entry from under another job that still uses it (the ledger, see shared-file/ledger.ts). Entries
 * another job or step wrote since stay as they are. Then it revokes the tokens the main step's
 * `login` minted that no live job uses (revoke.ts). Cleanup never fails the job: problems are warnings.
 */
import fs from 'node:fs'
import * as core from '@actions/core'
import { loadPlatformAcl } from './private-file.js'
import { readRestoreRecord, removeRestoreRecord, restoreFilePath } from './shared-file/job-record.js'
import type { LedgerOutcome } from './shared-file/ledger.js'
import { ledgerPathOf } from './shared-file/ledger-file.js'
import { leaveSharedFile } from './shared-file/leave.js'
import type { Left } from './shared-file/leave.js'
import { recoveryMessage } from './shared-file/journal.js'
import { parseBooleanInput } from './registries.js'
import { redactUrl } from './secrets.js'
import { errorMessage } from './error-message.js'
import { logSafe } from './log-safe.js'
import { emit } from './messages.js'
import { mask } from './inputs.js'
import { mintedTokensFile } from './revoke-state.js'

/** What the ledger's leave rules did to an item this job held, as the log says it. */
const LEDGER_TEXT: Record<LedgerOutcome, (what: string) => string> = {
  restored: what => `restored to the ${what} it replaced`,
  changed: what => `left as it is: another job or step wrote a newer ${what} since`,
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
    if (!fs.existsSync(record.file) && !fs.existsSync(ledgerPathOf(record.file))) {
      core.info(`Nothing to clean up: ${logSafe(record.file)} is gone.`)
    } else {
      const left = await leaveSharedFile(record.file, recordFile, message => {
        core.info(logSafe(message))
      })
      report(record.file, left)
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

function report(configFile: string, left: Left): void {
  const file = logSafe(configFile)
  if (left.recovery) core.info(logSafe(recoveryMessage(configFile, left.recovery)))
  if (!left.settled) {
    core.info(
      left.missing
        ? `Nothing to clean up: ${file} is gone.`
        : `Nothing to clean up in ${file}: the list of jobs using it holds nothing this job wrote (its main step was stopped ` +
            'before it changed the file, or the list was deleted since).'
    )
    return
  }
  core.info(left.deleted ? `Deleted ${file}: the jobs that used it created it, and nothing else is in it.` : `Cleaned up ${file}:`)
  for (const { kind, name, outcome } of left.settled.outcomes) {
    const [label, what] = kind === 'table' ? [tableLabel(name), 'entry'] : [logSafe(name), 'line']
    core.info(`${label} ${LEDGER_TEXT[outcome](what)}`)
  }
}

/** A table as the log names it: its header, with the URL redacted and log-safe. */
function tableLabel(url: string): string {
  return logSafe(`[npmAuth.${JSON.stringify(redactUrl(url))}]`)
}
