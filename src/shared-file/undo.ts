/**
 * Undoing one edit in the text (pure): how the ledger puts a table or key back as it was
 * before the jobs that wrote it, without undoing anything another hand wrote since.
 */
import { createHash } from 'node:crypto'
import { parseConfig } from '../toml/proof.js'
import { removeSpan, replaceSpan } from '../toml/spans.js'

/** One piece of text a main step wrote. */
export interface RecordedEdit {
  /**
   * SHA-256 of the text the main step wrote. A digest, not the text: cleanup only needs to
   * recognise it, and the record then holds no more secrets than it must.
   */
  writtenDigest: string
  /** The length of that text, which starts at the table's header (or the key's line). */
  writtenLength: number
  /** The text it replaced, byte for byte; null when the main step added it. */
  original: string | null
  /** The line breaks the main step put before added text. */
  lead: string
}

export type UndoOutcome =
  /** Added text was removed. */
  | 'removed'
  /** Replaced text got its original back. */
  | 'restored'
  /** The table or key holds something else now (another job or step wrote it since): left alone. */
  | 'changed'
  /** The table or key is no longer in the file: nothing to do. */
  | 'gone'

/** The digest cleanup compares the current text of a table or key with. */
export function digestOf(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex')
}

/** One undone edit: the new text, and for the meaning check the value it must now have (undefined: removed). */
export interface Undone {
  text: string
  outcome: UndoOutcome
  meaning?: { value: unknown }
}

/**
 * Undoes one edit whose table or key is at `located`, if the text there is still, byte for
 * byte, what the main step wrote. `located` is an outcome instead when the table or key is
 * not there as one piece of text; `valueOf` reads its value from a parsed document.
 */
export function undoEdit(
  text: string,
  located: { start: number; end: number } | UndoOutcome,
  edit: RecordedEdit & { trail?: string },
  valueOf: (document: Record<string, unknown>) => unknown,
  file: string
): Undone {
  if (typeof located === 'string') return { text, outcome: located }
  // The region the main step wrote; the table's (or key's) lines must all lie inside it.
  const span = { start: located.start, end: located.start + edit.writtenLength }
  if (span.end < located.end || digestOf(text.slice(span.start, span.end)) !== edit.writtenDigest) return { text, outcome: 'changed' }
  if (edit.original === null)
    return { text: removeSpan(text, span, edit.lead, edit.trail), outcome: 'removed', meaning: { value: undefined } }
  return {
    text: replaceSpan(text, span, edit.original),
    outcome: 'restored',
    meaning: { value: valueOf(parseConfig(edit.original, file)) }
  }
}
