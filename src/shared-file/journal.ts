/**
 * The journal (pure): how a change of the pair (ledger, config file) survives a kill at any
 * instruction. The ledger and the file are two files, each replaced atomically, but not
 * together; so before the file changes, the ledger is written with the change in flight
 * (`pending`): the digests of the file's bytes before and after, and the ledger as it was. The
 * file is then replaced, and the ledger written again without `pending`.
 *
 * A run that finds `pending` (under the lock, before anything else) tells from the file which
 * side got ahead: the file shows the bytes after → the change happened, and the ledger is
 * finished as intended; the bytes before → it did not, and the ledger goes back as it was. A
 * file that shows neither was written by a program that does not take the lock, after the kill;
 * then each item is judged on its own (see {@link recover}). So no run adopts a live job's value,
 * or that of a job that just left, as an original, and no ended job's value is left behind.
 */
import { createHash } from 'node:crypto'
import { showsLastWrite } from './ledger.js'
import type { Ledger, LedgerItem } from './ledger.js'

/** The ledger as stored: the rules' ledger, and the change in flight, if any. */
export interface StoredLedger extends Ledger {
  pending?: Pending
}

/** What the ledger says of itself apart from its version. */
export type LedgerState = Pick<Ledger, 'createdFile' | 'items'>

/** A change of the file in flight. */
export interface Pending {
  /** SHA-256 of the file's bytes before the change; null: there was no file. */
  fileBefore: string | null
  /** SHA-256 of the file's bytes after it; null: the change deletes the file. */
  fileAfter: string | null
  /** The ledger before the change; null: there was none. The stored ledger's own items are those after it. */
  before: LedgerState | null
}

/** What a run did about a change it found in flight: finished it, undid it, or judged each item on its own. */
export type Recovery = 'finished' | 'undone' | 'reconciled'

/** The digest a pending change names the file's bytes by (null: no file). */
export function fileDigest(bytes: Buffer | null): string | null {
  return bytes === null ? null : createHash('sha256').update(bytes).digest('hex')
}

/**
 * The ledger to go on with, given the file as it is now (`fileNow`: the digest of its bytes;
 * `text`: its text). A ledger without `pending` is what it says. With one, see the module's
 * comment; when the file shows neither side, each item that the file shows as the ledger after
 * the change recorded it is taken from after, else one it shows as before recorded it from
 * before, else (another hand wrote it) from after, whose holders then see that write adopted as
 * the item's original by the leave rules, as any write no live job made.
 *
 * @returns undefined for the ledger when none is left.
 */
export function recover(stored: StoredLedger, fileNow: string | null, text: string): { ledger: Ledger | undefined; recovery?: Recovery } {
  const { pending, ...after } = stored
  if (!pending) return { ledger: orNone(after) }
  const before: Ledger | undefined = pending.before ? { version: after.version, ...pending.before } : undefined
  if (fileNow === pending.fileAfter) return { ledger: orNone(after), recovery: 'finished' }
  if (fileNow === pending.fileBefore) return { ledger: before && orNone(before), recovery: 'undone' }
  const key = (item: LedgerItem): string => `${item.kind}:${item.name}`
  const beforeItems = new Map((before?.items ?? []).map(item => [key(item), item]))
  const items: LedgerItem[] = []
  for (const item of after.items) {
    const old = beforeItems.get(key(item))
    beforeItems.delete(key(item))
    items.push(!showsLastWrite(text, item) && old && showsLastWrite(text, old) ? old : item)
  }
  // Items the change took out of the ledger (their last job left): kept only where the file still shows them as before.
  for (const old of beforeItems.values()) if (showsLastWrite(text, old)) items.push(old)
  return { ledger: orNone({ ...after, items }), recovery: 'reconciled' }
}

function orNone(ledger: Ledger): Ledger | undefined {
  return ledger.items.length > 0 ? ledger : undefined
}
/** What a run says when it found a change that a killed run left in flight. */
export function recoveryMessage(file: string, recovery: Recovery): string {
  const what: Record<Recovery, string> = {
    finished: 'the file had been written, so the list of jobs using it was brought up to date',
    undone: 'the file had not been written yet, so the list of jobs using it was put back as it was',
    reconciled: 'another program wrote the file since, so each entry the list holds was matched with what the file shows'
  }
  return `A run of upm-auth on ${file} was stopped between its two writes; ${what[recovery]}.`
}
