/**
 * `oidc`: exchanges the job's GitHub OIDC identity for a short-lived registry token (JFrog
 * Artifactory, Cloudsmith), so the workflow stores no secret for the registry.
 *
 * Loaded only when an entry asks for it: it brings the HTTP requests (registry-http.ts).
 * Every failure happens before the config file is touched, so the file stays as it was.
 */
import type { CredentialFields, NpmAuthEntry, OidcRequest } from './entry.js'
import type { NetworkOptions, RegistryResponse } from './registry-http.js'
import { registryRequest } from './registry-http.js'
import { UnreachableError } from './errors.js'
import { tryParseJson } from './json.js'
import { isPlainObject } from './plain-object.js'
import { errorMessage } from './error-message.js'
import { OIDC_PROVIDER_NAMES } from './entry.js'
import type { OidcProvider } from './entry.js'
import { isLoopback } from './registries.js'
import { redactUrl } from './secrets.js'

/**
 * An `oidc` entry's settings, checked: the provider, the name sent (`oidc-provider-name` or
 * `oidc-service`), the audience (`oidc-audience`, else the provider's default; empty asks for
 * GitHub's default) and the exchange endpoint, with the names of the fields for messages.
 */
export interface OidcExchange {
  provider: OidcProvider
  name: string
  audience: string
  endpoint: string
  labels: { name: string; audience: string; exchangeUrl: string }
  /** Set when the endpoint's host is neither the registry's nor the provider's documented API host. */
  warning?: string
}

/** The credentials that an `oidc` exchange replaces: giving one of them as well is an error. */
const NOT_WITH_OIDC = ['token', 'auth', 'pat', 'username', 'password'] as const

/**
 * Checks an `oidc` entry's settings, before any request is made.
 *
 * @throws when the provider is unknown, a required setting is missing, one does not apply, a
 *   stored credential is given as well, or the endpoint cannot be told.
 */
export function settle(url: string, request: OidcRequest): OidcExchange {
  const { fields } = request
  const label = (field: keyof CredentialFields): string => request.name(field)
  const key = (field: keyof CredentialFields): string => request.key(field)
  const provider = fields.oidc ?? ''
  if (provider !== 'artifactory' && provider !== 'cloudsmith') {
    throw new Error(`${capital(label('oidc'))} must be artifactory or cloudsmith (or empty for no OIDC exchange), not "${provider}".`)
  }
  const extra = NOT_WITH_OIDC.filter(field => fields[field])
  if (extra.length > 0) {
    throw new Error(
      `${request.where} has ${label('oidc')} and also ${extra.map(label).join(', ')}. With OIDC the registry hands out the token, ` +
        `so no stored credential is needed: drop ${extra.map(f => `\`${key(f)}\``).join(', ')}.`
    )
  }
  const [needed, other]: (keyof CredentialFields)[] =
    provider === 'artifactory' ? ['oidcProviderName', 'oidcService'] : ['oidcService', 'oidcProviderName']
  const what =
    provider === 'artifactory'
      ? "the name of the OIDC integration in JFrog's Administration > General Management > Integrations"
      : 'the slug of the Cloudsmith service account'
  if (!fields[needed]) throw new Error(`${capital(label('oidc'))} is ${provider}, which needs ${label(needed)}: set it to ${what}.`)
  if (fields[other]) throw new Error(`${capital(label(other))} does not apply to ${provider}: remove it.`)
  const labels = { name: label(needed), audience: label('oidcAudience'), exchangeUrl: label('oidcExchangeUrl') }
  const endpoint = exchangeUrl(url, provider, fields.oidcExchangeUrl ?? '', labels.exchangeUrl)
  const exchange: OidcExchange = {
    provider,
    name: fields[needed] ?? '',
    audience: fields.oidcAudience || defaultAudience(provider),
    endpoint,
    labels
  }
  const warning = endpointWarning(url, exchange)
  if (warning) exchange.warning = warning
  return exchange
}

/**
 * The hosts each provider documents for its token exchange, besides the registry's own: JFrog's
 * exchange is on the platform that serves the registry (`<platform>/access/api/v1/oidc/token`);
 * Cloudsmith's on its API host (`https://api.cloudsmith.io/openid/<org>/`).
 */
export const EXCHANGE_HOSTS: Record<OidcProvider, readonly string[]> = { artifactory: [], cloudsmith: ['api.cloudsmith.io'] }

/**
 * The job's GitHub ID token goes to the exchange: never over plain http off this machine (an
 * error), and with a warning, naming both hosts, when the exchange is on neither the registry's
 * host nor one its provider documents (a mistyped or copied `oidc-exchange-url`).
 */
function endpointWarning(registryUrl: string, exchange: OidcExchange): string | undefined {
  const endpoint = new URL(exchange.endpoint)
  if (endpoint.protocol === 'http:' && !isLoopback(endpoint.hostname)) {
    throw new Error(
      `\`oidc\`: the token exchange for ${registryUrl}, ${redactUrl(exchange.endpoint)}, is plain http to another machine: the job's ` +
        `GitHub ID token would cross the network unencrypted. Set ${exchange.labels.exchangeUrl} to the exchange's https URL ` +
        '(unset, the exchange is taken from the registry URL).'
    )
  }
  const registry = new URL(registryUrl).hostname
  const documented = EXCHANGE_HOSTS[exchange.provider]
  if (endpoint.hostname === registry || documented.includes(endpoint.hostname)) return undefined
  const provider = OIDC_PROVIDER_NAMES[exchange.provider]
  const expected =
    documented.length > 0
      ? `neither the registry's host (${registry}) nor ${provider}'s (${documented.join(', ')})`
      : `not the registry's host (${registry})`
  return (
    `\`oidc\`: the job's GitHub ID token for ${registryUrl} goes to ${endpoint.hostname}, which is ${expected}. ` +
    `Check ${exchange.labels.exchangeUrl}: whoever runs that host can use the ID token until it expires.`
  )
}

/**
 * The audience of the ID token when none is given: what each vendor's own action asks for, so a
 * registry set up for it accepts this action's token unchanged (docs/oidc.md cites both).
 * jfrog/setup-jfrog-cli asks for none, which gives GitHub's default (the repository owner's URL);
 * cloudsmith-io/cloudsmith-cli-action asks for `https://github.com/<repository owner>` (since
 * v2.0.0). An empty audience means none is asked for.
 */
export function defaultAudience(provider: OidcProvider, env: Record<string, string | undefined> = process.env): string {
  return provider === 'artifactory' ? '' : `https://github.com/${env.GITHUB_REPOSITORY_OWNER ?? ''}`
}

export interface OidcOptions {
  network: NetworkOptions
  /** Registers a secret with the runner; called with each token the moment it exists. */
  mask: (values: string[]) => void
  /** Says what deserves attention but does not stop the step; called before any request. */
  warn: (message: string) => void
}

/**
 * The exchange endpoint: `oidc-exchange-url` when given; for Artifactory the registry's origin
 * + `/access/api/v1/oidc/token`; for Cloudsmith `https://api.cloudsmith.io/openid/<org>/`, the
 * org taken from a registry URL `https://npm.cloudsmith.io/<org>/<repo>/`.
 */
export function exchangeUrl(url: string, provider: OidcProvider, given: string, label: string): string {
  // Checked as every URL input is, when the entry was built (registries.ts, checkUrlInput).
  if (given) return given
  const registry = new URL(url)
  if (provider === 'artifactory') return `${registry.origin}/access/api/v1/oidc/token`
  const match = /^\/([^/]+)\/[^/]+\/?$/.exec(registry.pathname)
  if (registry.hostname !== 'npm.cloudsmith.io' || !match) {
    throw new Error(
      `${url} is not of the form https://npm.cloudsmith.io/<org>/<repo>/, so the Cloudsmith exchange endpoint cannot be told from it: ` +
        `set ${label} (for example https://api.cloudsmith.io/openid/<org>/).`
    )
  }
  return `https://api.cloudsmith.io/openid/${match[1]}/`
}

/**
 * Exchanges the ID token for a registry token for every `oidc` entry and returns the entries
 * with their tokens; the others are returned as they are. Endpoints are checked first, so a
 * mistake in one is reported before any request. Every exchange is tried; the error lists each
 * one that failed.
 */
export async function exchangeEntries(entries: NpmAuthEntry[], options: OidcOptions): Promise<NpmAuthEntry[]> {
  const exchanges = new Map(entries.flatMap(e => (e.oidc ? [[e, settle(e.url, e.oidc)] as const] : [])))
  if (exchanges.size === 0) return entries
  for (const { warning } of exchanges.values()) if (warning) options.warn(warning)
  const service = { url: process.env.ACTIONS_ID_TOKEN_REQUEST_URL ?? '', token: process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN ?? '' }
  if (!service.url || !service.token) {
    throw new Error(
      "`oidc` needs the job's OIDC ID token, but GitHub gave this job none (ACTIONS_ID_TOKEN_REQUEST_URL is not set). Add " +
        '`permissions: id-token: write` to the job (or the workflow). Pull requests from forks get no ID token even then: ' +
        'skip this step for them (if: github.event.pull_request.head.repo.full_name == github.repository).'
    )
  }
  // One ID token per audience: entries that share one share the request.
  const idTokens = new Map<string, Promise<string>>()
  const idTokenFor = (audience: string): Promise<string> => {
    let pending = idTokens.get(audience)
    if (!pending) idTokens.set(audience, (pending = requestIdToken(audience, service, options)))
    return pending
  }
  const settled = await Promise.allSettled(
    entries.map(async e => {
      const exchange = exchanges.get(e)
      if (!exchange) return e
      return exchangeEntry(e, exchange, await idTokenFor(exchange.audience), options)
    })
  )
  const failures = [...new Set(settled.flatMap(s => (s.status === 'rejected' ? [errorMessage(s.reason)] : [])))]
  if (failures.length > 0) throw new Error(failures.join(' '))
  return settled.map(s => (s as PromiseFulfilledResult<NpmAuthEntry>).value)
}

/**
 * Asks GitHub for the job's ID token, as `@actions/core`'s getIDToken does (GET
 * ACTIONS_ID_TOKEN_REQUEST_URL + `&audience=`, Bearer ACTIONS_ID_TOKEN_REQUEST_TOKEN, the token in
 * the answer's `value`), but through registryRequest, as every registry request: under the
 * step's network deadline, with its body limit, retries and socket cleanup (the toolkit's client
 * has no deadline: a stalled endpoint held the step until the job timed out). Masked before
 * anything else sees it.
 */
async function requestIdToken(audience: string, service: { url: string; token: string }, options: OidcOptions): Promise<string> {
  const url = `${service.url}${audience ? `&audience=${encodeURIComponent(audience)}` : ''}`
  const refused = (reason: string, cause?: unknown): Error =>
    new Error(
      `\`oidc\`: GitHub did not give the job an ID token for ${audience ? `the audience "${audience}"` : "GitHub's default audience"} (${reason}). Check that the job has \`permissions: id-token: write\`.`,
      { cause }
    )
  let response: RegistryResponse
  try {
    response = await registryRequest(url, { method: 'GET', headers: { authorization: `Bearer ${service.token}` } }, options.network)
  } catch (error) {
    if (error instanceof UnreachableError) throw refused(`cannot reach its ID token service: ${error.message}`, error)
    throw error
  }
  if (response.status < 200 || response.status >= 300) throw refused(`HTTP ${response.status}: ${errorText(response.text)}`)
  const parsed = tryParseJson(response.text)
  const idToken = isPlainObject(parsed) ? parsed.value : undefined
  if (typeof idToken !== 'string' || idToken === '') throw refused(`its answer, HTTP ${response.status}, holds no ID token`)
  options.mask([idToken])
  return idToken
}

/** Sends one exchange and returns the entry with the registry's token. */
async function exchangeEntry(entry: NpmAuthEntry, oidc: OidcExchange, idToken: string, options: OidcOptions): Promise<NpmAuthEntry> {
  const { endpoint } = oidc
  const provider = OIDC_PROVIDER_NAMES[oidc.provider]
  const body =
    oidc.provider === 'artifactory'
      ? // JFrog's token exchange (OAuth 2.0 token exchange, RFC 8693), with the optional fields
        // JFrog's own action sends, which tie the token to this run in Artifactory's logs.
        {
          grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
          subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
          subject_token: idToken,
          provider_name: oidc.name,
          gh_job_id: process.env.GITHUB_JOB ?? '',
          gh_run_id: process.env.GITHUB_RUN_ID ?? '',
          gh_repo: process.env.GITHUB_REPOSITORY ?? ''
        }
      : { oidc_token: idToken, service_slug: oidc.name }
  let response: RegistryResponse
  try {
    // Repeated on timeouts and 5xx as before (idempotent for registryRequest): an exchange that
    // worked unseen leaves a token with the expiry the provider's mapping sets, which ends by
    // itself, unlike the token a login PUT creates, which lives until someone revokes it.
    const request = {
      method: 'POST' as const,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      idempotent: true
    }
    response = await registryRequest(endpoint, request, options.network)
  } catch (error) {
    if (error instanceof UnreachableError)
      throw new Error(`\`oidc\`: cannot reach the ${provider} token exchange ${redactUrl(endpoint)} for ${entry.url}: ${error.message}.`, {
        cause: error
      })
    throw error
  }
  const sent = `${oidc.labels.name} "${oidc.name}"`
  if (response.status === 401 || response.status === 403) {
    throw new Error(
      `\`oidc\`: ${provider} refused the exchange for ${entry.url} with ${sent} (HTTP ${response.status}: ${errorText(response.text)}). ` +
        `The usual cause is the identity mapping: the claims it requires (such as \`repository\`, \`ref\` or the audience) must match this job's ID token. ` +
        `Check the ${oidc.provider === 'artifactory' ? "OIDC integration's identity mappings" : "service account's OIDC claims"} and ${oidc.labels.audience}.`
    )
  }
  if (response.status < 200 || response.status >= 300) {
    throw new Error(
      `\`oidc\`: the ${provider} token exchange ${redactUrl(endpoint)} answered HTTP ${response.status} for ${entry.url} with ${sent}: ${errorText(response.text)}.`
    )
  }
  const field = oidc.provider === 'artifactory' ? 'access_token' : 'token'
  const parsed = tryParseJson(response.text)
  if (parsed === undefined) {
    throw new Error(
      `\`oidc\`: the ${provider} token exchange ${redactUrl(endpoint)} answered HTTP ${response.status} with something that is not JSON. Check ${oidc.labels.exchangeUrl}.`
    )
  }
  const token = isPlainObject(parsed) ? parsed[field] : undefined
  if (typeof token !== 'string' || !/^[\x21-\x7e]+$/.test(token)) {
    throw new Error(
      `\`oidc\`: the ${provider} token exchange ${redactUrl(endpoint)} answered HTTP ${response.status} without a usable \`${field}\`. Check ${oidc.labels.exchangeUrl}.`
    )
  }
  // A new secret: the runner must know it before any line can show it.
  options.mask([token])
  const exchanged: NpmAuthEntry = { url: entry.url, token, alwaysAuth: entry.alwaysAuth, form: 'oidc', oidcProvider: oidc.provider }
  if (entry.email !== undefined) exchanged.email = entry.email
  return exchanged
}

/**
 * The registry's own error text, one line and short: Artifactory's `errors[].message`,
 * Cloudsmith's `detail`, GitHub's `message`, or the body as it is. Tokens in it are masked by the
 * runner already.
 */
export function errorText(body: string): string {
  let text = body
  // Not JSON, or JSON of another shape: the body as it is.
  const parsed = tryParseJson(body)
  if (isPlainObject(parsed)) {
    const errors: unknown[] = Array.isArray(parsed.errors) ? parsed.errors : []
    const messages = errors.map(e => (isPlainObject(e) ? e.message : undefined)).filter(m => typeof m === 'string')
    const first = [messages.join('; '), parsed.detail, parsed.message, parsed.error_description, parsed.error].find(
      v => typeof v === 'string' && v !== ''
    )
    if (typeof first === 'string') text = first
  }
  text = text.replace(/\s+/g, ' ').trim()
  if (text === '') return 'no error text'
  return text.length > 300 ? `${text.slice(0, 300)}...` : text
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
