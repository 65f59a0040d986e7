/**
 * Upper bounds on how long a run may take, derived from the network settings the test gives
 * the run and from what a run costs on this machine right now, not fixed numbers: a loaded
 * machine is slow to start Node, and a bound that ignores that fails on it for no fault.
 */
import { runAction } from './action-runner.js'

/** Attempts per request (src/registry-http.ts DEFAULT_NETWORK.attempts; not settable from the environment). */
const ATTEMPTS = 3

/**
 * The longest one request's network may take under the `UPM_AUTH_NETWORK_*` settings in
 * `env` (the action's defaults where absent): every attempt timing out, with the growing pauses
 * between them, cut short by the step deadline when one is set.
 */
export function networkBudgetMs(env: Record<string, string | undefined>): number {
  const timeout = Number(env.UPM_AUTH_NETWORK_TIMEOUT_MS ?? 10_000)
  const backoff = Number(env.UPM_AUTH_NETWORK_BACKOFF_MS ?? 1_000)
  let ms = ATTEMPTS * timeout
  for (let attempt = 2; attempt <= ATTEMPTS; attempt++) ms += backoff * 2 ** (attempt - 2)
  const deadline = env.UPM_AUTH_NETWORK_DEADLINE_MS
  return deadline === undefined ? ms : Math.min(ms, Number(deadline))
}

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
 * its error: the network budget, plus start-up four times over (the start-up run itself, the
 * error path, and room for the load of the other tests).
 */
export async function runBoundMs(env: Record<string, string | undefined>): Promise<number> {
  return networkBudgetMs(env) + 4 * (await startupMs())
}
