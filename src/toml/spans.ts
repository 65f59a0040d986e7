/**
 * Pure: the pieces of text an edit wrote, and how a span of the text is replaced or taken out
 * again (by the merge, and by cleanup undoing it).
 */

/** A piece of the file an edit wrote, as it was and as it was written: what cleanup needs to undo it. */
export interface WrittenRegion {
  /** The text before, byte for byte; null if the edit added it. */
  original: string | null
  /** The text that took its place. */
  written: string
  /** For added text: the line breaks put before it to separate it from what precedes. */
  lead: string
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
