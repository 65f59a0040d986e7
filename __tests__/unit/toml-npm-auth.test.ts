import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse as parseToml } from 'smol-toml'
import TOML from 'toml'
import { ConfigFileError } from '../../src/errors.js'
import { detectEol, scanLines } from '../../src/toml/scan.js'
import { mergeEntries, renderRedacted } from '../../src/toml/npm-auth.js'
import type { NpmAuthEntry } from '../../src/entry.js'
import { readConfigFile } from '../../src/shared-file/config-file.js'
import { b64 } from '../support/fixtures.js'

const GOLDEN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'golden', 'merge')
const FILE = '/home/runner/.upmconfig.toml'

/** A document as the `toml` package (a TOML 0.4 parser, like the format Unity documents) reads it; it types its result as any. */
function otherParse(text: string): { npmAuth?: Record<string, Record<string, unknown>> } & Record<string, unknown> {
  return TOML.parse(text) as { npmAuth?: Record<string, Record<string, unknown>> }
}

/** A value as JSON carries it (dates as strings, no undefined), so two parsers' results compare. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value))
}

const target: NpmAuthEntry = {
  url: 'https://target.example/npm/',
  token: 'NEW-TOKEN "quoted" \\ back',
  email: 'ci@example.com',
  alwaysAuth: true,
  form: 'token'
}
const added: NpmAuthEntry = {
  url: 'https://added.example/upm',
  _auth: b64('dev@example.com:pat'),
  email: 'dev@example.com',
  alwaysAuth: false,
  form: 'email+pat'
}

/**
 * Golden files: `NAME.before.toml`, read as the action reads it (a BOM is dropped), merged
 * with the case's entries must give `NAME.after.toml` byte for byte. The after files are
 * reviewed by hand; `UPDATE_GOLDEN=1` rewrites them.
 */
const cases: [string, NpmAuthEntry[]][] = [
  ['new-file', [target]],
  ['target-first', [target]],
  ['target-middle', [target]],
  ['target-last', [target]],
  ['crlf', [target, added]],
  ['bom', [target]],
  ['no-final-newline', [target]],
  ['target-at-eof-no-newline', [target]],
  ['tricky-values', [target]],
  ['not-there', [target]],
  ['several', [added, target]]
]

describe('golden merges', () => {
  test.each(cases)('%s', (name, entries) => {
    const before = readConfigFile(path.join(GOLDEN, `${name}.before.toml`)).text
    const { text } = mergeEntries(before, entries, FILE)
    const afterFile = path.join(GOLDEN, `${name}.after.toml`)
    if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(afterFile, text)
    expect(text).toBe(fs.readFileSync(afterFile, 'utf8'))
  })

  test.each(cases)('%s: a second identical merge changes nothing', (name, entries) => {
    const once = mergeEntries(readConfigFile(path.join(GOLDEN, `${name}.before.toml`)).text, entries, FILE).text
    expect(mergeEntries(once, entries, FILE).text).toBe(once)
  })

  test.each(cases)('%s: another TOML parser reads the entries and keeps every other key', (name, entries) => {
    const beforeText = readConfigFile(path.join(GOLDEN, `${name}.before.toml`)).text
    const { npmAuth: beforeAuth, ...beforeRest } = otherParse(beforeText)
    const { npmAuth: afterAuth = {}, ...afterRest } = otherParse(mergeEntries(beforeText, entries, FILE).text)
    for (const entry of entries) {
      const table = { ...afterAuth[entry.url] }
      expect(table).toEqual(
        Object.fromEntries(
          Object.entries({ token: entry.token, _auth: entry._auth, email: entry.email, alwaysAuth: entry.alwaysAuth }).filter(
            ([, v]) => v !== undefined
          )
        )
      )
    }
    // Both documents without the merged entries, and without an npmAuth the merge alone brought.
    const urls = new Set(entries.map(entry => entry.url))
    const others = (tables: Record<string, unknown>): Record<string, unknown> =>
      Object.fromEntries(Object.entries(tables).filter(([url]) => !urls.has(url)))
    const afterOthers = others(afterAuth)
    const after = Object.keys(afterOthers).length === 0 && !beforeAuth ? afterRest : { ...afterRest, npmAuth: afterOthers }
    const before = beforeAuth ? { ...beforeRest, npmAuth: others(beforeAuth) } : beforeRest
    expect(plain(after)).toEqual(plain(before))
  })

  test.each(cases)('%s: the document the merge returns is what its text says', (name, entries) => {
    const result = mergeEntries(readConfigFile(path.join(GOLDEN, `${name}.before.toml`)).text, entries, FILE)
    expect(result.document).toEqual(parseToml(result.text))
  })
})

describe('appending without parsing the whole result', () => {
  // A merge that only appends tables proves their meaning from the file's own parse and a parse
  // of each new table; every other merge parses its whole result. Both must agree with a parse.
  const ends = [
    '',
    'a = 1',
    'a = 1\n',
    '# last line is a comment',
    's = """\nx\n[not-a-table]\n"""',
    'arr = [\n  1,\n]\n# c\n',
    '[other]\nb = 2'
  ]
  const npmAuths = [
    '',
    '[npmAuth]\n',
    '[npmAuth."https://a.example/"]\ntoken = "a"\n',
    '[npmAuth]\n"https://b.example/".token = "b"\n',
    '[npmAuth."https://c.example/".sub]\nx = 1\n',
    '[[npmAuth."https://d.example/"]]\ntoken = "d"\n',
    'npmAuth."https://e.example/".token = "e"\n'
  ]
  const texts = npmAuths.flatMap(npmAuth =>
    ends.flatMap(end => [`${npmAuth}${end}`, `${end}${end && !end.endsWith('\n') ? '\n' : ''}${npmAuth}`])
  )
  const valid = texts.filter(text => {
    try {
      parseToml(text)
      return true
    } catch {
      return false
    }
  })

  test('the generated files are mostly valid TOML', () => {
    expect(valid.length).toBeGreaterThan(texts.length * 0.8)
  })

  const withCrlf = valid.flatMap(text =>
    text.includes('\n')
      ? [
          [text, '\n'],
          [text.replace(/\n/g, '\r\n'), '\r\n']
        ]
      : [[text, '\n']]
  )
  test.each(withCrlf)('%j', (text, eol) => {
    const result = mergeEntries(text, [target, added], FILE)
    expect(result.added).toEqual([target.url, added.url])
    expect(result.document).toEqual(parseToml(result.text))
    expect(otherParse(result.text).npmAuth?.[target.url].token).toBe(target.token)
    expect(result.text.startsWith(text)).toBe(true)
    // The appended lines end as the file's lines do.
    expect(result.text.slice(text.length).replace(/\r\n/g, '')).not.toContain(eol === '\r\n' ? '\n' : '\r')
  })

  test('a file whose top-level keys define npmAuth is checked by parsing it whole', () => {
    // Dotted keys at the top: smol-toml lets a [npmAuth."URL"] table join them.
    const text = 'npmAuth."https://a.example/".token = "a"\n'
    const result = mergeEntries(text, [target], FILE)
    expect(result.document).toEqual(parseToml(result.text))
    expect(Object.keys(result.document.npmAuth as object)).toEqual(['https://a.example/', target.url])
  })
})

describe('merge details', () => {
  test('reports what was replaced and what was added', () => {
    const before = '[npmAuth."https://target.example/npm/"]\ntoken = "old"\n'
    const result = mergeEntries(before, [target, added], FILE)
    expect(result.replaced).toEqual([target.url])
    expect(result.added).toEqual([added.url])
  })

  test('a replaced table loses every old key: no stale _auth beside a new token', () => {
    const before = '[npmAuth."https://target.example/npm/"]\n_auth = "b2xkOm9sZA=="\nemail = "old@example.com"\n'
    const text = mergeEntries(before, [{ url: target.url, token: 't', alwaysAuth: true, form: 'token' }], FILE).text
    expect(text).toBe('[npmAuth."https://target.example/npm/"]\ntoken = "t"\nalwaysAuth = true\n')
  })

  test('URLs match exactly: a trailing slash is another registry', () => {
    const before = '[npmAuth."https://target.example/npm"]\ntoken = "keep"\n'
    const text = mergeEntries(before, [target], FILE).text
    expect(text.startsWith(before)).toBe(true)
    expect(otherParse(text).npmAuth).toHaveProperty(['https://target.example/npm', 'token'], 'keep')
  })

  test('the check of the merged meaning accepts every kind of value around the entries', () => {
    // The merge re-parses its result and compares it with the old file: dates, special
    // floats, arrays of tables and nested inline tables must all compare equal to themselves.
    const others = [
      'when = 1979-05-27T07:32:00-08:00',
      'day = 1979-05-27',
      'time = 07:32:00.5',
      'local = 1979-05-27T07:32:00',
      'floats = [inf, -inf, nan, -0.0, 1e3]',
      'ints = [0x10, 0o7, 0b1, -5]',
      'inline = { b = true, a = { c = [1, "two", [3]] } }',
      '',
      '[[servers]]',
      'name = "a"',
      '',
      '[[servers]]',
      'name = "b"',
      ''
    ].join('\n')
    const before = `${others}\n[npmAuth."${target.url}"]\ntoken = "old"\n`
    const result = mergeEntries(before, [target, added], FILE)
    expect(result.replaced).toEqual([target.url])
    expect(result.added).toEqual([added.url])
    expect(result.text.startsWith(others)).toBe(true)
  })

  test('the result carries the parse of its text, for callers that need the merged values', () => {
    const result = mergeEntries('cacheRoot = "/cache"\n[npmAuth."https://target.example/npm/"]\ntoken = "old"\n', [target, added], FILE)
    expect(result.document).toEqual(parseToml(result.text))
  })

  test('a CRLF file gets CRLF lines only', () => {
    const text = mergeEntries('a = 1\r\n', [target, added], FILE).text
    expect(text.replace(/\r\n/g, '')).not.toContain('\n')
  })

  test('line endings: the first line decides', () => {
    expect(detectEol('a = 1\r\nb = 2\n')).toBe('\r\n')
    expect(detectEol('a = 1\nb = 2\r\n')).toBe('\n')
    expect(detectEol('')).toBe('\n')
  })

  test('the scanner never takes a bracket inside a value for a table header', () => {
    const text = fs.readFileSync(path.join(GOLDEN, 'tricky-values.before.toml'), 'utf8')
    const headers = scanLines(text)
      .filter(l => l.kind === 'header')
      .map(l => l.path)
    expect(headers).toEqual([
      ['npmAuth', 'https://target.example/npm/'],
      ['npmAuth', 'https://target.example/npm/x']
    ])
  })

  test.each([
    '[npmAuth."https://a.example/npm/"]',
    "[ npmAuth . 'https://a.example/npm/' ]",
    '[npmAuth."with \\"escaped\\" quote"]',
    '[npmAuth."\\u0041nicode escape"]',
    '[npmAuth."https://ü.example/"]  # comment',
    '["a.b".c-d.e_f]',
    '[[servers.alpha]]',
    '[npmAuth.""]',
    "[npmAuth.'C:\\literal\\path']"
  ])('header %s: the key path is what smol-toml reads', header => {
    const [line] = scanLines(`${header}\n`)
    let node: unknown = parseToml(header.replace(/#.*$/, ''))
    const path: string[] = []
    while (node && typeof node === 'object') {
      if (Array.isArray(node)) node = node[0]
      const keys = Object.keys(node as object)
      if (keys.length === 0) break
      path.push(keys[0])
      node = (node as Record<string, unknown>)[keys[0]]
    }
    expect(line.path).toEqual(path)
    expect(line.arrayTable).toBe(header.startsWith('[['))
  })

  test('the redacted rendering hides both credential kinds', () => {
    expect(renderRedacted(target)).toBe(
      '[npmAuth."https://target.example/npm/"]\ntoken = "***"\nemail = "ci@example.com"\nalwaysAuth = true\n'
    )
    expect(renderRedacted(added)).toContain('_auth = "***"')
    expect(renderRedacted(added)).not.toContain(added._auth)
  })
})

describe('files that cannot be edited in place are refused, never rewritten', () => {
  const SECRET = 'other-team-canary-token'
  test.each([
    [
      'invalid TOML',
      `[npmAuth."https://a.example/"]\ntoken = ${SECRET}\n`,
      /\/home\/runner\/.upmconfig.toml is not valid TOML: .* at line 2, column 9/
    ],
    ['duplicate table', `[a]\nx = "${SECRET}"\n[a]\n`, /is not valid TOML: .* at line 3/],
    ['npmAuth is a string', `npmAuth = "${SECRET}"\n`, /top-level `npmAuth` that is not a table/],
    [
      'target as inline table',
      `[npmAuth]\n"https://target.example/npm/" = { token = "${SECRET}" }\n`,
      /defines the entry for https:\/\/target.example\/npm\/ in a form this action cannot edit in place/
    ],
    ['target as dotted keys', `npmAuth."https://target.example/npm/".token = "${SECRET}"\n`, /cannot edit in place/],
    ['target as array of tables', `[[npmAuth."https://target.example/npm/"]]\ntoken = "${SECRET}"\n`, /cannot edit in place/],
    ['target only implied by a sub-table', `[npmAuth."https://target.example/npm/".extra]\nx = "${SECRET}"\n`, /cannot edit in place/],
    [
      'target with a sub-table',
      `[npmAuth."https://target.example/npm/"]\ntoken = "${SECRET}"\n[npmAuth."https://target.example/npm/".extra]\nx = 1\n`,
      /cannot extend in place/
    ],
    ['npmAuth as inline table, new URL', `npmAuth = { "https://a.example/" = { token = "${SECRET}" } }\n`, /cannot extend in place/],
    [
      'npmAuth as quoted inline table, new URL',
      `"npmAuth" = { "https://a.example/" = { token = "${SECRET}" } }\n`,
      /cannot extend in place/
    ],
    ['npmAuth as empty inline table, new URL', `cacheRoot = "/c"\nnpmAuth = {}\n[other]\nx = "${SECRET}"\n`, /cannot extend in place/]
  ])('%s', (_name, before, message) => {
    let error: Error | undefined
    try {
      mergeEntries(before, [target], FILE)
    } catch (e) {
      error = e as Error
    }
    expect(error).toBeInstanceOf(ConfigFileError)
    expect(error?.message).toMatch(message)
    expect(error?.message).toContain(FILE)
    expect(error?.message).not.toContain(SECRET)
  })
})
