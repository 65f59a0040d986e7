/**
 * inlineValueWarnings: which inline credential values of the `registries` text a pasted secret
 * could have changed. Each warning names table and key and never quotes the value.
 */
import { inlineValueWarnings } from '../../src/registries-text.js'

const T = '[npmAuth."https://a.example/"]'
const NAMED = '`registries` table [npmAuth."https://a.example/"] key'

test.each([
  ['escape in a basic string', `${T}\ntoken = "VAL\\tcd"\n`, 'token', /escape sequence/],
  ['escaped quote', `${T}\n_auth = "VAL\\"b"\n`, '_auth', /escape sequence/],
  ['comment right after the closing quote', `${T}\npassword = "VAL"#x"\n`, 'password', /followed by a comment/],
  ['comment after a literal string', `${T}\npat = 'VAL'#x'\n`, 'pat', /followed by a comment/],
  ['escape in a multi-line basic string', `${T}\ntoken = """VAL\\tb"""\n`, 'token', /escape sequence/],
  ['quoted key', `${T}\n"token" = "VAL\\\\b"\n`, 'token', /escape sequence/]
])('%s', (_name, text, key, what) => {
  const warnings = inlineValueWarnings(text)
  expect(warnings).toHaveLength(1)
  expect(warnings[0]).toContain(`${NAMED} \`${key}\``)
  expect(warnings[0]).toMatch(what)
  expect(warnings[0]).not.toMatch(/VAL|#x/)
})

test.each([
  ['plain basic string', `${T}\ntoken = "abc"\n`],
  ['literal string with backslashes', `${T}\ntoken = 'ab\\tcd'\n`],
  ['${NAME}', `${T}\ntoken = "\${UPM_TOKEN}"  # from env\n`],
  ['not a credential key', `${T}\nusername = "a\\tb"\nalwaysAuth = true # ok\n`],
  ['comment on its own line', `${T}\ntoken = "abc"\n# note\n`]
])('%s: no warning', (_name, text) => {
  expect(inlineValueWarnings(text)).toEqual([])
})

test('user information in a table URL is hidden', () => {
  const warnings = inlineValueWarnings('[npmAuth."https://u:hunter2@a.example/"]\ntoken = "a\\tb"\n')
  expect(warnings[0]).toContain('[npmAuth."https://***@a.example/"]')
  expect(warnings[0]).not.toContain('hunter2')
})
