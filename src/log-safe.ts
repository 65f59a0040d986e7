/**
 * Pure: data as a log line may carry it, so that no path, host name or URL can issue a
 * workflow command.
 *
 * The runner reads the step's output line by line (a line ends at CR or LF) and takes as a
 * command a line that starts with `::` after leading white space, and, in the older syntax, a
 * `##[` anywhere in a line (actions/runner 2.336.0, src/Runner.Common/ActionCommand.cs:
 * TryParseV2 and TryParse). `core.warning`, `core.error` and `core.debug` escape CR and LF
 * themselves; `core.info` writes its text as it is, so every value it logs goes through
 * {@link logSafe}.
 */

/**
 * Control characters: C0 (CR and LF among them), DEL and C1, Unicode's line and paragraph
 * separators, which some viewers break lines at, and its bidirectional controls, which make a line
 * read otherwise than it is. Refused in path and URL inputs; escaped in logs.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/

const CONTROL_CHARACTERS = new RegExp(CONTROL_CHARACTER.source, 'g')

/** Whether `value` holds a control character (a line break above all). */
export function hasControlCharacter(value: string): boolean {
  return CONTROL_CHARACTER.test(value)
}

/**
 * Refuses a path input (or variable) that holds a control character: no path Unity should use
 * has one, and logged raw, a line break in it would start a workflow command of its own. The
 * error shows the path log-safe, so one can see where the character is (a path is no secret).
 */
export function refusePathWithControlCharacters(value: string, where: string, fix: string): void {
  if (hasControlCharacter(value)) throw new Error(`${where} contains a line break or a control character (${logSafe(value)}). ${fix}`)
}

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' }

/**
 * `value` with nothing that can begin a workflow command, written visibly, the way a JavaScript
 * string literal writes it: LF, CR and tab as `\n`, `\r`, `\t`; any other control character as
 * `\xHH` (or `\uHHHH` above U+00FF); the first `#` of every `##[` as `\x23`, and the first `:` of a
 * leading `::` as `\x3a`. Nothing else changes: backslashes are not doubled, so a Windows path
 * reads as it is (and `C:\new` stays `C:\new`; only a real line break shows as `\n`).
 */
export function logSafe(value: string): string {
  return value
    .replace(CONTROL_CHARACTERS, c => NAMED[c] ?? escapeCode(c))
    .replace(/##\[/g, '\\x23#[')
    .replace(/^(\s*)::/, '$1\\x3a:')
}

function escapeCode(c: string): string {
  const code = c.charCodeAt(0)
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`
}
