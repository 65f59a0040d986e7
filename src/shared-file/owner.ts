/**
 * Whether a file next to the config file is this account's own: the lock and the ledger steer
 * what a run writes into the config, so one that another account could have written is never
 * trusted (docs/security.md).
 */
import type fs from 'node:fs'

/**
 * Why a file is not this account's alone, in words naming the owner; undefined when it is. POSIX
 * only: it must belong to this account's uid, and neither group nor others may write it. Windows
 * has no owner in `stat` (see ledger-file.ts for the ledger's check there).
 */
export function notOwnedByThisAccount(stat: Pick<fs.Stats, 'uid' | 'mode'>): string | undefined {
  if (process.platform === 'win32' || typeof process.getuid !== 'function') return undefined
  const me = process.getuid()
  if (stat.uid !== me) return `it belongs to the account with uid ${stat.uid}, not to this one (uid ${me})`
  if ((stat.mode & 0o022) !== 0) return `its mode ${(stat.mode & 0o777).toString(8).padStart(4, '0')} lets other accounts write it`
  return undefined
}
