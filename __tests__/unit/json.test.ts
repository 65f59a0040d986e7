import { JsonSyntaxError, lineOf, parseJson, tryParseJson } from '../../src/json.js'

test('parseJson reads what JSON.parse reads', () => {
  expect(parseJson('{"a": [1, "two", null]}')).toEqual({ a: [1, 'two', null] })
  expect(parseJson('null')).toBeNull()
})

test('a syntax error names the line and column, never the text', () => {
  const secret = 'npm_SECRET_TOKEN_1234'
  const text = `{\n  "token": "${secret}",\n  oops\n}`
  let caught: unknown
  try {
    parseJson(text)
  } catch (error) {
    caught = error
  }
  expect(caught).toBeInstanceOf(JsonSyntaxError)
  const error = caught as JsonSyntaxError
  expect(error.message).toBe('Unexpected character at line 3, column 3')
  expect([error.line, error.column]).toEqual([3, 3])
  expect(error.message).not.toContain(secret)
  expect(error.message).not.toContain('oops')
})

test('text that ends too early says so', () => {
  expect(() => parseJson('{"a": ')).toThrow(/^Unexpected end of JSON input at line 1, column 7$/)
})

test('tryParseJson gives undefined for what is not JSON, and the value otherwise', () => {
  expect(tryParseJson('not json')).toBeUndefined()
  expect(tryParseJson('')).toBeUndefined()
  expect(tryParseJson('false')).toBe(false)
  expect(tryParseJson('null')).toBeNull()
})

test('lineOf counts line breaks before the offset', () => {
  expect(lineOf('a\nb\nc', 0)).toBe(1)
  expect(lineOf('a\nb\nc', 2)).toBe(2)
  expect(lineOf('a\nb\nc', 4)).toBe(3)
})
