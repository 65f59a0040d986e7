/**
 * Pure: sets and finds the top-level keys of a user config file (`cacheRoot`,
 * `maxCacheSize`), keeping every other byte of the file.
 */
import { stringify } from 'smol-toml'
import { ConfigFileError } from '../errors.js'
import { parseConfig, parsedAs } from './proof.js'
import { detectEol, scanLines, topLevelStatements } from './scan.js'
import type { WrittenRegion } from './spans.js'

/** One top-level key `setTopLevelKey` wrote. `original` and `written` are its whole statement. */
export interface WrittenKey extends WrittenRegion {
  key: string
  /** For an added key: the blank line put after it to set it apart from the first table. */
  trail: string
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
