/**
 * Upper bounds on how long a run may take, derived from the network settings the test gives
 * the run and from what a run costs on this machine right now, not fixed numbers: a loaded
 * machine is slow to start Node, and a bound that ignores that fails on it for no fault.
 */
import { runAction } from './action-runner.js'
import { networkBudgetMs } from './network-budget.js'

let startup: Promise<number> | undefined

/** The wall time of a run that needs no network (the slowest of two), measured once per test file. */
export function startupMs(): Promise<number> {
  startup ??= (async () => {
    let slowest = 0
    for (let i = 0; i < 2; i++) {
      const started = Date.now()
      const result = await runAction({ inputs: { 'registry-url': 'https://startup.example/', token: 'startup-token' } })
      if (result.code !== 0) throw new Error(`the start-up run failed (exit ${String(result.code)}): ${result.stdout}${result.stderr}`)
      slowest = Math.max(slowest, Date.now() - started)
    }
    return slowest
  })()
  return startup
}

/**
 * The most a run whose requests are limited by `env` may take and still count as ending with
 * its error: the network budget twice over (on a loaded machine every timer fires late, and CI
 * once measured 1291 ms against a bound of 1226 that allowed it once), plus start-up four times
 * over (the start-up run itself, the error path, and room for the load of the other tests).
 * The failures these bounds catch are a process kept alive for minutes by a socket or a retry
 * loop that ignores the deadline, so the margin costs no power.
 */
export async function runBoundMs(env: Record<string, string | undefined>): Promise<number> {
  return 2 * networkBudgetMs(env) + 4 * (await startupMs())
}
