/**
 * Pure: a line scanner for valid TOML. It tells table headers apart from key-value lines,
 * comments and blank lines, and finds the top-level statements, so that edits can be made
 * to the text itself and every other byte of the file kept. It never decides what the text
 * means: smol-toml does, in proof.ts.
 */
import { parse as parseToml } from 'smol-toml'

/** One physical line of the file, as the scanner saw it. */
export interface Line {
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
 * Parsing each header with smol-toml made replacing a table in a large file far slower than
 * adding one (BENCHMARKS.md has the figures).
 */
function simpleKeyPath(key: string): string[] | undefined {
  const segment = /\s*(?:([A-Za-z0-9_-]+)|"([^"\\]*)"|'([^']*)')\s*(\.|$)/y
  const path: string[] = []
  segment.lastIndex = 0
  while (segment.lastIndex < key.length) {
    const match = segment.exec(key)
    if (!match) return undefined
    // Typed as it is at run time: the groups of the alternatives that did not match are undefined.
    const groups: (string | undefined)[] = match
    path.push(groups[1] ?? groups[2] ?? groups[3] ?? '')
    if (groups[4] === '') break
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

/** Each top-level key-value (before the first table header): its first line and the lines that continue its value. */
export function topLevelStatements(text: string, lines: Line[]): { start: number; end: number; key: string }[] {
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
