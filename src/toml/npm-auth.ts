/**
 * Pure logic: merges npmAuth entries into the text of a user config file.
 *
 * Each configured URL's whole `[npmAuth."URL"]` table is replaced (so no stale `_auth` stays
 * next to a new `token`), new tables are appended, and every other byte of the file stays as
 * it was: comments, order, formatting, line endings, `cacheRoot`, other registries. smol-toml
 * validates the file and renders every value; this module only decides where text goes, and
 * proves before anything is written that the edit means exactly what was intended: by parsing
 * the whole result, or, when tables were only appended, each appended table.
 */
import { stringify } from 'smol-toml'
import type { NpmAuthEntry, UnityEntry } from '../entry.js'
import { ConfigFileError } from '../errors.js'
import { assertMeaning, parseConfig, parsedAs } from './proof.js'
import { isPlainObject } from '../plain-object.js'
import { detectEol, scanLines, topLevelStatements } from './scan.js'
import type { Line } from './scan.js'
import { replaceSpan } from './spans.js'
import { logSafe } from '../log-safe.js'
import type { WrittenRegion } from './spans.js'

export interface MergeResult {
  text: string
  /** What the merged text means, as proved when it was checked, so nobody needs to parse it again. */
  document: Record<string, unknown>
  /** URLs whose existing table was replaced. */
  replaced: string[]
  /** URLs for which a new table was appended. */
  added: string[]
  /** Each table as it was and as it was written: what cleanup needs to undo the merge. */
  tables: WrittenTable[]
}

/**
 * One table the merge wrote. `original` runs from the header through the last key line;
 * `written` starts at the header and may run past the last key line (comments kept from the
 * old table).
 */
export interface WrittenTable extends WrittenRegion {
  url: string
}

/** Where a `[npmAuth."URL"]` table sits in a text: its header line through its last key line. */
export interface TableSpan {
  start: number
  /** Offset after the header line. */
  headerEnd: number
  end: number
  arrayTable: boolean
}

/** The fields of an entry that Unity reads, in the order Unity's manual writes them. */
export function entryFields(entry: UnityEntry | NpmAuthEntry): Record<string, string | boolean> {
  const fields: Record<string, string | boolean> = {}
  if (entry.token !== undefined) fields.token = entry.token
  if (entry._auth !== undefined) fields._auth = entry._auth
  if (entry.email !== undefined) fields.email = entry.email
  fields.alwaysAuth = entry.alwaysAuth
  return fields
}

/** Renders `[npmAuth."URL"]` and its keys with smol-toml, so every string is escaped correctly. */
export function renderTable(entry: UnityEntry | NpmAuthEntry, eol = '\n'): { header: string; body: string } {
  const [header, ...body] = stringify({ npmAuth: { [entry.url]: entryFields(entry) } })
    .replace(/\n+$/, '')
    .split('\n')
  return { header, body: body.map(line => line + eol).join('') }
}

/**
 * The same table with the credential values replaced by `***`, for the log: each line log-safe
 * (TOML escapes control characters already; an `##[` in an e-mail address would still issue a
 * workflow command).
 */
export function renderRedacted(entry: NpmAuthEntry): string {
  const redacted: NpmAuthEntry = { ...entry }
  if (redacted.token !== undefined) redacted.token = '***'
  if (redacted._auth !== undefined) redacted._auth = '***'
  const { header, body } = renderTable(redacted)
  return `${header}\n${body}`.split('\n').map(logSafe).join('\n')
}

/**
 * Merges `entries` into `text` (the file's content without BOM; '' for a new file).
 *
 * @param file the file's path, for error messages.
 */
export function mergeEntries(text: string, entries: (UnityEntry | NpmAuthEntry)[], file: string): MergeResult {
  const before = parseConfig(text, file)
  const npmAuth = before.npmAuth
  if (npmAuth !== undefined && !isPlainObject(npmAuth)) {
    throw new ConfigFileError(
      `${file} has a top-level \`npmAuth\` that is not a table. Unity expects [npmAuth."URL"] tables: fix or remove it, then run again.`
    )
  }

  const eol = detectEol(text)
  // Scanned only when a table must be replaced: appending needs no line map.
  let lines: Line[] | undefined
  const edits: { start: number; end: number; text: string }[] = []
  const tables: WrittenTable[] = []
  const appended: { url: string; text: string }[] = []

  for (const entry of entries) {
    const { header, body } = renderTable(entry, eol)
    const existing = npmAuth?.[entry.url]
    if (existing === undefined) {
      appended.push({ url: entry.url, text: header + eol + body })
      continue
    }
    lines ??= scanLines(text)
    const span = findTable(lines, entry.url)
    if (span === undefined || span.arrayTable) {
      throw new ConfigFileError(
        `${file} defines the entry for ${entry.url} in a form this action cannot edit in place ` +
          '(an inline table, dotted keys or an array of tables). Rewrite it as a [npmAuth."URL"] table, or remove it, then run again.'
      )
    }
    // Every key-value line of the table is replaced; the new keys go where its first key was.
    // The header line (with its comment) and the comment and blank lines around the keys stay.
    const headerText = text.slice(span.start, span.headerEnd)
    let written = headerText.endsWith('\n') ? headerText : headerText + eol
    let bodyPlaced = false
    for (const line of lines.filter(l => l.start >= span.headerEnd && l.next <= span.end)) {
      if (line.kind !== 'content') written += text.slice(line.start, line.next)
      else if (!bodyPlaced) written += body
      bodyPlaced ||= line.kind === 'content'
    }
    if (!bodyPlaced) written += body
    edits.push({ start: span.start, end: span.end, text: written })
    tables.push({ url: entry.url, original: text.slice(span.start, span.end), written, lead: '' })
  }

  let result = text
  for (const edit of edits.sort((a, b) => b.start - a.start)) result = replaceSpan(result, edit, edit.text)
  if (appended.length > 0) {
    let separator = ''
    if (result.length > 0 && !result.endsWith('\n')) separator += eol
    if (result.length > 0 && !/(^|\n)[ \t]*\r?\n$/.test(result + separator)) separator += eol
    appended.forEach((table, i) => {
      const lead = i === 0 ? separator : eol
      result += lead + table.text
      tables.push({ url: table.url, original: null, written: table.text, lead })
    })
  }

  const fields = new Map(entries.map(e => [e.url, entryFields(e)]))
  const document =
    (edits.length === 0 && appendedMeaning(text, before, appended, fields)) ||
    assertMeaning(
      before,
      result,
      fields,
      `${file} defines npmAuth in a form this action cannot extend in place (for example an inline table ` +
        '`npmAuth = { ... }`, dotted keys, or sub-tables of a registry). Rewrite its entries as [npmAuth."URL"] tables, then run again.'
    )
  const replaced = tables.filter(t => t.original !== null).map(t => t.url)
  return { text: result, document, replaced, added: entries.filter(e => !replaced.includes(e.url)).map(e => e.url), tables }
}

/**
 * What `text` means with the `appended` tables added at its end, proved without parsing the
 * whole result (on a large file that parse is much of a run: BENCHMARKS.md, merge scaling). Only for a
 * merge that edited nothing in place. `text` parsed, so it ends between two statements, and
 * each table starts on a line of its own: appending then means exactly adding the tables,
 * provided each one parses alone to its entry, no two share a URL, npmAuth had none of their
 * URLs (the caller appends only those), and no top-level statement defines npmAuth (an inline
 * table or dotted keys, to which a [npmAuth."URL"] table cannot be added). Undefined when any
 * of this does not hold; the caller then parses the whole result. Returns `before`, updated.
 */
function appendedMeaning(
  text: string,
  before: Record<string, unknown>,
  appended: { url: string; text: string }[],
  fields: Map<string, unknown>
): Record<string, unknown> | undefined {
  if (new Set(appended.map(table => table.url)).size !== appended.length) return undefined
  for (const table of appended) {
    if (!parsedAs(table.text, { npmAuth: { [table.url]: fields.get(table.url) } })) return undefined
  }
  // Top-level statements come before the first header, so the scan stops there.
  const statements = topLevelStatements(text, scanLines(text, { untilHeader: true }))
  if (statements.some(statement => statement.key === 'npmAuth' || statement.key === '')) return undefined
  const npmAuth = (before.npmAuth ??= {}) as Record<string, unknown>
  for (const table of appended) npmAuth[table.url] = fields.get(table.url)
  return before
}

/**
 * Finds the `[npmAuth."URL"]` table of `url` in valid TOML text. The table owns its header
 * and every line up to its last key line; blank lines and comments after that belong to
 * whatever follows.
 */
export function locateTable(text: string, url: string): TableSpan | undefined {
  return findTable(scanLines(text), url)
}

function findTable(lines: Line[], url: string): TableSpan | undefined {
  const index = lines.findIndex(l => l.kind === 'header' && l.path?.length === 2 && l.path[0] === 'npmAuth' && l.path[1] === url)
  if (index < 0) return undefined
  let last = index
  for (let i = index + 1; i < lines.length && lines[i].kind !== 'header'; i++) {
    if (lines[i].kind === 'content') last = i
  }
  return { start: lines[index].start, headerEnd: lines[index].next, end: lines[last].next, arrayTable: lines[index].arrayTable === true }
}
