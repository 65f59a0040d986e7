import TOML from 'toml'
import { parse as parseToml } from 'smol-toml'
import { ConfigFileError } from '../../src/errors.js'
import { mergeEntries } from '../../src/toml/npm-auth.js'
import { scanLines } from '../../src/toml/scan.js'
import { setTopLevelKey } from '../../src/toml/top-level.js'

const FILE = '/home/runner/.upmconfig.toml'
const TABLE = '[npmAuth."https://a.example/npm/"]\ntoken = "keep-me"\nalwaysAuth = true\n'

describe('setTopLevelKey: before -> after, byte for byte', () => {
  test.each([
    ['empty file', '', 'cacheRoot', '/cache', 'cacheRoot = "/cache"\n'],
    ['only a table: the key goes above it, then a blank line', TABLE, 'cacheRoot', '/cache', `cacheRoot = "/cache"\n\n${TABLE}`],
    [
      'the comment over the first table stays with the table',
      `# team A\n${TABLE}`,
      'cacheRoot',
      '/cache',
      `cacheRoot = "/cache"\n\n# team A\n${TABLE}`
    ],
    [
      'a file comment above a blank line stays at the top',
      `# managed by ops\n\n# team A\n${TABLE}`,
      'cacheRoot',
      '/c',
      `# managed by ops\n\ncacheRoot = "/c"\n\n# team A\n${TABLE}`
    ],
    [
      'replaces the existing line, keeps the neighbours',
      `# cache\ncacheRoot = "/old"   # old comment\nmaxCacheSize = 1\n\n${TABLE}`,
      'cacheRoot',
      '/new',
      `# cache\ncacheRoot = "/new"\nmaxCacheSize = 1\n\n${TABLE}`
    ],
    [
      'a new key goes after the last top-level key',
      `cacheRoot = "/c"\n# note\n\n${TABLE}`,
      'maxCacheSize',
      5000000000,
      `cacheRoot = "/c"\nmaxCacheSize = 5000000000\n# note\n\n${TABLE}`
    ],
    ['a quoted key is the same key', `"cacheRoot" = "/old"\n`, 'cacheRoot', '/new', 'cacheRoot = "/new"\n'],
    [
      'a multi-line value is replaced whole',
      `cacheRoot = """\n/old\n"""\nx = [\n  1,\n  2,\n]\n`,
      'cacheRoot',
      '/new',
      'cacheRoot = "/new"\nx = [\n  1,\n  2,\n]\n'
    ],
    [
      'a key inside a multi-line array is not a top-level key',
      `x = [\n  "cacheRoot = 1",\n]\n`,
      'cacheRoot',
      '/c',
      `x = [\n  "cacheRoot = 1",\n]\ncacheRoot = "/c"\n`
    ],
    ['no final newline, key present', 'cacheRoot = "/old"', 'cacheRoot', '/new', 'cacheRoot = "/new"'],
    ['no final newline, key absent', 'other = 1', 'cacheRoot', '/new', 'other = 1\ncacheRoot = "/new"\n'],
    ['only a comment without newline', '# hi', 'cacheRoot', '/c', '# hi\ncacheRoot = "/c"\n'],
    ['CRLF file gets CRLF', `# a\r\n[t]\r\nk = 1\r\n`, 'cacheRoot', '/c', `cacheRoot = "/c"\r\n\r\n# a\r\n[t]\r\nk = 1\r\n`],
    [
      'a Windows path is escaped, never changed',
      '',
      'cacheRoot',
      'C:\\Users\\runneradmin\\upm cache',
      'cacheRoot = "C:\\\\Users\\\\runneradmin\\\\upm cache"\n'
    ],
    ['same value again changes nothing', 'cacheRoot = "/c"\n', 'cacheRoot', '/c', 'cacheRoot = "/c"\n'],
    [
      'a key of a table with the same name is not touched',
      `[x]\ncacheRoot = "/t"\n`,
      'cacheRoot',
      '/c',
      `cacheRoot = "/c"\n\n[x]\ncacheRoot = "/t"\n`
    ]
  ])('%s', (_name, before, key, value, after) => {
    const { text, key: written, document } = setTopLevelKey(before, key, value, FILE)
    expect(text).toBe(after)
    expect(document).toEqual(parseToml(text))
    // A second parser agrees on the meaning.
    expect((TOML.parse(text) as Record<string, unknown>)[key]).toBe(value)
    // What it reports having written is the whole edit: swapping it back gives the file before.
    expect(written.key).toBe(key)
    const inserted = written.lead + written.written + written.trail
    expect(text.replace(inserted, () => written.original ?? '')).toBe(before)
  })

  test('both cache keys, then a merge: every other byte stays', () => {
    const before = `# ops\n\n${TABLE}\n# team B\n[npmAuth."https://b.example/"]\n_auth = "dTpw"\n`
    let text = setTopLevelKey(before, 'cacheRoot', 'D:\\cache', FILE).text
    text = setTopLevelKey(text, 'maxCacheSize', 10_000_000_000, FILE).text
    expect(text).toBe(
      `# ops\n\ncacheRoot = "D:\\\\cache"\nmaxCacheSize = 10000000000\n\n${TABLE}\n# team B\n[npmAuth."https://b.example/"]\n_auth = "dTpw"\n`
    )
    const merged = mergeEntries(text, [{ url: 'https://c.example/', token: 't', alwaysAuth: true, form: 'token' }], FILE).text
    expect(merged.startsWith(text)).toBe(true)
    expect(TOML.parse(merged)).toMatchObject({ cacheRoot: 'D:\\cache', maxCacheSize: 10_000_000_000 })
  })

  test('the scanner marks the lines that continue a value', () => {
    const continued = scanLines('a = """\nx\n"""\nb = [\n1,\n]\n[t]\n').map(l => l.continued)
    expect(continued).toEqual([false, true, true, false, true, true, false])
  })
})

describe('setTopLevelKey refuses files it cannot edit in place, naming the file', () => {
  test.each([
    ['the key is a table', `[cacheRoot]\nx = "secret-value"\n`],
    ['the key is set with dotted keys', `cacheRoot.a = "secret-value"\ncacheRoot.b = 1\n`],
    ['invalid TOML', `cacheRoot = secret-value\n`]
  ])('%s', (_name, before) => {
    let error: unknown
    try {
      setTopLevelKey(before, 'cacheRoot', '/c', FILE)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ConfigFileError)
    expect((error as Error).message).toContain(FILE)
    expect((error as Error).message).not.toContain('secret-value')
  })
})
