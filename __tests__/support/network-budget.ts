/**
 * How long one request may take under the network settings a test gives it, without starting
 * anything: unit tests import this, and timing.ts adds what a whole run costs on top.
 */

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
