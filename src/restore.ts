/**
 * Pure logic: what the cleanup step does to the user config file to put it back as it was
 * before the main step, without undoing anything another job or step wrote since.
 */
import { createHash } from 'node:crypto'
import type { MergeResult } from './toml-merge.js'
import { assertMeaning, locateTable, parseConfig, removeSpan, replaceSpan } from './toml-merge.js'

/** What the main step changed, as kept for the cleanup step (in a 0600 file, never in state). */
export interface RestoreRecord {
  version: 1
  /** The user config file. */
  file: string
  /** The file did not exist before the main step. */
  createdFile: boolean
  tables: RecordedTable[]
}

export interface RecordedTable {
  url: string
  /**
   * SHA-256 of the text the main step wrote for the table. A digest, not the text: cleanup
   * only needs to recognise it, and the record then holds no more secrets than it must.
   */
  writtenDigest: string
  /** The length of that text, which starts at the table's header. */
  writtenLength: number
  /** The text it replaced, byte for byte; null when the main step added the table. */
  original: string | null
  /** The line breaks the main step put before an added table. */
  lead: string
}

export type TableOutcome =
  /** An added table was removed. */
  | 'removed'
  /** A replaced table got its original text back. */
  | 'restored'
  /** The table holds something else now (another job or step wrote it since): left alone. */
  | 'changed'
  /** The table is no longer in the file: nothing to do. */
  | 'gone'

export interface RestorePlan {
  /** The file's new text. */
  text: string
  /** Delete the file: the main step created it and nothing else is in it. */
  deleteFile: boolean
  outcomes: { url: string; outcome: TableOutcome }[]
}

/** The digest cleanup compares a table's current text with. */
export function tableDigest(tableText: string): string {
  return createHash('sha256').update(tableText, 'utf8').digest('hex')
}

/** The record of a merge, for the cleanup step. */
export function recordOf(file: string, createdFile: boolean, merge: MergeResult): RestoreRecord {
  return {
    version: 1,
    file,
    createdFile,
    tables: merge.tables.map(t => ({
      url: t.url,
      writtenDigest: tableDigest(t.written),
      writtenLength: t.written.length,
      original: t.original,
      lead: t.lead
    }))
  }
}

/**
 * Computes the restored text. A table is restored (or removed) only while it still holds,
 * byte for byte, what the main step wrote: a newer entry from another job stays.
 *
 * @param text the file's current content (without BOM).
 * @param file the file's path, for error messages.
 * @throws ConfigFileError when the file no longer parses, or the edit would not mean what it should.
 */
export function planRestore(text: string, record: Pick<RestoreRecord, 'createdFile' | 'tables'>, file: string): RestorePlan {
  const before = parseConfig(text, file)
  const outcomes = new Map<string, TableOutcome>()
  const meaning = new Map<string, unknown>()

  // Last table first: removing a table at the end of the file then sees the lead of the one
  // before it at the end too, and both come off exactly.
  const order = record.tables.map(table => ({ table, start: locateTable(text, table.url)?.start ?? -1 }))
  let result = text
  for (const { table } of order.sort((a, b) => b.start - a.start)) {
    const located = locateTable(result, table.url)
    if (located === undefined || located.arrayTable) {
      outcomes.set(table.url, 'gone')
      continue
    }
    // The region the main step wrote; the table's key lines must all lie inside it.
    const span = { ...located, end: located.start + table.writtenLength }
    if (span.end < located.end || tableDigest(result.slice(span.start, span.end)) !== table.writtenDigest) {
      outcomes.set(table.url, 'changed')
      continue
    }
    if (table.original === null) {
      result = removeSpan(result, span, table.lead)
      outcomes.set(table.url, 'removed')
      meaning.set(table.url, undefined)
    } else {
      result = replaceSpan(result, span, table.original)
      outcomes.set(table.url, 'restored')
      const npmAuth = parseConfig(table.original, file).npmAuth as Record<string, unknown> | undefined
      meaning.set(table.url, npmAuth?.[table.url])
    }
  }

  assertMeaning(
    before,
    result,
    meaning,
    `${file} changed since this job wrote it in a way that cleanup cannot undo in place; its entries were left as they are.`
  )
  return {
    text: result,
    deleteFile: record.createdFile && result.trim() === '',
    outcomes: record.tables.map(t => ({ url: t.url, outcome: outcomes.get(t.url) ?? 'gone' }))
  }
}
