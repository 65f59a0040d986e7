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
import { parse as parseToml, stringify, TomlError } from 'smol-toml'
import type { NpmAuthEntry } from './registries.js'
import { tomlReason } from './registries.js'

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

/** A piece of the file an edit wrote, as it was and as it was written: what cleanup needs to undo it. */
export interface WrittenRegion {
  /** The text before, byte for byte; null if the edit added it. */
  original: string | null
  /** The text that took its place. */
  written: string
  /** For added text: the line breaks put before it to separate it from what precedes. */
  lead: string
}

/**
 * One table the merge wrote. `original` runs from the header through the last key line;
 * `written` starts at the header and may run past the last key line (comments kept from the
 * old table).
 */
export interface WrittenTable extends WrittenRegion {
  url: string
}

/** One top-level key `setTopLevelKey` wrote. `original` and `written` are its whole statement. */
export interface WrittenKey extends WrittenRegion {
  key: string
  /** For an added key: the blank line put after it to set it apart from the first table. */
  trail: string
}

/** Where a `[npmAuth."URL"]` table sits in a text: its header line through its last key line. */
export interface TableSpan {
  start: number
  /** Offset after the header line. */
  headerEnd: number
  end: number
  arrayTable: boolean
}

/** One physical line of the file, as the scanner saw it. */
interface Line {
  start: number
  /** Offset after the line's end-of-line sequence (or the end of the file). */
  next: number
  kind: 'blank' | 'comment' | 'header' | 'content'
  /** For a header line: the key path of the table, and whether it is `[[array]]`. */
  path?: string[]
  arrayTable?: boolean
  /** The line continues a value begun on an earlier line (a multi-line string, array or inline table). */
  continued?: boolean
}

/** The fields of an entry that Unity reads, in the order Unity's manual writes them. */
export function entryFields(entry: NpmAuthEntry): Record<string, string | boolean> {
  const fields: Record<string, string | boolean> = {}
  if (entry.token !== undefined) fields.token = entry.token
  if (entry._auth !== undefined) fields._auth = entry._auth
  if (entry.email !== undefined) fields.email = entry.email
  fields.alwaysAuth = entry.alwaysAuth
  return fields
}

/** Renders `[npmAuth."URL"]` and its keys with smol-toml, so every string is escaped correctly. */
export function renderTable(entry: NpmAuthEntry, eol = '\n'): { header: string; body: string } {
  const [header, ...body] = stringify({ npmAuth: { [entry.url]: entryFields(entry) } })
    .replace(/\n+$/, '')
    .split('\n')
  return { header, body: body.map(line => line + eol).join('') }
}

/** The same table with the credential values replaced by `***`, for logs and summaries. */
export function renderRedacted(entry: NpmAuthEntry): string {
  const redacted: NpmAuthEntry = { ...entry }
  if (redacted.token !== undefined) redacted.token = '***'
  if (redacted._auth !== undefined) redacted._auth = '***'
  const { header, body } = renderTable(redacted)
  return `${header}\n${body}`
}

/** Raised when the existing file cannot be parsed or edited in place; names the file. */
export class ConfigFileError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ConfigFileError'
  }
}

/**
 * Parses config text; a syntax error names the file, line and column (never the line's
 * content, which may hold other teams' tokens).
 */
export function parseConfig(text: string, file: string): Record<string, unknown> {
  try {
    return parseToml(text) as Record<string, unknown>
  } catch (error) {
    if (error instanceof TomlError) {
      throw new ConfigFileError(
        `${file} is not valid TOML: ${tomlReason(error)} at line ${error.line}, column ${error.column}. ` +
          'Fix or remove that line (the action leaves the file untouched until it parses).'
      )
    }
    throw error
  }
}

/**
 * Merges `entries` into `text` (the file's content without BOM; '' for a new file).
 *
 * @param file the file's path, for error messages.
 */
export function mergeEntries(text: string, entries: NpmAuthEntry[], file: string): MergeResult {
  const before = parseConfig(text, file)
  const npmAuth = before.npmAuth
  if (npmAuth !== undefined && !isPlainTable(npmAuth)) {
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
 * whole result (on a file of 10,000 registries that parse is a third of a run). Only for a
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
 * Parses `text` and checks it says exactly: the `before` document with each npmAuth table of
 * `tables` and each top-level key of `keys` set to its value (or removed, for undefined).
 * Anything else means the file had a shape a text edit cannot handle; `failure` is thrown and
 * nothing is written. Returns the parsed text.
 */
export function assertMeaning(
  before: Record<string, unknown>,
  text: string,
  tables: Map<string, unknown>,
  failure: string,
  keys: Map<string, unknown> = new Map()
): Record<string, unknown> {
  const expected = withChanges(before, keys)
  expected.npmAuth = withChanges((before.npmAuth as Record<string, unknown> | undefined) ?? {}, tables)
  const document = parsedAs(text, expected)
  if (!document) throw new ConfigFileError(failure)
  return document
}

/** A copy of `table` with each key of `changes` set to its value, or removed for undefined. */
function withChanges(table: Record<string, unknown>, changes: Map<string, unknown>): Record<string, unknown> {
  const result = { ...table }
  for (const [key, value] of changes) {
    if (value === undefined) delete result[key]
    else result[key] = value
  }
  return result
}

/** `text` parsed, when it means exactly `expected` (key order aside); otherwise undefined. */
function parsedAs(text: string, expected: Record<string, unknown>): Record<string, unknown> | undefined {
  let actual: Record<string, unknown>
  try {
    actual = parseToml(text) as Record<string, unknown>
  } catch {
    return undefined
  }
  return sameValue(withoutEmptyNpmAuth(actual), withoutEmptyNpmAuth(expected)) ? actual : undefined
}

/** Without its tables, `npmAuth` means nothing to Unity, whether or not a bare [npmAuth] header remains. */
function withoutEmptyNpmAuth(doc: Record<string, unknown>): Record<string, unknown> {
  const npmAuth = doc.npmAuth
  if (!isPlainTable(npmAuth) || Object.keys(npmAuth).length > 0) return doc
  const rest = { ...doc }
  delete rest.npmAuth
  return rest
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

/** `text` with the span replaced by `replacement`. */
export function replaceSpan(text: string, span: { start: number; end: number }, replacement: string): string {
  return text.slice(0, span.start) + replacement + text.slice(span.end)
}

/**
 * Removes whole lines the main step added (a table, or a key's line), and the `lead` line
 * breaks before them and the `trail` blank line after them when those are still there (so a
 * file gets back the exact bytes it had before). The lead stays when removing it would join
 * the preceding line with a following one.
 */
export function removeSpan(text: string, span: { start: number; end: number }, lead: string, trail = ''): string {
  let start = span.start
  let end = span.end
  const before = text.slice(0, span.start)
  if (lead !== '' && before.endsWith(lead)) {
    const kept = before.slice(0, before.length - lead.length)
    if (span.end === text.length || kept === '' || kept.endsWith('\n')) start -= lead.length
  }
  if (trail !== '' && text.startsWith(trail, end) && (start === 0 || text[start - 1] === '\n')) end += trail.length
  return text.slice(0, start) + text.slice(end)
}

/**
 * Whether two parsed TOML values are equal: tables whatever their key order, arrays in order.
 * Plain loops, not every() with closures: this walks every value of the file, and that way it
 * costs a quarter as much on a file with thousands of registries.
 */
function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) {
    return typeof a === typeof b && (a === b || String(a) === String(b))
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false
    return true
  }
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && String(a) === String(b)
  const tableA = a as Record<string, unknown>
  const tableB = b as Record<string, unknown>
  const keys = Object.keys(tableA)
  if (keys.length !== Object.keys(tableB).length) return false
  for (const key of keys) if (!Object.hasOwn(tableB, key) || !sameValue(tableA[key], tableB[key])) return false
  return true
}

function isPlainTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
}

/** The file's line ending: CRLF if its first line ends that way, else LF. */
export function detectEol(text: string): string {
  const lf = text.indexOf('\n')
  return lf > 0 && text[lf - 1] === '\r' ? '\r\n' : '\n'
}

/**
 * Splits valid TOML into lines and tells table headers apart from everything else, tracking
 * multi-line strings, arrays and inline tables so that a `[` inside a value is never taken
 * for a header. With `untilHeader`, the lines up to and including the first header.
 */
export function scanLines(text: string, { untilHeader = false } = {}): Line[] {
  const lines: Line[] = []
  let pos = 0
  // Open multi-line string delimiter, and nesting of arrays / inline tables in a value.
  let openString: '"""' | "'''" | null = null
  let depth = 0

  while (pos < text.length) {
    const lf = text.indexOf('\n', pos)
    const next = lf < 0 ? text.length : lf + 1
    const line = text.slice(pos, lf < 0 ? text.length : lf).replace(/\r$/, '')
    const trimmed = line.trimStart()
    const continued = openString !== null || depth !== 0
    let kind: Line['kind']
    let path: string[] | undefined
    let arrayTable: boolean | undefined

    if (!continued) {
      if (trimmed === '') kind = 'blank'
      else if (trimmed.startsWith('#')) kind = 'comment'
      else if (trimmed.startsWith('[')) {
        kind = 'header'
        const header = headerOf(trimmed)
        path = header.path
        arrayTable = header.arrayTable
      } else kind = 'content'
    } else {
      kind = 'content'
    }

    if (kind === 'content') {
      const state = scanValueText(line, openString, depth)
      openString = state.openString
      depth = state.depth
    }
    lines.push({ start: pos, next, kind, path, arrayTable, continued })
    pos = next
    if (untilHeader && kind === 'header') break
  }
  return lines
}

/** Reads a header line's `[key.path]` (or `[[...]]`) and resolves its keys with smol-toml. */
function headerOf(trimmed: string): { path: string[]; arrayTable: boolean } {
  let i = 0
  let quote: string | null = null
  for (; i < trimmed.length; i++) {
    const c = trimmed[i]
    if (quote) {
      if (c === '\\' && quote === '"') i++
      else if (c === quote) quote = null
    } else if (c === '"' || c === "'") quote = c
    else if (c === ']') break
  }
  const arrayTable = trimmed.startsWith('[[')
  const headerText = trimmed.slice(0, i + (arrayTable ? 2 : 1))
  const simple = simpleKeyPath(headerText.slice(arrayTable ? 2 : 1, arrayTable ? -2 : -1))
  if (simple) return { path: simple, arrayTable }
  let node: unknown = parseToml(headerText)
  const path: string[] = []
  for (;;) {
    if (Array.isArray(node)) node = node[node.length - 1]
    const keys = Object.keys(node as object)
    if (keys.length === 0) break
    path.push(keys[0])
    node = (node as Record<string, unknown>)[keys[0]]
  }
  return { path, arrayTable }
}

/**
 * A dotted key made only of bare keys and quoted keys without escapes (`npmAuth."https://x/"`),
 * read directly: such keys mean their text. Anything else (escapes) is left to smol-toml.
 * Parsing each header with smol-toml made replacing a table in a file of 10,000 registries
 * twice as slow as adding one.
 */
function simpleKeyPath(key: string): string[] | undefined {
  const segment = /\s*(?:([A-Za-z0-9_-]+)|"([^"\\]*)"|'([^']*)')\s*(\.|$)/y
  const path: string[] = []
  segment.lastIndex = 0
  while (segment.lastIndex < key.length) {
    const match = segment.exec(key)
    if (!match) return undefined
    path.push(match[1] ?? match[2] ?? match[3])
    if (match[4] === '') break
  }
  return segment.lastIndex === key.length && path.length > 0 ? path : undefined
}

/** Advances the string / bracket state over one line of a key-value (or its continuation). */
function scanValueText(line: string, openString: '"""' | "'''" | null, depth: number): { openString: '"""' | "'''" | null; depth: number } {
  let i = 0
  while (i < line.length) {
    if (openString !== null) {
      const c = line[i]
      if (openString === '"""' && c === '\\') {
        i += 2
        continue
      }
      if (line.startsWith(openString, i)) {
        // A closing delimiter may be preceded by up to two quotes of content: take the whole run.
        let end = i
        while (line[end] === openString[0]) end++
        openString = null
        i = end
        continue
      }
      i++
      continue
    }
    const c = line[i]
    if (c === '#') break
    if (c === '"' || c === "'") {
      const triple = c.repeat(3)
      if (line.startsWith(triple, i)) {
        openString = triple as '"""' | "'''"
        i += 3
        continue
      }
      i++
      while (i < line.length && line[i] !== c) i += c === '"' && line[i] === '\\' ? 2 : 1
      i++
      continue
    }
    if (c === '[' || c === '{') depth++
    else if (c === ']' || c === '}') depth--
    i++
  }
  return { openString, depth }
}

/**
 * Sets one top-level key (such as `cacheRoot`) to `value`, keeping every other byte of the
 * file. Top-level keys live before the first table header. When the file sets the key, its
 * line is replaced (all its lines for a multi-line value, with a comment at its end).
 * Otherwise the key goes after the last top-level key, or, when there is none, above the first
 * table and the comment lines directly over it (which usually describe that table), followed
 * by a blank line. The result is parsed back and must mean the old file with only this key
 * changed.
 *
 * @param file the file's path, for error messages.
 * @param before what `text` means, when the caller knows it already (it is parsed otherwise).
 * @returns the new text, what was written where (for cleanup), and what the new text means.
 */
export function setTopLevelKey(
  text: string,
  key: string,
  value: string | number,
  file: string,
  before: Record<string, unknown> = parseConfig(text, file)
): { text: string; key: WrittenKey; document: Record<string, unknown> } {
  const eol = detectEol(text)
  const line = stringify({ [key]: value }).replace(/\n+$/, '') + eol
  const lines = scanLines(text)
  const firstHeader = lines.findIndex(l => l.kind === 'header')
  const statements = topLevelStatements(text, lines)

  const existing = statements.filter(s => s.key === key)
  // Where the line goes: the span it replaces (empty when it is added), and what goes around it.
  let edit: { start: number; end: number; written: string; lead: string; trail: string } | undefined
  if (existing.length === 1) {
    const { start, end } = existing[0]
    const keepEnding = text.slice(start, end).endsWith('\n')
    edit = { start, end, written: keepEnding ? line : line.slice(0, -eol.length), lead: '', trail: '' }
  } else if (existing.length === 0 && statements.length > 0) {
    const at = statements[statements.length - 1].end
    edit = { start: at, end: at, written: line, lead: text.slice(0, at).endsWith('\n') ? '' : eol, trail: '' }
  } else if (existing.length === 0 && firstHeader >= 0) {
    let at = firstHeader
    while (at > 0 && lines[at - 1].kind === 'comment') at--
    edit = { start: lines[at].start, end: lines[at].start, written: line, lead: '', trail: eol }
  } else if (existing.length === 0) {
    edit = { start: text.length, end: text.length, written: line, lead: text.length > 0 && !text.endsWith('\n') ? eol : '', trail: '' }
  }

  const result = edit ? text.slice(0, edit.start) + edit.lead + edit.written + edit.trail + text.slice(edit.end) : text
  const document = edit && parsedAs(result, { ...before, [key]: value })
  if (!edit || !document) {
    throw new ConfigFileError(
      `${file} defines \`${key}\` in a form this action cannot replace in place (as a table, or with dotted keys ` +
        `such as ${key}.x = ...). Write it as one line \`${key} = ...\` before the first table, or remove it, then run again.`
    )
  }
  const original = existing.length === 1 ? text.slice(edit.start, edit.end) : null
  return { text: result, key: { key, original, written: edit.written, lead: edit.lead, trail: edit.trail }, document }
}

/**
 * Finds the statement that sets the top-level `key` in valid TOML text: its first line
 * through the lines that continue its value. Undefined when no statement sets it, or when
 * several do (dotted keys).
 */
export function locateTopLevelKey(text: string, key: string): { start: number; end: number } | undefined {
  const found = topLevelStatements(text, scanLines(text)).filter(s => s.key === key)
  return found.length === 1 ? found[0] : undefined
}

/** Each top-level key-value (before the first table header): its first line and the lines that continue its value. */
function topLevelStatements(text: string, lines: Line[]): { start: number; end: number; key: string }[] {
  const firstHeader = lines.findIndex(l => l.kind === 'header')
  const top = firstHeader < 0 ? lines : lines.slice(0, firstHeader)
  const statements: { start: number; end: number; key: string }[] = []
  for (let i = 0; i < top.length; i++) {
    if (top[i].kind !== 'content' || top[i].continued) continue
    let last = i
    while (last + 1 < top.length && top[last + 1].continued) last++
    const start = top[i].start
    const end = top[last].next
    statements.push({ start, end, key: keyOf(text.slice(start, end)) })
    i = last
  }
  return statements
}

/**
 * The top-level key a key-value statement sets ('' when it does not parse alone; the meaning
 * check then decides). smol-toml's messages quote the document, so they are never passed on.
 */
function keyOf(statement: string): string {
  try {
    return Object.keys(parseToml(statement))[0] ?? ''
  } catch {
    return ''
  }
}
