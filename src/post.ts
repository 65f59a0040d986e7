/**
 * The post step: when the job ends, puts the user config file back as it was before the main
 * step, so credentials do not outlive the job on a self-hosted runner. Entries another job
 * or step wrote since stay as they are. Cleanup never fails the job: problems are warnings.
 */
import fs from 'node:fs'
import * as core from '@actions/core'
import { updateConfigFile } from './config-file.js'
import { planRestore } from './restore.js'
import type { RestorePlan, UndoOutcome } from './restore.js'
import { readRestoreRecord, removeRestoreRecord, restoreFilePath } from './state.js'
import { describeUrl } from './registries.js'

/** What cleanup did to an entry or a top-level key's line (`what`), as the log says it. */
const OUTCOME_TEXT: Record<UndoOutcome, (what: string) => string> = {
  removed: () => 'removed (this job added it)',
  restored: what => `restored to the ${what} it replaced`,
  changed: what => `left as it is: another job or step wrote a newer ${what} since`,
  gone: () => 'already removed'
}

/** Runs the cleanup; never throws and never fails the job. */
export async function post(): Promise<void> {
  const recordFile = restoreFilePath()
  if (!recordFile) {
    // The runner passes the post step the same inputs as the main step.
    const off = ['false', 'False', 'FALSE'].includes(core.getInput('cleanup'))
    core.info(off ? 'Nothing to clean up: cleanup was off (cleanup: false), so the entries stay in the file.' : 'Nothing to clean up: this step recorded no changes to undo.')
    return
  }
  try {
    const record = readRestoreRecord(recordFile)
    if (!fs.existsSync(record.file)) {
      core.info(`Nothing to clean up: ${record.file} is gone.`)
    } else {
      const plan = await updateConfigFile<RestorePlan | undefined>(
        record.file,
        current => {
          if (!current.exists) return { result: undefined }
          const plan = planRestore(current.text, record, record.file)
          if (plan.deleteFile) return { delete: true, result: plan }
          return { text: plan.text !== current.text ? plan.text : undefined, result: plan }
        },
        { log: message => core.info(message) }
      )
      report(record.file, plan)
    }
    removeRestoreRecord(recordFile)
  } catch (error) {
    core.warning(
      `Cleanup could not restore the user config file: ${error instanceof Error ? error.message : String(error)} ` +
        'The credentials this job wrote may still be in it.'
    )
  }
}

function report(file: string, plan: RestorePlan | undefined): void {
  if (plan === undefined) {
    core.info(`Nothing to clean up: ${file} is gone.`)
    return
  }
  core.info(plan.deleteFile ? `Deleted ${file}: this job created it and nothing else is in it.` : `Cleaned up ${file}:`)
  for (const { url, outcome } of plan.outcomes) core.info(`[npmAuth.${JSON.stringify(describeUrl(url))}] ${OUTCOME_TEXT[outcome]('entry')}`)
  for (const { key, outcome } of plan.keyOutcomes) core.info(`${key} ${OUTCOME_TEXT[outcome]('line')}`)
}
