/**
 * JSON read from files and registry answers that may hold credentials: a syntax error says
 * where, never what. V8's own message quotes 10 to 20 characters of the text (and the offending
 * character), and the text may be a restore record, a ledger, a registry's answer, or anything
 * a link pointed at (a config file with a token, for one).
 */

/** A JSON syntax error, with where it is and no text from the input. */
export class JsonSyntaxError extends Error {
  constructor(
    /** `Unexpected end of JSON input` or `Unexpected character`. */
    readonly reason: string,
    /** 1-based line and column of the first bad character, when it could be found. */
    readonly line?: number,
    readonly column?: number
  ) {
    super(line === undefined ? reason : `${reason} at line ${line}, column ${column ?? 0}`)
    this.name = 'JsonSyntaxError'
  }
}

/**
 * Parses JSON text.
 *
 * @throws JsonSyntaxError, whose message names the line and column only.
 */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    const offset = jsonErrorOffset(text)
    const reason = offset >= text.length ? 'Unexpected end of JSON input' : 'Unexpected character'
    if (offset < 0) throw new JsonSyntaxError(reason)
    throw new JsonSyntaxError(reason, lineOf(text, offset), offset - text.lastIndexOf('\n', offset - 1))
  }
}

/** Parses JSON text; undefined when it is not JSON (no JSON text means undefined). */
export function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** The 1-based line of an offset in the text. */
export function lineOf(text: string, offset: number): number {
  let line = 1
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++
  return line
}

/**
 * The offset of the first character that makes `text` invalid JSON (its length when the text
 * ends too early), or -1 when it is valid. V8 does not always say where ("Unexpected token"),
 * so the position is found here.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0
  const fail = (): never => {
    throw new JsonStop(i)
  }
  const space = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++
  }
  const string = (): void => {
    i++
    for (;;) {
      const c = text.charAt(i)
      if (c === '' || c < ' ') fail()
      if (c === '"') {
        i++
        return
      }
      if (c === '\\') {
        i++
        if (text[i] === 'u') {
          for (let k = 0; k < 4; k++) {
            i++
            if (!/[0-9a-fA-F]/.test(text[i] ?? '')) fail()
          }
        } else if (!'"\\/bfnrt'.includes(text[i] ?? '!')) fail()
      }
      i++
    }
  }
  const digit = (): boolean => text[i] >= '0' && text[i] <= '9'
  /** One or more digits. */
  const digits = (): void => {
    if (!digit()) fail()
    while (digit()) i++
  }
  const value = (): void => {
    space()
    const c = text[i]
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']'
      i++
      space()
      if (text[i] === close) {
        i++
        return
      }
      for (;;) {
        if (c === '{') {
          space()
          if (text[i] !== '"') fail()
          string()
          space()
          if (text[i] !== ':') fail()
          i++
        }
        value()
        space()
        if (text[i] === close) {
          i++
          return
        }
        if (text[i] !== ',') fail()
        i++
      }
    }
    if (c === '"') {
      string()
      return
    }
    const literal = ['true', 'false', 'null'].find(word => word[0] === c)
    if (literal) {
      for (const letter of literal) {
        if (text[i] !== letter) fail()
        i++
      }
      return
    }
    if (c !== '-' && !digit()) fail()
    if (c === '-') i++
    if (text[i] === '0') i++
    else digits()
    if (text[i] === '.') {
      i++
      digits()
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++
      if (text[i] === '+' || text[i] === '-') i++
      digits()
    }
  }
  try {
    value()
    space()
    if (i < text.length) fail()
    return -1
  } catch (error) {
    if (error instanceof JsonStop) return error.at
    return -1
  }
}

/** Thrown inside jsonErrorOffset to stop at the first bad character; never leaves it. */
class JsonStop extends Error {
  constructor(readonly at: number) {
    super('invalid JSON')
  }
}
