/**
 * Pure: the proofs that an edit means what was intended. Every edit of the config text is
 * parsed back with smol-toml and compared with the document it should be before anything is
 * written; a file whose shape a text edit cannot handle is refused, never written wrong.
 */
import { parse as parseToml, TomlError } from 'smol-toml'
import { ConfigFileError } from '../errors.js'
import { isPlainObject } from '../plain-object.js'

/**
 * Parses config text; a syntax error names the file, line and column (never the line's
 * content, which may hold other teams' tokens).
 */
export function parseConfig(text: string, file: string): Record<string, unknown> {
  try {
    return parseToml(text)
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

/**
 * A copy of `table` with each key of `changes` set to its value, or removed for undefined.
 * Changed keys come last: key order means nothing to `sameValue`, the copy's only reader.
 */
function withChanges(table: Record<string, unknown>, changes: Map<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {}
  for (const key of Object.keys(table)) if (!changes.has(key)) result[key] = table[key]
  for (const [key, value] of changes) if (value !== undefined) result[key] = value
  return result
}

/** `text` parsed, when it means exactly `expected` (key order aside); otherwise undefined. */
export function parsedAs(text: string, expected: Record<string, unknown>): Record<string, unknown> | undefined {
  let actual: Record<string, unknown>
  try {
    actual = parseToml(text)
  } catch {
    return undefined
  }
  return sameValue(withoutEmptyNpmAuth(actual), withoutEmptyNpmAuth(expected)) ? actual : undefined
}

/** Without its tables, `npmAuth` means nothing to Unity, whether or not a bare [npmAuth] header remains. */
function withoutEmptyNpmAuth(doc: Record<string, unknown>): Record<string, unknown> {
  const npmAuth = doc.npmAuth
  if (!isPlainObject(npmAuth) || Object.keys(npmAuth).length > 0) return doc
  const rest = { ...doc }
  delete rest.npmAuth
  return rest
}

/**
 * Whether two parsed TOML values are equal: tables whatever their key order, arrays in order.
 * Plain loops, not every() with closures: this walks every value of the file, so on a file
 * with thousands of registries the closures' cost shows in a run (BENCHMARKS.md, merge scaling).
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

/** The first line of smol-toml's message, which describes the problem without quoting the document. */
export function tomlReason(error: TomlError): string {
  return error.message.split('\n')[0].replace(/^Invalid TOML document:\s*/, '')
}
