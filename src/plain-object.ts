/** The one guard for "a table or object with named members", for parsed JSON and TOML alike. */

/**
 * Whether a parsed value is a plain object: not null, not an array, and not a Date (TOML's
 * date-times parse to Date objects, which are no table).
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
}
