/**
 * Pure: finds the credential values of the `registries` input whose text a pasted secret could
 * have changed without breaking the TOML.
 *
 * GitHub pastes `${{ secrets.X }}` into the text before the action sees it, so the secret's
 * characters are read as TOML syntax: in a basic string `\t` becomes a TAB, `\\` one backslash,
 * `\u00e9` an "é", and `"#` ends the string and starts a comment. The parsed document is
 * valid, so only the text shows it. The cure is `key = "${NAME}"` with the secret in the step's
 * `env:`; literal strings ('...') are second best (they have no escapes, but a `'` in the
 * secret still ends them).
 */
import { redactUrl } from './secrets.js'
import { ENV_KEYS } from './registries.js'

const ADVICE =
  'If the value is a pasted secret, write `KEY = "${NAME}"` and set NAME in the step\'s `env:` ' +
  '(NAME: ${{ secrets.NAME }}): the action reads it from the environment, untouched. ' +
  "A literal string ('...') is second best."

/**
 * Warnings naming the table and key (never the value) of every credential value written
 * inline that holds an escape sequence in a basic string, or is followed by a comment on its
 * line. The scan is line-based: it only has to find `key = "..."` lines of valid TOML (the
 * fragment is parsed first), and a miss costs a warning, never a wrong file.
 */
export function inlineValueWarnings(text: string): string[] {
  const warnings: string[] = []
  let table = '`registries`'
  for (const line of text.split(/\r?\n/)) {
    const header = /^\s*\[\s*npmAuth\s*\.\s*("(?:[^"\\]|\\.)*"|'[^']*')\s*\]/.exec(line)
    if (header) {
      const url = header[1].slice(1, -1)
      table = `\`registries\` table [npmAuth.${JSON.stringify(redactUrl(url))}]`
      continue
    }
    const assignment = /^\s*([A-Za-z0-9_-]+|"[^"]*"|'[^']*')\s*=\s*(.*)$/.exec(line)
    if (!assignment) continue
    const key = assignment[1].replace(/^["']|["']$/g, '')
    if (!ENV_KEYS.includes(key)) continue
    const found = suspiciousValue(assignment[2])
    if (found) warnings.push(`${table} key \`${key}\` ${found}. ${ADVICE.replace('KEY', key)}`)
  }
  return warnings
}

/** What a pasted secret could have done to this value text, or undefined when nothing. */
function suspiciousValue(rest: string): string | undefined {
  const quote = rest[0]
  if (quote !== '"' && quote !== "'") return undefined
  if (rest.startsWith(quote.repeat(3))) {
    // Multi-line strings: only the escapes of a basic one are visible on this line.
    return quote === '"' && rest.includes('\\') ? 'holds an escape sequence (\\) in a basic string, which TOML replaces' : undefined
  }
  let end = 1
  let escaped = false
  for (; end < rest.length; end++) {
    const c = rest[end]
    if (quote === '"' && c === '\\') {
      escaped = true
      end++
      continue
    }
    if (c === quote) break
  }
  const value = rest.slice(1, end)
  if (/^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(value)) return undefined
  if (escaped) return 'holds an escape sequence (\\) in a basic string, which TOML replaces: the written value may differ from the secret'
  if (/^\s*#/.test(rest.slice(end + 1))) {
    return 'is followed by a comment on its line: a quote and # inside a pasted secret end the string there and cut the value'
  }
  return undefined
}
