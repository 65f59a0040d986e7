import { basicAuth, buildEntries, checkRegistryUrl, isBasicAuthValue, parseRegistriesInput } from '../../src/registries.js'
import { redactUrl, urlSecrets } from '../../src/secrets.js'
import { MissingCredentialError } from '../../src/errors.js'
import { b64, registryInputs } from '../support/fixtures.js'

const URL_A = 'https://upm.example.com/npm/'

const inputs = registryInputs

describe('credential forms from the single-registry inputs', () => {
  test.each([
    ['token', { token: 'tok-123' }, { token: 'tok-123', form: 'token' }],
    ['token with email', { token: 'tok-123', email: 'ci@example.com' }, { token: 'tok-123', email: 'ci@example.com', form: 'token' }],
    ['ready _auth', { auth: b64('user:secret') }, { _auth: b64('user:secret'), form: 'auth' }],
    ['_auth with email', { auth: b64('u:s'), email: 'u@example.com' }, { _auth: b64('u:s'), email: 'u@example.com', form: 'auth' }],
    [
      'email + PAT (Unity manual recipe)',
      { email: 'dev@example.com', pat: 'azure-pat' },
      { _auth: b64('dev@example.com:azure-pat'), email: 'dev@example.com', form: 'email+pat' }
    ],
    ['username + password', { username: 'ci-bot', password: 'p4ss' }, { _auth: b64('ci-bot:p4ss'), form: 'username+password' }],
    [
      'username + password with email (the README recipe, for openupm-cli)',
      { username: 'ci-bot', password: 'p4ss', email: 'ci-bot@example.com' },
      { _auth: b64('ci-bot:p4ss'), email: 'ci-bot@example.com', form: 'username+password' }
    ],
    [
      'non-ASCII password is encoded as UTF-8',
      { username: 'jürgen', password: 'pässwört€' },
      { _auth: b64('jürgen:pässwört€'), form: 'username+password' }
    ],
    ['secret with quotes and backslashes kept as is', { token: 'a"b\\c\'d' }, { token: 'a"b\\c\'d', form: 'token' }]
  ])('%s', (_name, given, expected) => {
    const { entries, warnings } = buildEntries(inputs({ registryUrl: URL_A, ...given }), [])
    expect(warnings).toEqual([])
    expect(entries).toEqual([{ url: URL_A, alwaysAuth: true, ...expected }])
  })

  test.each([
    ['true', true],
    ['True', true],
    ['TRUE', true],
    ['false', false],
    ['False', false],
    ['FALSE', false]
  ])('always-auth %s', (value, expected) => {
    const { entries } = buildEntries(inputs({ registryUrl: URL_A, token: 't', alwaysAuth: value }), [])
    expect(entries[0].alwaysAuth).toBe(expected)
  })
})

describe('refused input: the error names the input and never the secret', () => {
  const SECRET = 'S3CRET-canary-value'
  test.each([
    ['no credential', { registryUrl: URL_A }, /Input `registry-url` has no credential.*`token`/],
    ['email alone', { registryUrl: URL_A, email: 'a@b.c' }, /has input `email` but no credential.*pair it with `pat`/],
    ['token + auth', { registryUrl: URL_A, token: SECRET, auth: b64('u:p') }, /more than one credential: input `token`, input `auth`/],
    [
      'token + pat',
      { registryUrl: URL_A, token: SECRET, email: 'a@b.c', pat: SECRET },
      /more than one credential: input `token`, input `pat`/
    ],
    ['auth + username/password', { registryUrl: URL_A, auth: b64('u:p'), username: 'u', password: SECRET }, /more than one credential/],
    [
      'pat + username/password',
      { registryUrl: URL_A, email: 'a@b.c', pat: SECRET, username: 'u', password: SECRET },
      /more than one credential/
    ],
    ['pat without email', { registryUrl: URL_A, pat: SECRET }, /Input `pat` is set without input `email`/],
    ['username without password', { registryUrl: URL_A, username: 'u' }, /Input `username` is set without input `password`/],
    ['password without username', { registryUrl: URL_A, password: SECRET }, /Input `password` is set without input `username`/],
    ['username with colon', { registryUrl: URL_A, username: 'a:b', password: SECRET }, /Input `username` contains ":"/],
    ['email with colon for PAT', { registryUrl: URL_A, email: 'a:b@c', pat: SECRET }, /Input `email` contains ":"/],
    ['token with line break', { registryUrl: URL_A, token: `${SECRET}\nsecond` }, /Input `token` contains a line break/],
    ['password with CR', { registryUrl: URL_A, username: 'u', password: `${SECRET}\r` }, /Input `password` contains a line break/],
    ['pat with line break', { registryUrl: URL_A, email: 'a@b.c', pat: `x\n${SECRET}` }, /Input `pat` contains a line break/],
    ['auth not base64', { registryUrl: URL_A, auth: SECRET }, /Input `auth` is not base64 of "user:secret"/],
    ['auth base64 without colon', { registryUrl: URL_A, auth: b64(SECRET) }, /Input `auth` is not base64/],
    ['auth base64 with empty user', { registryUrl: URL_A, auth: b64(`:${SECRET}`) }, /Input `auth` is not base64/],
    ['auth base64 not canonical (no padding)', { registryUrl: URL_A, auth: b64('u:pw').replace(/=+$/, '') }, /Input `auth` is not base64/],
    [
      'auth base64 of invalid UTF-8',
      { registryUrl: URL_A, auth: b64(new Uint8Array([0x75, 0x3a, 0xff, 0xfe])) },
      /Input `auth` is not base64/
    ],
    ['credential without registry-url', { token: SECRET }, /Input `token` is set but `registry-url` is empty/],
    ['nothing at all', {}, /Nothing to configure/],
    [
      'always-auth not boolean',
      { registryUrl: URL_A, token: SECRET, alwaysAuth: 'yes' },
      /Input `always-auth` must be true or false, not "yes"/
    ],
    ['URL relative', { registryUrl: 'upm.example.com/npm', token: SECRET }, /Input `registry-url` is not an absolute URL/],
    ['URL ftp', { registryUrl: 'ftp://upm.example.com/', token: SECRET }, /must start with https:\/\/ or http:\/\/, not ftp:/],
    ['URL with user:password', { registryUrl: `https://bob:${SECRET}@upm.example.com/`, token: 't' }, /carries user information/],
    ['URL with user only', { registryUrl: 'https://bob@upm.example.com/', token: 't' }, /carries user information/],
    ['URL with query', { registryUrl: 'https://upm.example.com/?a=1', token: SECRET }, /has a query/],
    ['URL with empty query', { registryUrl: 'https://upm.example.com/?', token: SECRET }, /has a query/],
    ['URL with fragment', { registryUrl: 'https://upm.example.com/#x', token: SECRET }, /has a fragment/],
    ['URL with space', { registryUrl: 'https://upm.example.com/a b', token: SECRET }, /contains white space/],
    ['URL with line break', { registryUrl: 'https://upm.example.com/\nx', token: SECRET }, /contains a line break/]
  ])('%s', (_name, given, message) => {
    let error: unknown
    try {
      buildEntries(inputs(given), [])
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toMatch(message)
    expect((error as Error).message).toMatch(/^[A-Z]/)
    expect((error as Error).message).not.toContain(SECRET)
  })

  test('missing credential is a MissingCredentialError, so the caller can explain forks', () => {
    expect(() => buildEntries(inputs({ registryUrl: URL_A }), [])).toThrow(MissingCredentialError)
    expect(() => buildEntries(inputs({}), [])).toThrow(MissingCredentialError)
  })
})

describe('registry URL checks', () => {
  test.each([
    'https://upm.example.com',
    'https://upm.example.com/',
    'https://upm.example.com:8443/api/npm/upm/',
    'http://localhost:4873',
    'http://127.0.0.1:4873/',
    'http://[::1]:4873/'
  ])('%s is accepted without warning', url => {
    expect(checkRegistryUrl(url, 'Input `registry-url`')).toEqual([])
  })

  test('plain http to a remote host warns but is accepted', () => {
    const warnings = checkRegistryUrl('http://upm.example.com/', 'Input `registry-url`')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/plain http.*unencrypted/)
  })

  test('the URL is kept exactly as given (no normalisation)', () => {
    for (const url of ['HTTPS://UPM.Example.com:443/npm', 'https://upm.example.com/npm/', 'https://upm.example.com/npm']) {
      expect(buildEntries(inputs({ registryUrl: url, token: 't' }), []).entries[0].url).toBe(url)
    }
  })

  test('user information is hidden in messages and its password is reported for masking', () => {
    expect(redactUrl('https://bob:hunter2@upm.example.com/x')).toBe('https://***@upm.example.com/x')
    expect(urlSecrets('https://bob:hunter2@upm.example.com/x')).toEqual(['bob:hunter2', 'hunter2'])
    expect(urlSecrets('https://upm.example.com/x')).toEqual([])
  })
})

describe('Basic helpers', () => {
  test('basicAuth is base64 of user:secret in UTF-8', () => {
    expect(basicAuth('a@b.c', 'pat')).toBe(b64('a@b.c:pat'))
  })
  test.each([
    [b64('u:p'), true],
    [b64('user:pa:ss'), true],
    [b64('u:'), true],
    ['', false],
    ['dTpw', true],
    ['dTpw=', false],
    ['!!!!', false],
    [b64('nocolon'), false]
  ])('isBasicAuthValue(%j) is %s', (value, expected) => {
    expect(isBasicAuthValue(value)).toBe(expected)
  })
})

describe('the registries input', () => {
  test('several tables, helper keys turned into _auth and never kept', () => {
    const tables = parseRegistriesInput(`
[npmAuth."https://a.example/npm/"]
token = "tok-a"

[npmAuth."https://b.example/"]
email = "dev@example.com"
pat = "pat-b"
alwaysAuth = false

[npmAuth."https://c.example/"]
username = "ci"
password = "pw-c"

[npmAuth."https://d.example/"]
_auth = "${b64('d:e')}"
`)
    const { entries } = buildEntries(inputs({ alwaysAuth: 'true' }), tables)
    expect(entries).toEqual([
      { url: 'https://a.example/npm/', token: 'tok-a', alwaysAuth: true, form: 'token' },
      { url: 'https://b.example/', _auth: b64('dev@example.com:pat-b'), email: 'dev@example.com', alwaysAuth: false, form: 'email+pat' },
      { url: 'https://c.example/', _auth: b64('ci:pw-c'), alwaysAuth: true, form: 'username+password' },
      { url: 'https://d.example/', _auth: b64('d:e'), alwaysAuth: true, form: 'auth' }
    ])
  })

  // GitHub Packages is the registry a job can read with its own token: `${GITHUB_TOKEN}` there is
  // the normal case (docs/github-packages.md) and must stay free of warnings.
  test.each(['https://npm.pkg.github.com/@octo-org', 'https://npm.pkg.github.com/@octo-org/', 'https://npm.octocorp.ghe.com/@octo-org'])(
    '`${GITHUB_TOKEN}` for GitHub Packages (%s) is written as the token, with no warning',
    url => {
      const tables = parseRegistriesInput(`[npmAuth."${url}"]\ntoken = "\${GITHUB_TOKEN}"\n`, { GITHUB_TOKEN: 'ghs_job-token' })
      expect(tables[0].fromEnv).toEqual(['ghs_job-token'])
      expect(buildEntries(inputs({}), tables)).toEqual({
        entries: [{ url, token: 'ghs_job-token', alwaysAuth: true, form: 'token' }],
        warnings: []
      })
    }
  )

  test('combined with registry-url, the single registry comes first', () => {
    const tables = parseRegistriesInput('[npmAuth."https://b.example/"]\ntoken = "b"\n')
    const { entries } = buildEntries(inputs({ registryUrl: URL_A, token: 'a' }), tables)
    expect(entries.map(e => e.url)).toEqual([URL_A, 'https://b.example/'])
  })

  test.each(['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN', 'RUNNER_TEMP', 'actions_runtime_token'])(
    "${%s}, the runner's own variable, is refused before it is read",
    name => {
      const text = `[npmAuth."https://a.example/"]\ntoken = "\${${name}}"\n`
      expect(() => parseRegistriesInput(text, { [name]: 'runner-secret' })).toThrow(
        `\`registries\` table [npmAuth."https://a.example/"] key \`token\` reads ${name}, a variable of the runner (ACTIONS_*, RUNNER_*)`
      )
    }
  )

  test("${GITHUB_TOKEN} gets a warning unless it goes to GitHub's package registry", () => {
    const env = { GITHUB_TOKEN: 'gh-token' }
    const warned = parseRegistriesInput('[npmAuth."https://upm.example.com/"]\ntoken = "${GITHUB_TOKEN}"\n', env)
    expect(warned[0].warnings).toEqual([
      expect.stringContaining("reads GITHUB_TOKEN, this job's token for GitHub, and sends it to upm.example.com")
    ])
    expect(buildEntries(inputs({}), warned).warnings).toEqual(warned[0].warnings)
    expect(parseRegistriesInput('[npmAuth."https://npm.pkg.github.com/@o"]\ntoken = "${GITHUB_TOKEN}"\n', env)[0].warnings).toEqual([])
    // Another variable to the same host: no warning.
    expect(parseRegistriesInput('[npmAuth."https://upm.example.com/"]\ntoken = "${UPM_TOKEN}"\n', { UPM_TOKEN: 'x' })[0].warnings).toEqual(
      []
    )
  })

  test('an empty or blank fragment means no tables', () => {
    expect(parseRegistriesInput('')).toEqual([])
    expect(parseRegistriesInput('  \n')).toEqual([])
  })

  const SECRET = 'fragment-canary-secret'
  test.each([
    ['not TOML', `[npmAuth."https://a.example/"]\ntoken = ${SECRET}\n`, /Input `registries` is not valid TOML: .* at line 2, column \d+/],
    ['unterminated string', `[npmAuth."https://a.example/"]\ntoken = "${SECRET}\n`, /Input `registries` is not valid TOML/],
    ['top-level key', `token = "${SECRET}"\n`, /it has a top-level key `token`/],
    ['no npmAuth', '[other]\nx = 1\n', /top-level key `other`/],
    ['npmAuth not a table', `npmAuth = "${SECRET}"\n`, /`npmAuth` is not a table/],
    ['registry not a table', `[npmAuth]\n"https://a.example/" = "${SECRET}"\n`, /table \[npmAuth."https:\/\/a.example\/"\] is not a table/],
    [
      'unknown key',
      `[npmAuth."https://a.example/"]\ntokn = "${SECRET}"\n`,
      /table \[npmAuth."https:\/\/a.example\/"\] has an unknown key `tokn`/
    ],
    [
      'alwaysAuth not boolean',
      '[npmAuth."https://a.example/"]\ntoken = "x"\nalwaysAuth = "yes"\n',
      /key `alwaysAuth` must be true or false/
    ],
    ['token not a string', '[npmAuth."https://a.example/"]\ntoken = 42\n', /key `token` must be a string/]
  ])('%s', (_name, text, message) => {
    let error: Error | undefined
    try {
      parseRegistriesInput(text)
    } catch (e) {
      error = e as Error
    }
    expect(error?.message).toMatch(message)
    expect(error?.message).not.toContain(SECRET)
  })

  test.each([
    [
      'two credentials',
      `[npmAuth."https://a.example/"]\ntoken = "${SECRET}"\n_auth = "${b64('u:p')}"\n`,
      /table \[npmAuth."https:\/\/a.example\/"\] has more than one credential: .*key `token`, .*key `_auth`/
    ],
    ['no credential', '[npmAuth."https://a.example/"]\nalwaysAuth = true\n', /table \[npmAuth."https:\/\/a.example\/"\] has no credential/],
    ['pat without email', `[npmAuth."https://a.example/"]\npat = "${SECRET}"\n`, /key `pat` is set without .*key `email`/],
    ['_auth not base64', `[npmAuth."https://a.example/"]\n_auth = "${SECRET}"\n`, /key `_auth` is not base64/],
    ['secret with line break', `[npmAuth."https://a.example/"]\ntoken = "${SECRET}\\nx"\n`, /key `token` contains a line break/],
    ['bad URL', `[npmAuth."ftp://a.example/"]\ntoken = "${SECRET}"\n`, /table \[npmAuth."ftp:\/\/a.example\/"\] must start with https/],
    [
      'URL with password is not echoed',
      `[npmAuth."https://u:${SECRET}@a.example/"]\ntoken = "x"\n`,
      /table \[npmAuth."https:\/\/\*\*\*@a.example\/"\] carries user information/
    ],
    [
      'same URL as registry-url',
      `[npmAuth."${URL_A}"]\ntoken = "${SECRET}"\n`,
      /configures https:\/\/upm.example.com\/npm\/ a second time \(it is also `registry-url`\)/
    ]
  ])('table %s', (_name, text, message) => {
    let error: Error | undefined
    try {
      buildEntries(inputs({ registryUrl: URL_A, token: 'x' }), parseRegistriesInput(text))
    } catch (e) {
      error = e as Error
    }
    expect(error?.message).toMatch(message)
    expect(error?.message).not.toContain(SECRET)
  })

  test('a table with plain http to a remote host warns, naming the table', () => {
    const { warnings } = buildEntries(inputs({}), parseRegistriesInput('[npmAuth."http://a.example/"]\ntoken = "x"\n'))
    expect(warnings).toEqual([expect.stringMatching(/^`registries` table \[npmAuth."http:\/\/a.example\/"\]: .* plain http/)])
  })
})

describe('user information however it is written: masked, redacted, refused, never quoted', () => {
  const SECRET_PART = 'S3cr3tPart'
  test.each([
    ['a / in the password', `https://ci:ab/${SECRET_PART}@upm.example.com/npm/`, 'https://***@upm.example.com/npm/'],
    ['a ? in the password', `https://ci:ab?${SECRET_PART}@upm.example.com/npm/`, 'https://***@upm.example.com/npm/'],
    ['a # in the password', `https://ci:ab#${SECRET_PART}@upm.example.com/npm/`, 'https://***@upm.example.com/npm/'],
    ['one slash', `https:/ci:${SECRET_PART}@upm.example.com/`, 'https:/***@upm.example.com/'],
    ['backslashes', `https:\\\\ci:${SECRET_PART}@upm.example.com/`, 'https:\\\\***@upm.example.com/'],
    ['no scheme', `//ci:${SECRET_PART}@upm.example.com/`, '//***@upm.example.com/'],
    ['a token with a slash and no colon', `https://Tok3n/${SECRET_PART}@host/npm/`, 'https://***@host/npm/']
  ])('%s', (_name, url, redacted) => {
    expect(redactUrl(url)).toBe(redacted)
    expect(urlSecrets(url).some(secret => secret.includes(SECRET_PART))).toBe(true)
    let message = ''
    try {
      checkRegistryUrl(url, 'Input `registry-url`')
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toMatch(/^Input `registry-url` carries user information/)
    expect(message).not.toContain(SECRET_PART)
    expect(message).not.toContain('ci:')
    // The OIDC exchange URL, the other URL input, the same way.
    let exchange = ''
    try {
      buildEntries(inputs({ registryUrl: 'https://upm.example.com/', oidc: 'cloudsmith', oidcService: 's', oidcExchangeUrl: url }), [])
    } catch (error) {
      exchange = (error as Error).message
    }
    expect(exchange).toMatch(/^Input `oidc-exchange-url` carries user information/)
    expect(exchange).not.toContain(SECRET_PART)
  })

  test.each([
    [
      'a scope after the host (GitHub Packages)',
      `https://ci:${SECRET_PART}@npm.pkg.github.com/@owner`,
      'https://***@npm.pkg.github.com/@owner'
    ],
    ['a scope after a path', `https://ci:${SECRET_PART}@upm.example.com/npm/@scope/`, 'https://***@upm.example.com/npm/@scope/'],
    ['a / and an @ that look like a scope, after no host', `https://ci:${SECRET_PART}/@upm.example.com/`, 'https://***@upm.example.com/'],
    ['a scope-like @ after a password with a /', `https://ci:ab/${SECRET_PART}@host/@owner`, 'https://***@host/@owner']
  ])('user information before a scope is still user information: %s', (_name, url, redacted) => {
    expect(redactUrl(url)).toBe(redacted)
    expect(urlSecrets(url).some(secret => secret.includes(SECRET_PART))).toBe(true)
    expect(() => checkRegistryUrl(url, 'Input `registry-url`')).toThrow(/^Input `registry-url` carries user information/)
  })

  test.each([
    'https://npm.pkg.github.com/@owner',
    'https://npm.pkg.github.com/@owner/',
    'https://upm.example.com:8443/npm/@scope/',
    'http://127.0.0.1:4873/@scope',
    'https://[::1]:4873/@scope'
  ])('an @ that begins a path segment after the host is an npm scope, not user information: %s', url => {
    expect(redactUrl(url)).toBe(url)
    expect(urlSecrets(url)).toEqual([])
    expect(checkRegistryUrl(url, 'Input `registry-url`')).toEqual(expect.any(Array))
    expect(buildEntries(inputs({ registryUrl: url, token: 't' }), []).entries[0].url).toBe(url)
  })

  test('a URL without user information is left as it is, and an unparseable one is quoted by scheme and host only', () => {
    expect(redactUrl('https://upm.example.com/npm/')).toBe('https://upm.example.com/npm/')
    expect(urlSecrets('https://upm.example.com/npm/')).toEqual([])
    expect(() => checkRegistryUrl('https://upm.example.com:99999/private-path/', 'Input `registry-url`')).toThrow(
      'Input `registry-url` is not an absolute URL (https://upm.example.com:99999/…).'
    )
  })
})
