/**
 * Cheap pre-check for toml11.ts, kept apart so the main chunk does not carry the scan: false
 * when a text surely uses no TOML 1.1-only construct (no `{`, no `\\e` or `\\x`, no digit:digit).
 */
export function mayUseToml11(text: string): boolean {
  return /[{]|\\[ex]|\d:\d/.test(text)
}
