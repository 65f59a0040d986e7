/**
 * Pure: finds the constructs of a (valid) TOML text that only TOML 1.1 allows.
 *
 * smol-toml reads TOML 1.1, but the parser inside Unity's Package Manager is not public and
 * the documented format dates from TOML 0.4 (see the spec notes on how Unity reads the file),
 * so a file that uses 1.1-only syntax may not load in Unity. TOML 1.1 adds
 * (https://github.com/toml-lang/toml/blob/main/CHANGELOG.md): inline tables over several
 * lines and with a trailing comma, the escapes `\e` and `\xHH`, and times without seconds.
 *
 * Loaded on demand (its own chunk): main.ts calls it only when `mayUseToml11` finds a hint.
 */

/** One 1.1-only construct: the 1-based line where it is, and what it is. */
export interface Toml11Finding {
  line: number
  construct: string
}

/** Every 1.1-only construct in `text`, in order (the text must be valid TOML 1.1). */
export function toml11Constructs(text: string): Toml11Finding[] {
  const findings: Toml11Finding[] = []
  const stack: string[] = [] // open '[' (arrays) and '{' (inline tables) inside values
  let line = 1
  let lineStart = true // only white space so far on a line outside any value: a '[' here is a header
  let last = '' // the last significant character outside strings and comments
  let plain = '' // value text outside strings since the last delimiter, for times
  const add = (construct: string): void => {
    if (!findings.some(f => f.line === line && f.construct === construct)) findings.push({ line, construct })
  }
  const checkTime = (): void => {
    if (/(?<![\d:])\d{2}:\d{2}(?![:\d])/.test(plain)) add('a time without seconds')
    plain = ''
  }
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === ' ' || c === '\t' || c === '\r') {
      checkTime()
      continue
    }
    if (c === '\n') {
      checkTime()
      if (stack[stack.length - 1] === '{') add('an inline table over several lines')
      line++
      lineStart = stack.length === 0
      continue
    }
    if (c === '#') {
      checkTime()
      while (i + 1 < text.length && text[i + 1] !== '\n') i++
      continue
    }
    if (lineStart && c === '[') {
      // A table header: no 1.1-only construct can be in it that matters here; skip the line.
      while (i + 1 < text.length && text[i + 1] !== '\n') i++
      continue
    }
    lineStart = false
    if (c === '"' || c === "'") {
      checkTime()
      last = c
      const multi = text.startsWith(c.repeat(3), i)
      const delimiter = multi ? c.repeat(3) : c
      for (i += delimiter.length; i < text.length; i++) {
        const s = text[i]
        if (s === '\n') line++
        if (c === '"' && s === '\\') {
          const next = text[i + 1]
          if (next === 'e') add('the escape \\e in a string')
          if (next === 'x') add('the escape \\xHH in a string')
          if (next === '\n') line++
          i++
          continue
        }
        if (text.startsWith(delimiter, i)) {
          // A multi-line string may end with up to two extra quotes ("""a"""").
          if (multi) while (text[i + 3] === c) i++
          i += delimiter.length - 1
          break
        }
      }
      continue
    }
    if (c === '[' || c === '{') stack.push(c)
    if (c === '}' && last === ',') add('a trailing comma in an inline table')
    if (c === ']' || c === '}') stack.pop()
    if ('[]{},='.includes(c)) checkTime()
    else plain += c
    last = c
  }
  checkTime()
  return findings
}

/** The warning for the findings, naming the file and each line and construct. */
export function toml11Warning(findings: Toml11Finding[], file: string): string {
  const listed = findings
    .slice(0, 5)
    .map(f => `line ${f.line}: ${f.construct}`)
    .join('; ')
  const more = findings.length > 5 ? `; and ${findings.length - 5} more` : ''
  return (
    `${file} uses syntax only TOML 1.1 allows (${listed}${more}). This step reads it, but Unity's parser may be older ` +
    'and refuse the whole file: rewrite these in TOML 1.0 (inline tables on one line without a trailing comma, ' +
    '\\uXXXX instead of \\e or \\xHH, times with seconds).'
  )
}
