/**
 * TOML 1.1-only constructs: each row is valid TOML 1.1 (smol-toml parses it) and must be found
 * on its line; TOML 1.0 texts, including lookalikes inside strings and comments, give nothing.
 */
import { parse } from 'smol-toml'
import TOML from 'toml'
import { toml11Constructs, toml11Warning } from '../../src/toml/toml11.js'
import { mayUseToml11 } from '../../src/toml/toml11-hint.js'

const only11: [string, string, number, RegExp][] = [
  ['multi-line inline table', 'a = 1\nt = { x = 1,\n  y = 2 }\n', 2, /inline table over several lines/],
  ['trailing comma', 'a = 1\n\nt = { x = 1, }\n', 3, /trailing comma/],
  ['\\e escape', 'cacheRoot = "/srv/\\e"\n', 1, /\\e/],
  ['\\x escape', '[npmAuth."https://a/"]\ntoken = "\\x41"\n', 2, /\\xHH/],
  ['time without seconds', 'x = 1\nt = 07:32\n', 2, /time without seconds/],
  ['datetime without seconds', 't = 1979-05-27T07:32Z\n', 1, /time without seconds/]
]

describe('toml11Constructs', () => {
  test.each(only11)('%s', (_name, text, line, construct) => {
    expect(() => parse(text)).not.toThrow()
    expect(mayUseToml11(text)).toBe(true)
    const findings = toml11Constructs(text)
    expect(findings).toHaveLength(1)
    expect(findings[0].line).toBe(line)
    expect(findings[0].construct).toMatch(construct)
  })

  test.each([
    ['typical file', 'cacheRoot = "/srv/upm"\n\n[npmAuth."https://a.example:8080/npm/"]\ntoken = "x"\nalwaysAuth = true\n'],
    ['lookalikes in strings and comments', 'a = \'C:\\xdir\\e\'\nb = "{ x, }" # t = { 07:32\nc = """\n07:32 \\\\x"""\n'],
    ['1.0 inline table and array with trailing comma', 't = { x = 1, y = [1, 2,] }\narr = [\n  1,\n  2,\n]\n'],
    ['full times', 't = 07:32:00\nd = 1979-05-27T07:32:00Z\n'],
    ['header with a brace', '[npmAuth."https://a/{x}"]\ntoken = "x"\n']
  ])('%s: nothing', (_name, text) => {
    expect((): unknown => TOML.parse(text)).not.toThrow() // a TOML 0.4 parser reads it
    expect(toml11Constructs(text)).toEqual([])
  })

  test('the plain file skips the scan', () => {
    expect(mayUseToml11('cacheRoot = "/srv/upm"\n[npmAuth."https://a/"]\ntoken = "x"\n')).toBe(false)
  })

  test('the warning names file, line and construct', () => {
    expect(toml11Warning([{ line: 3, construct: 'a trailing comma in an inline table' }], '/h/.upmconfig.toml')).toMatch(
      /^\/h\/\.upmconfig\.toml uses syntax only TOML 1\.1 allows \(line 3: a trailing comma in an inline table\)/
    )
  })
})
