/**
 * The runner's command files. @actions/core appends to the file a GITHUB_* variable names and
 * throws "Missing file at path" with a stack trace when it does not exist (a broken runner, a
 * local run with a stale variable). Checked once before anything is written, so the step fails
 * with one line naming the variable instead.
 */
import fs from 'node:fs'

/** The command files the main step writes to (state first: it is written before anything else). */
const COMMAND_FILES = ['GITHUB_STATE', 'GITHUB_OUTPUT'] as const

/** One line naming each variable whose file is missing, or undefined when all are there (or unset). */
export function missingCommandFiles(env: Record<string, string | undefined>): string | undefined {
  const missing = COMMAND_FILES.filter(name => env[name] && !fs.existsSync(env[name]))
  if (missing.length === 0) return undefined
  return (
    `${missing.map(n => `${n} (${env[n]})`).join(' and ')} ${missing.length > 1 ? 'name files that do' : 'names a file that does'} not exist. ` +
    'The runner creates these files for every step: check the runner, or, for a local run, create the file or unset the variable.'
  )
}
