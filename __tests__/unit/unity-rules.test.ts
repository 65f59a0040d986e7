/**
 * The rules Unity applies to the whole parsed file: one row per rule, with a document that
 * breaks it and what must be reported (table, key, rule), and documents that break none.
 */
import { parse } from 'smol-toml'
import { checkUnityRules, findingMessage } from '../../src/unity-rules.js'
import { mergeEntries } from '../../src/toml/npm-auth.js'
import type { NpmAuthEntry } from '../../src/entry.js'

const U = 'https://upm.example.com/npm/'
const T = `[npmAuth."${U}"]`

const broken: [string, string, { url?: string; key?: string; rule: RegExp }][] = [
  ['token and _auth', `${T}\ntoken = "a"\n_auth = "dTpw"\n`, { url: U, rule: /both `token` and `_auth`/ }],
  ['neither token nor _auth', `${T}\nemail = "a@b.c"\n`, { url: U, rule: /neither `token` nor `_auth`/ }],
  ['token not a string', `${T}\ntoken = 5\n`, { url: U, key: 'token', rule: /must be a string/ }],
  ['alwaysAuth a string', `${T}\ntoken = "a"\nalwaysAuth = "true"\n`, { url: U, key: 'alwaysAuth', rule: /true or false/ }],
  ['email a number', `${T}\ntoken = "a"\nemail = 1\n`, { url: U, key: 'email', rule: /must be a string/ }],
  ['username undocumented', `${T}\ntoken = "a"\nusername = "ci"\n`, { url: U, key: 'username', rule: /does not document/ }],
  ['cacheRoot a boolean', `cacheRoot = true\n`, { key: 'cacheRoot', rule: /must be a string/ }],
  ['maxCacheSize negative', `maxCacheSize = -1\n`, { key: 'maxCacheSize', rule: /non-negative integer/ }],
  ['maxCacheSize a float', `maxCacheSize = 1.5\n`, { key: 'maxCacheSize', rule: /non-negative integer/ }],
  ['maxCacheSize a string', `maxCacheSize = "10GB"\n`, { key: 'maxCacheSize', rule: /non-negative integer/ }],
  ['unknown top-level key', `proxy = "http://p"\n`, { key: 'proxy', rule: /top-level key Unity does not document/ }],
  ['npmAuth not a table', `npmAuth = "x"\n`, { key: 'npmAuth', rule: /table of/ }],
  ['registry entry not a table', `[npmAuth]\n"${U}" = "x"\n`, { url: U, rule: /is not a table/ }]
]

describe('checkUnityRules', () => {
  test.each(broken)('%s', (_name, text, expected) => {
    const findings = checkUnityRules(parse(text))
    expect(findings).toHaveLength(1)
    expect(findings[0].url).toBe(expected.url)
    expect(findings[0].key).toBe(expected.key)
    expect(findings[0].rule).toMatch(expected.rule)
  })

  test.each([
    ['empty file', ''],
    [
      'every documented key',
      `cacheRoot = "/srv/upm"\nmaxCacheSize = 0\ncaFile = "/ca.pem"\n${T}\n_auth = "dTpw"\nemail = "a@b.c"\nalwaysAuth = false\n`
    ],
    ['two registries', `${T}\ntoken = "a"\n[npmAuth."https://b.example/"]\ntoken = "b"\nalwaysAuth = true\n`]
  ])('%s: no finding', (_name, text) => {
    expect(checkUnityRules(parse(text) as Record<string, unknown>)).toEqual([])
  })

  test('the message names file, table, key and rule, never a value, and says what Unity does', () => {
    const doc = parse(`${T}\ntoken = "SECRET-1"\n_auth = "U0VDUkVULTI="\nalwaysAuth = "SECRET-3"\n`) as Record<string, unknown>
    const messages = checkUnityRules(doc).map(f => findingMessage(f, '/h/.upmconfig.toml', u => u))
    expect(messages).toHaveLength(2)
    expect(messages[0]).toContain(`/h/.upmconfig.toml, table [npmAuth."${U}"] has both`)
    expect(messages[1]).toContain('key `alwaysAuth` must be true or false')
    for (const m of messages) {
      expect(m).toMatch(/load no package at all/)
      expect(m).not.toMatch(/SECRET|U0VDUkVULTI=/)
    }
  })
})

describe('the tables this step writes cannot break a rule', () => {
  const forms: NpmAuthEntry[] = [
    { url: U, token: 't', alwaysAuth: true, form: 'token' },
    { url: U, _auth: 'dTpw', email: 'a@b.c', alwaysAuth: false, form: 'email+pat' }
  ]
  test.each(forms.map(e => [e.form, e] as const))('%s, replacing a broken table with username and both credentials', (_form, entry) => {
    const before = `${T}\ntoken = "a"\n_auth = "dTpw"\nusername = "ci"\nalwaysAuth = "yes"\n`
    expect(checkUnityRules(parse(before) as Record<string, unknown>).length).toBeGreaterThan(0)
    expect(checkUnityRules(mergeEntries(before, [entry], '/c.toml').document)).toEqual([])
  })
})
