/**
 * Pure logic: from the action's inputs to the npmAuth entries that must be written.
 *
 * Nothing here logs or touches the environment. Errors never contain a secret value:
 * they name the input (or the `registries` table and key) at fault and say what to do.
 */
import { isGitHubPackagesUrl } from './github-packages.js'
import { parse as parseToml, TomlError } from 'smol-toml'
import type { CredentialFields, NpmAuthEntry, Origin } from './entry.js'
import { MissingCredentialError } from './errors.js'
import { quotableUrl, redactUrl, SECRET_FIELDS, userInfoSpan } from './secrets.js'
import { tomlReason } from './toml/proof.js'
import { isPlainObject } from './plain-object.js'
import { hasControlCharacter } from './log-safe.js'

/** The raw inputs that decide which entries are written. Empty string means "not set". */
export interface RegistryInputs extends Required<CredentialFields> {
  registryUrl: string
  alwaysAuth: string
  registries: string
}

/** A registry table parsed from the `registries` input, not yet validated. */
export interface RegistryTable {
  url: string
  fields: CredentialFields
  /** `alwaysAuth` of the table, when it has one. */
  alwaysAuth?: boolean
  /** Values read from the step environment (`key = "${NAME}"`): all of them are masked, email included. */
  fromEnv: string[]
  /** Advice about the table that does not stop the step (GITHUB_TOKEN sent to another host). */
  warnings: string[]
}

export interface BuildResult {
  entries: NpmAuthEntry[]
  /** Advice that does not stop the step (for example plain http to a remote host). */
  warnings: string[]
}

/** The credential inputs. */
const CREDENTIAL_FIELDS = [
  'token',
  'auth',
  'email',
  'pat',
  'username',
  'password',
  'oidc',
  'oidcAudience',
  'oidcProviderName',
  'oidcService',
  'oidcExchangeUrl'
] as const

/** The input of each field, as named in action.yml. */
const INPUT_NAMES: Record<keyof CredentialFields, string> = {
  token: 'token',
  auth: 'auth',
  email: 'email',
  pat: 'pat',
  username: 'username',
  password: 'password',
  oidc: 'oidc',
  oidcAudience: 'oidc-audience',
  oidcProviderName: 'oidc-provider-name',
  oidcService: 'oidc-service',
  oidcExchangeUrl: 'oidc-exchange-url'
}

/**
 * The table keys whose value may be `${NAME}`, read from the environment variable NAME: every
 * secret key (derived from SECRET_FIELDS, so a secret key added later gets it too) and `email`.
 */
export const ENV_KEYS: readonly string[] = [...SECRET_FIELDS.map(f => (f === 'auth' ? '_auth' : f)), 'email']

/** `${NAME}` exactly, with NAME an environment variable name as shells and the runner spell them. */
const ENV_REFERENCE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/

/** The key of each field in a `registries` table: Unity's own keys, and the inputs' names for helper keys. */
const TABLE_FIELD_KEYS: Record<keyof CredentialFields, string> = { ...INPUT_NAMES, auth: '_auth' }
/** The keys a `registries` table may hold. `pat`, `username`, `password` and the `oidc*` keys are never written. */
const TABLE_KEYS = [...Object.values(TABLE_FIELD_KEYS), 'alwaysAuth']
const FIELD_OF_TABLE_KEY = Object.fromEntries(Object.entries(TABLE_FIELD_KEYS).map(([field, key]) => [key, field])) as Record<
  string,
  keyof CredentialFields
>

const inputOrigin: Origin = {
  name: field => `input \`${INPUT_NAMES[field]}\``,
  where: 'Input `registry-url`',
  credentialHint:
    'Set one of the inputs `token`, `auth`, `email` + `pat`, or `username` + `password` (from a secret), or `oidc` for a secretless exchange.'
}

function tableOrigin(url: string): Origin {
  const table = `\`registries\` table [npmAuth.${JSON.stringify(redactUrl(url))}]`
  return {
    name: field => `${table} key \`${TABLE_FIELD_KEYS[field]}\``,
    where: table,
    credentialHint: 'Give the table one of `token`, `_auth`, `email` + `pat`, `username` + `password`, or `oidc`.'
  }
}

/**
 * Checks a registry URL. Unity matches it by exact string equality with the manifest's
 * `url`, so it is never normalised here; only what can never work is refused.
 *
 * @returns warnings for URLs that work but deserve attention.
 */
export function checkRegistryUrl(url: string, where: string): string[] {
  const fix = 'Use the exact `url` of the scoped registry in Packages/manifest.json, for example https://upm.example.com/npm/.'
  const parsed = checkUrlInput(url, where, fix, REGISTRY_USER_INFO)
  if (url.includes('?')) throw new Error(`${where} has a query (?...). Registry URLs have none. ${fix}`)
  if (url.includes('#')) throw new Error(`${where} has a fragment (#...). Registry URLs have none. ${fix}`)
  if (parsed.protocol === 'http:' && !isLoopback(parsed.hostname)) {
    return [`${where}: ${url} uses plain http, so the credential crosses the network unencrypted. Use https if the registry supports it.`]
  }
  return []
}

const REGISTRY_USER_INFO =
  'Unity does not read credentials from the URL: remove them from the URL and pass them as a credential ' +
  '(`token`, `auth`, `email` + `pat`, or `username` + `password`).'

/**
 * What every URL input must be, the registry's and the OIDC exchange's alike: one line without
 * control characters or white space, absolute, http(s), and without user information, which is
 * refused before the URL is parsed (a parser may not see it where a person put it) and never
 * quoted: an error shows the URL by scheme and host at most.
 *
 * @param fix what to do, for the errors about the URL's form.
 * @param userInfo what to do with user information found in it.
 */
export function checkUrlInput(url: string, where: string, fix: string, userInfo: string): URL {
  if (hasControlCharacter(url)) throw new Error(`${where} contains a line break or a control character. ${fix}`)
  if (url.trim() !== url || /\s/.test(url)) throw new Error(`${where} contains white space. ${fix}`)
  if (userInfoSpan(url)) throw new Error(`${where} carries user information (user:password@, in ${quotableUrl(url)}). ${userInfo}`)
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new Error(`${where} is not an absolute URL (${quotableUrl(url)}). ${fix}`)
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new Error(`${where} must start with https:// or http://, not ${parsed.protocol}//. ${fix}`)
  }
  if (parsed.username !== '' || parsed.password !== '' || /^[^/]*\/\/[^/?#]*@/.test(url)) {
    throw new Error(`${where} carries user information (user:password@). ${userInfo}`)
  }
  return parsed
}

/** A tagged template that starts the sentence with a capital ("input `x` ..." -> "Input `x` ..."). */
function sentence(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = strings.reduce((out, part, i) => out + part + (i < values.length ? String(values[i]) : ''), '')
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** Whether a URL's host name is this machine, where plain http crosses no network. */
export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname)
}

/**
 * Strictly decodes `auth`: it must be canonical base64 of UTF-8 `user:secret` with a
 * non-empty user, which is what Basic authentication sends.
 */
export function isBasicAuthValue(value: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value) || value.length % 4 !== 0) return false
  const bytes = Buffer.from(value, 'base64')
  if (bytes.toString('base64') !== value) return false
  let decoded: string
  try {
    decoded = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return false
  }
  return decoded.indexOf(':') > 0
}

/** Base64 of the UTF-8 string `user:secret`, the value Basic authentication sends. */
export function basicAuth(user: string, secret: string): string {
  return Buffer.from(`${user}:${secret}`, 'utf8').toString('base64')
}

/**
 * Turns one registry's credential fields into the entry Unity reads, enforcing one credential
 * form per registry.
 */
export function toEntry(url: string, fields: CredentialFields, alwaysAuth: boolean, origin: Origin): NpmAuthEntry {
  for (const field of Object.keys(fields) as (keyof CredentialFields)[]) {
    const value = fields[field]
    if (value !== undefined && /[\r\n]/.test(value)) {
      throw new Error(
        sentence`${origin.name(field)} contains a line break. A credential is one line: check the secret for a stray newline or a pasted second line.`
      )
    }
  }
  if (fields.oidc) {
    if (fields.oidcExchangeUrl) {
      checkUrlInput(
        fields.oidcExchangeUrl,
        sentence`${origin.name('oidcExchangeUrl')}`,
        'Give the https URL of the token exchange, or leave it empty for the default.',
        "The exchange takes the job's ID token, never a password: remove them from the URL."
      )
    }
    // The token comes from the exchange (src/oidc.ts), which checks the other fields before any request.
    const key = (f: keyof CredentialFields): string => (origin === inputOrigin ? INPUT_NAMES : TABLE_FIELD_KEYS)[f]
    const oidcEntry: NpmAuthEntry = { url, alwaysAuth, form: 'oidc', oidc: { fields, name: origin.name, key, where: origin.where } }
    if (fields.email) oidcEntry.email = fields.email
    return oidcEntry
  }
  for (const field of ['oidcAudience', 'oidcProviderName', 'oidcService', 'oidcExchangeUrl'] as const) {
    if (fields[field])
      throw new Error(
        sentence`${origin.name(field)} is set without ${origin.name('oidc')}: set \`oidc\` to artifactory or cloudsmith, or remove it.`
      )
  }
  const { token, auth, email, pat, username, password } = fields
  const forms: string[] = []
  if (token) forms.push(origin.name('token'))
  if (auth) forms.push(origin.name('auth'))
  if (pat) forms.push(origin.name('pat'))
  // Name only what was set: a lone `password` next to a `token` is reported as `password`.
  if (username || password) {
    forms.push([username && origin.name('username'), password && origin.name('password')].filter(Boolean).join(' + '))
  }
  if (forms.length > 1) {
    throw new Error(
      `${origin.where} has more than one credential: ${forms.join(', ')}. Unity reads exactly one credential per registry: keep one of them.`
    )
  }
  if (forms.length === 0) {
    if (email) {
      throw new MissingCredentialError(
        `${origin.where} has ${origin.name('email')} but no credential. ${origin.credentialHint} ` +
          '`email` alone is not a credential: pair it with `pat` for Basic auth, or with `token`.'
      )
    }
    throw new MissingCredentialError(`${origin.where} has no credential. ${origin.credentialHint}`)
  }

  const entry: NpmAuthEntry = { url, alwaysAuth, form: 'token' }
  if (token) {
    entry.token = token
  } else if (auth) {
    if (!isBasicAuthValue(auth)) {
      throw new Error(
        sentence`${origin.name('auth')} is not base64 of "user:secret". Pass the base64 of the UTF-8 string user:secret, ` +
          'or pass `username` + `password` (or `email` + `pat`) and let the action encode it.'
      )
    }
    entry._auth = auth
    entry.form = 'auth'
  } else if (pat) {
    if (!email) {
      throw new Error(
        sentence`${origin.name('pat')} is set without ${origin.name('email')}. Unity's Basic recipe encodes "email:PAT": ` +
          'set `email` to the address the token belongs to.'
      )
    }
    if (email.includes(':')) {
      throw new Error(sentence`${origin.name('email')} contains ":", which Basic authentication cannot carry in the user part.`)
    }
    entry._auth = basicAuth(email, pat)
    entry.form = 'email+pat'
  } else {
    if (!username) {
      throw new Error(sentence`${origin.name('password')} is set without ${origin.name('username')}: set both, or neither.`)
    }
    if (!password) {
      throw new Error(sentence`${origin.name('username')} is set without ${origin.name('password')}: set both, or neither.`)
    }
    if (username.includes(':')) {
      throw new Error(sentence`${origin.name('username')} contains ":", which Basic authentication cannot carry in the user part.`)
    }
    entry._auth = basicAuth(username, password)
    entry.form = 'username+password'
  }
  if (email) entry.email = email
  return entry
}

/**
 * Parses a boolean input (`always-auth`, `verify`, `cleanup`, ...) the way the YAML 1.2 core
 * schema spells booleans; `name` is the input the error names.
 */
export function parseBooleanInput(name: string, value: string): boolean {
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE'].includes(value)) return false
  throw new Error(`Input \`${name}\` must be true or false, not "${value}".`)
}

/**
 * Parses the `registries` input: a TOML fragment of `[npmAuth."URL"]` tables. Errors name the
 * line, column and table, never a value.
 */
export function parseRegistriesInput(text: string, env: Record<string, string | undefined> = {}): RegistryTable[] {
  if (text.trim() === '') return []
  let doc: Record<string, unknown>
  try {
    doc = parseToml(text)
  } catch (error) {
    if (error instanceof TomlError) {
      // eslint-disable-next-line preserve-caught-error -- smol-toml's message quotes the input, secrets included: it must not travel on as a cause
      throw new Error(
        `Input \`registries\` is not valid TOML: ${tomlReason(error)} at line ${error.line}, column ${error.column}. ` +
          'Write one [npmAuth."URL"] table per registry, with values in double quotes.'
      )
    }
    throw error
  }
  const shape = 'Input `registries` must hold only [npmAuth."URL"] tables'
  for (const key of Object.keys(doc)) {
    if (key !== 'npmAuth') throw new Error(`${shape}; it has a top-level key \`${key}\`. Move it into a table or remove it.`)
  }
  const npmAuth = doc.npmAuth
  if (npmAuth === undefined) throw new Error(`${shape}; it has none.`)
  if (!isPlainObject(npmAuth)) throw new Error(`${shape}; \`npmAuth\` is not a table.`)

  return Object.entries(npmAuth).map(([url, value]) => {
    const table = `\`registries\` table [npmAuth.${JSON.stringify(redactUrl(url))}]`
    if (!isPlainObject(value)) {
      throw new Error(`${table} is not a table. Write it as [npmAuth."URL"] followed by its keys.`)
    }
    const fields: CredentialFields = {}
    const fromEnv: string[] = []
    const warnings: string[] = []
    let alwaysAuth: boolean | undefined
    for (const [key, v] of Object.entries(value)) {
      if (!TABLE_KEYS.includes(key)) {
        throw new Error(`${table} has an unknown key \`${key}\`. Allowed keys: ${TABLE_KEYS.join(', ')}.`)
      }
      if (key === 'alwaysAuth') {
        if (typeof v !== 'boolean') throw new Error(`${table} key \`alwaysAuth\` must be true or false.`)
        alwaysAuth = v
        continue
      }
      if (typeof v !== 'string') throw new Error(`${table} key \`${key}\` must be a string in quotes.`)
      // GitHub pastes ${{ secrets.X }} into the text, where TOML reads the secret's characters
      // as syntax; a value read from the environment never passes through TOML.
      const reference = ENV_KEYS.includes(key) ? ENV_REFERENCE.exec(v) : null
      let value = v
      if (reference) {
        const name = reference[1]
        value = readEnvReference(`${table} key \`${key}\``, name, env)
        fromEnv.push(value)
        const github = name.toUpperCase() === 'GITHUB_TOKEN' ? githubTokenWarning(`${table} key \`${key}\``, url, env) : undefined
        if (github) warnings.push(github)
      }
      fields[FIELD_OF_TABLE_KEY[key]] = value
    }
    return { url, fields, alwaysAuth, fromEnv, warnings }
  })
}

/**
 * The runner's own variables: ACTIONS_RUNTIME_TOKEN, ACTIONS_ID_TOKEN_REQUEST_TOKEN and the like
 * are credentials of the runner and of the job, and a `${NAME}` would write them to disk and
 * send them (Unity, `verify`) to the registry's host. Matched without regard to case, as
 * Windows reads variable names.
 */
const RUNNER_VARIABLE = /^(ACTIONS|RUNNER)_/i

/** The value of `${name}` for `where` (a table's key), from the step's environment. */
function readEnvReference(where: string, name: string, env: Record<string, string | undefined>): string {
  if (RUNNER_VARIABLE.test(name)) {
    throw new Error(
      `${where} reads ${name}, a variable of the runner (ACTIONS_*, RUNNER_*): those hold the runner's and the job's own ` +
        "credentials, which no registry may get. Read the registry's secret from a variable of your own in the step's `env:` " +
        '(for example UPM_TOKEN: ${{ secrets.UPM_TOKEN }}, and `token = "${UPM_TOKEN}"`).'
    )
  }
  const fromStep = env[name]
  if (!fromStep) {
    throw new MissingCredentialError(
      `${where} reads the environment variable ${name}, which is ${fromStep === undefined ? 'not set' : 'empty'}. ` +
        `Set it in the step's \`env:\` (for example ${name}: \${{ secrets.${name} }}) and check that the secret exists.`
    )
  }
  return fromStep
}

/**
 * A warning when `${GITHUB_TOKEN}` goes to a host other than GitHub's: the job's token for the
 * GitHub API is for GitHub's package registry (github-packages.ts: `npm.pkg.github.com`,
 * `npm.SUBDOMAIN.ghe.com`, on GitHub Enterprise Server `npm.HOSTNAME` or `HOSTNAME/_registry/npm/`).
 */
function githubTokenWarning(where: string, url: string, env: Record<string, string | undefined>): string | undefined {
  // A URL that does not parse is refused with its own error once the tables are checked.
  if (!URL.canParse(url) || isGitHubPackagesUrl(url, env.GITHUB_SERVER_URL)) return undefined
  const host = new URL(url).hostname
  const server = env.GITHUB_SERVER_URL && URL.canParse(env.GITHUB_SERVER_URL) ? new URL(env.GITHUB_SERVER_URL).hostname : 'github.com'
  const github = server === 'github.com' ? 'npm.pkg.github.com' : `npm.${server} or ${server}/_registry/npm/`
  return (
    `${sentence`${where}`} reads GITHUB_TOKEN, this job's token for GitHub, and sends it to ${host}, which is not GitHub's ` +
    `package registry (${github}): whoever runs that host can act on GitHub with this job's permissions until the job ends. ` +
    'Give that registry a token of its own.'
  )
}

/**
 * Builds every entry this step writes: the one of `registry-url` (with the credential inputs)
 * and those of the `registries` tables (already parsed, so their secrets could be masked).
 */
export function buildEntries(inputs: RegistryInputs, tables: RegistryTable[]): BuildResult {
  const alwaysAuth = parseBooleanInput('always-auth', inputs.alwaysAuth)
  const entries: NpmAuthEntry[] = []
  const warnings: string[] = []

  if (inputs.registryUrl) {
    warnings.push(...checkRegistryUrl(inputs.registryUrl, 'Input `registry-url`'))
    const fields: CredentialFields = {}
    for (const name of CREDENTIAL_FIELDS) if (inputs[name]) fields[name] = inputs[name]
    entries.push(toEntry(inputs.registryUrl, fields, alwaysAuth, inputOrigin))
  } else {
    const stray = CREDENTIAL_FIELDS.filter(name => inputs[name])
    if (stray.length > 0) {
      throw new Error(
        `${stray.map(n => `Input \`${INPUT_NAMES[n]}\``).join(', ')} ${stray.length > 1 ? 'are' : 'is'} set but \`registry-url\` is empty. ` +
          'Set `registry-url` to the registry these credentials belong to (for several registries, put each credential in its `registries` table).'
      )
    }
  }

  for (const table of tables) {
    const origin = tableOrigin(table.url)
    warnings.push(...checkRegistryUrl(table.url, origin.where), ...table.warnings)
    if (entries.some(e => e.url === table.url)) {
      throw new Error(
        `${origin.where} configures ${table.url} a second time${table.url === inputs.registryUrl ? ' (it is also `registry-url`)' : ''}. Configure each registry once.`
      )
    }
    entries.push(toEntry(table.url, table.fields, table.alwaysAuth ?? alwaysAuth, origin))
  }

  if (entries.length === 0) {
    throw new MissingCredentialError(
      'Nothing to configure: set `registry-url` with a credential, or `registries` with one [npmAuth."URL"] table per registry.'
    )
  }
  return { entries, warnings }
}
