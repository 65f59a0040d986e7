import { hasControlCharacter, logSafe } from '../../src/log-safe.js'
import { workflowCommands } from '../support/annotations.js'

/** Values that become workflow commands when a log line carries them raw. */
const HOSTILE = [
  '/home/runner\n::warning::forged',
  '/home/runner\r::error title=x::forged',
  '/home/runner\r\n::stop-commands::resume-token',
  'host\n  ::add-mask::x',
  '::warning::at the start',
  '   ::error::indented at the start',
  '/srv/##[warning]older syntax',
  '/srv/###[error]three of them',
  'a\u0085b\u2028c\u2029d',
  'C:\\Users\\runner\u001b[31m\u0000\u007f'
]

describe('logSafe', () => {
  test.each(HOSTILE)('%j cannot start a command, alone, after text, or before text', value => {
    const safe = logSafe(value)
    expect(hasControlCharacter(safe)).toBe(false)
    for (const line of [safe, `Updated ${safe}:`, `${safe} is gone.`, `  ${safe}`]) expect(workflowCommands(line)).toEqual([])
  })

  test('the raw values do issue commands (so the test above can fail)', () => {
    for (const value of HOSTILE.slice(0, 8))
      expect(workflowCommands(`Updated ${value}:`).length + workflowCommands(value).length).toBeGreaterThan(0)
  })

  test('writes what it escapes visibly, as a JavaScript string literal would', () => {
    expect(logSafe('a\nb\rc\td')).toBe('a\\nb\\rc\\td')
    expect(logSafe('\u0000\u001b\u007f\u0085\u2028')).toBe('\\x00\\x1b\\x7f\\x85\\u2028')
    // Bidirectional controls make a line read otherwise than it is ("Trojan source").
    expect(logSafe('com.ok\u202eevil\u2066')).toBe('com.ok\\u202eevil\\u2066')
    expect(logSafe('/srv/##[warning]x')).toBe('/srv/\\x23#[warning]x')
    expect(logSafe('  ::warning::x')).toBe('  \\x3a:warning::x')
  })

  test('leaves everything else as it is: Windows paths, URLs, Unicode, colons and hashes mid-line', () => {
    for (const value of [
      'C:\\Users\\runner\\new\\.upmconfig.toml',
      'https://upm.example.com/npm/',
      '/home/jürgen/プロジェクト/.upmconfig.toml',
      'a::b ## [c] #[d]'
    ]) {
      expect(logSafe(value)).toBe(value)
    }
  })
})

test('hasControlCharacter: C0 (tab too), DEL, C1 and the Unicode line separators, nothing else', () => {
  for (const c of ['\n', '\r', '\t', '\u0000', '\u001f', '\u007f', '\u0085', '\u009f', '\u2028', '\u2029']) {
    expect(hasControlCharacter(`a${c}b`)).toBe(true)
  }
  expect(hasControlCharacter('C:\\a b\\ü\u00a0')).toBe(false)
})
