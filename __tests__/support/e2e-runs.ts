/**
 * Runs of the bundled action for end-to-end tests: each run's folder (which holds a config
 * file with test credentials) is removed in afterAll, and `leakedSecrets` looks for any trace
 * of a secret in what a run left behind.
 */
import fs from 'node:fs'
import { runAction } from './action-runner.js'
import type { RunOptions, RunResult } from './action-runner.js'

const dirs: string[] = []

/** `runAction`, remembering the run's folder for `removeRuns`. */
export async function run(options: RunOptions): Promise<RunResult> {
  const result = await runAction(options)
  dirs.push(result.dir)
  return result
}

/** Removes the folders of every run so far. */
export function removeRuns(): void {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
}

/**
 * The secrets found in stdout, stderr or the runner's command files, with where. `::add-mask::`
 * lines are the one place a secret may appear: that is how the runner learns to hide it.
 */
export function leakedSecrets(result: RunResult, secrets: string[]): string[] {
  const places: Record<string, string> = {
    stdout: result.stdout
      .split('\n')
      .filter(line => !line.startsWith('::add-mask::'))
      .join('\n'),
    stderr: result.stderr,
    ...Object.fromEntries(Object.entries(result.files).map(([name, text]) => [`GITHUB_${name.toUpperCase()} file`, text]))
  }
  return secrets.flatMap(secret =>
    Object.entries(places)
      .filter(([, text]) => text.includes(secret))
      .map(([place]) => `${secret.slice(0, 6)}… in ${place}`)
  )
}
