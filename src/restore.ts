/**
 * Pure logic: what the cleanup step does to the user config file to put it back as it was
 * before the main step, without undoing anything another job or step wrote since.
 */
import { createHash } from 'node:crypto'
import type { MergeResult } from './toml/npm-auth.js'
import type { WrittenKey } from './toml/top-level.js'
import type { WrittenRegion } from './toml/spans.js'
import { assertMeaning, parseConfig } from './toml/proof.js'
import { locateTable } from './toml/npm-auth.js'
import { locateTopLevelKey } from './toml/top-level.js'
import { removeSpan, replaceSpan } from './toml/spans.js'

/** What the main step changed, as kept for the cleanup step (in a 0600 file, never in state). */
export interface RestoreRecord {
  /** 2 since cache keys are recorded; a version 1 record is read as one with no keys. */
  version: 2
  /** The user config file. */
  file: string
  /** The file did not exist before the main step. */
  createdFile: boolean
  tables: RecordedTable[]
  /** The top-level keys (`cacheRoot`, `maxCacheSize`) set after the merge, in the order they were set. */
  keys: RecordedKey[]
}

/** One piece of text the main step wrote. */
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

export interface RecordedTable extends RecordedEdit {
  url: string
}

export interface RecordedKey extends RecordedEdit {
  key: string
  /** The blank line the main step put after an added key. */
  trail: string
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

export interface RestorePlan {
  /** The file's new text. */
  text: string
  /** Delete the file: the main step created it and nothing else is in it. */
  deleteFile: boolean
  outcomes: { url: string; outcome: UndoOutcome }[]
  keyOutcomes: { key: string; outcome: UndoOutcome }[]
}

/** The digest cleanup compares the current text of a table or key with. */
export function digestOf(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex')
}

function recorded(region: WrittenRegion): RecordedEdit {
  return { writtenDigest: digestOf(region.written), writtenLength: region.written.length, original: region.original, lead: region.lead }
}

/** The record of a merge and the cache keys set after it, for the cleanup step. */
export function recordOf(file: string, createdFile: boolean, merge: Pick<MergeResult, 'tables'>, keys: WrittenKey[]): RestoreRecord {
  return {
    version: 2,
    file,
    createdFile,
    tables: merge.tables.map(t => ({ url: t.url, ...recorded(t) })),
    keys: keys.map(k => ({ key: k.key, ...recorded(k), trail: k.trail }))
  }
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

/**
 * Computes the restored text. A table or key is restored (or removed) only while it still
 * holds, byte for byte, what the main step wrote: a newer entry from another job stays.
 *
 * @param text the file's current content (without BOM).
 * @param file the file's path, for error messages.
 * @throws ConfigFileError when the file no longer parses, or the edit would not mean what it should.
 */
export function planRestore(text: string, record: Pick<RestoreRecord, 'createdFile' | 'tables' | 'keys'>, file: string): RestorePlan {
  const before = parseConfig(text, file)
  let result = text

  // The keys were set after the merge, one after the other: they are undone first, last first,
  // so that each finds the text around it as it was written.
  const keyOutcomes = new Map<string, UndoOutcome>()
  const keyMeaning = new Map<string, unknown>()
  for (const key of [...record.keys].reverse()) {
    // Not one statement: changed when still set otherwise (a table, dotted keys), else gone.
    const located = locateTopLevelKey(result, key.key) ?? (Object.hasOwn(before, key.key) ? 'changed' : 'gone')
    const undone = undoEdit(result, located, key, document => document[key.key], file)
    result = undone.text
    keyOutcomes.set(key.key, undone.outcome)
    if (undone.meaning) keyMeaning.set(key.key, undone.meaning.value)
  }

  // Last table first: removing a table at the end of the file then sees the lead of the one
  // before it at the end too, and both come off exactly.
  const outcomes = new Map<string, UndoOutcome>()
  const meaning = new Map<string, unknown>()
  const order = record.tables.map(table => ({ table, start: locateTable(result, table.url)?.start ?? -1 }))
  for (const { table } of order.sort((a, b) => b.start - a.start)) {
    const located = locateTable(result, table.url)
    const at = located === undefined || located.arrayTable ? 'gone' : located
    const undone = undoEdit(result, at, table, document => (document.npmAuth as Record<string, unknown> | undefined)?.[table.url], file)
    result = undone.text
    outcomes.set(table.url, undone.outcome)
    if (undone.meaning) meaning.set(table.url, undone.meaning.value)
  }

  assertMeaning(
    before,
    result,
    meaning,
    `${file} changed since this job wrote it in a way that cleanup cannot undo in place; its entries were left as they are.`,
    keyMeaning
  )
  return {
    text: result,
    deleteFile: record.createdFile && result.trim() === '',
    outcomes: record.tables.map(t => ({ url: t.url, outcome: outcomes.get(t.url) ?? 'gone' })),
    keyOutcomes: record.keys.map(k => ({ key: k.key, outcome: keyOutcomes.get(k.key) ?? 'gone' }))
  }
}
