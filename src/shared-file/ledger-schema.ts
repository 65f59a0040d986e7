/**
 * What a ledger may hold (pure): every field of every item checked, so that a ledger another
 * hand wrote or damaged is refused whole, before any of it reaches the config file. A ledger
 * steers what a run writes (a holder's value goes into the file when the holder above it
 * leaves), so nothing in it is taken on trust.
 */
import { isPlainObject } from '../plain-object.js'
import { LEDGER_VERSION } from './ledger.js'
import type { Holder, LedgerItem } from './ledger.js'
import type { LedgerState, Pending, StoredLedger } from './journal.js'
import { isRestoreRecordPath } from './job-record.js'

/** The top-level keys the action writes, with the type of their value. */
const KEYS: Record<string, (value: unknown) => boolean> = {
  cacheRoot: value => typeof value === 'string',
  maxCacheSize: value => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}

const DIGEST = /^[0-9a-f]{64}$/
/** What the merge puts around added text: line breaks only. */
const LINE_BREAKS = /^(?:\r?\n)*$/

/** The ledger `value` says, or undefined when it is not one this version of the action writes. */
export function parseStoredLedger(value: unknown): StoredLedger | undefined {
  if (!isPlainObject(value) || value.version !== LEDGER_VERSION || !isState(value)) return undefined
  if (value.pending !== undefined && !isPending(value.pending)) return undefined
  return value as unknown as StoredLedger
}

function isState(value: Record<string, unknown>): value is Record<string, unknown> & LedgerState {
  if (typeof value.createdFile !== 'boolean' || !Array.isArray(value.items)) return false
  const names = new Set<string>()
  for (const item of value.items as unknown[]) {
    if (!isItem(item)) return false
    const name = `${item.kind}:${item.name}`
    if (names.has(name)) return false
    names.add(name)
  }
  return true
}

function isPending(value: unknown): value is Pending {
  if (!isPlainObject(value)) return false
  const digest = (field: unknown): boolean => field === null || (typeof field === 'string' && DIGEST.test(field))
  return (
    digest(value.fileBefore) && digest(value.fileAfter) && (value.before === null || (isPlainObject(value.before) && isState(value.before)))
  )
}

function isItem(value: unknown): value is LedgerItem {
  if (!isPlainObject(value)) return false
  const { kind, name, original, lead, trail, writtenDigest, writtenLength, holders } = value
  if (kind !== 'table' && kind !== 'key') return false
  if (typeof name !== 'string' || (kind === 'key' && !Object.hasOwn(KEYS, name))) return false
  if (original !== null && typeof original !== 'string') return false
  if (typeof lead !== 'string' || !LINE_BREAKS.test(lead) || typeof trail !== 'string' || !LINE_BREAKS.test(trail)) return false
  if (typeof writtenDigest !== 'string' || !DIGEST.test(writtenDigest)) return false
  if (typeof writtenLength !== 'number' || !Number.isSafeInteger(writtenLength) || writtenLength < 0) return false
  return Array.isArray(holders) && holders.length > 0 && holders.every(holder => isHolder(holder, kind, name))
}

function isHolder(value: unknown, kind: LedgerItem['kind'], name: string): value is Holder {
  if (!isPlainObject(value)) return false
  const { job, host, since, run } = value
  if (typeof job !== 'string' || !isRestoreRecordPath(job)) return false
  if (typeof host !== 'string' || typeof run !== 'string' || typeof since !== 'number' || !Number.isFinite(since)) return false
  return kind === 'key' ? KEYS[name](value.value) : isTableValue(value.value, name)
}

/** What Unity reads of an entry, for the table `name`: its own URL, one credential, strings and a boolean. */
function isTableValue(value: unknown, name: string): boolean {
  if (!isPlainObject(value) || value.url !== name) return false
  const { token, _auth, email, alwaysAuth } = value
  if (Object.keys(value).some(key => !['url', 'token', '_auth', 'email', 'alwaysAuth'].includes(key))) return false
  if ((token === undefined) === (_auth === undefined)) return false
  const optionalString = (field: unknown): boolean => field === undefined || typeof field === 'string'
  return optionalString(token) && optionalString(_auth) && optionalString(email) && typeof alwaysAuth === 'boolean'
}
