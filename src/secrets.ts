/**
 * Pure: which values are secrets, and how a URL that may carry one is shown.
 *
 * The one place that knows what must never reach a log: the secret credential fields, the
 * user information somebody put into a registry URL, and the printable forms of such URLs.
 * Masking itself (registering values with the runner) is done by `mask` in src/inputs.ts,
 * with the values these functions pick out.
 */
import type { CredentialFields, NpmAuthEntry } from './entry.js'

/** The credential fields that hold a secret. */
export const SECRET_FIELDS = ['token', 'auth', 'pat', 'password'] as const

/** The secrets of a set of credential fields, to be masked before anything is logged. */
export function secretValues(fields: CredentialFields): string[] {
  return SECRET_FIELDS.map(f => fields[f]).filter((v): v is string => !!v)
}

/**
 * The secrets of one `registries` table: its secret fields, every value it read from the step
 * environment (`${NAME}`, email included: the workflow chose to keep it out of the text), and any
 * user information in its URLs (the table's own and its `oidc-exchange-url`).
 */
export function tableSecrets(table: { url: string; fields: CredentialFields; fromEnv: readonly string[] }): string[] {
  return [...secretValues(table.fields), ...table.fromEnv, ...[table.url, table.fields.oidcExchangeUrl ?? ''].flatMap(urlSecrets)]
}

/**
 * The values an entry writes that a log must never show: its token, and its `_auth`, which for
 * email + PAT and username + password is a new string (base64) the runner has never seen.
 */
export function entrySecrets(entry: NpmAuthEntry): string[] {
  return [entry.token ?? '', entry._auth ?? ''].filter(v => v.length > 0)
}

/** A URL's user information and its password part, if it carries any (secrets too, masked before anything is logged). */
export function urlSecrets(url: string): string[] {
  const span = userInfoSpan(url)
  if (!span) return []
  const userinfo = url.slice(span.start, span.end)
  const colon = userinfo.indexOf(':')
  return [userinfo, colon >= 0 ? userinfo.slice(colon + 1) : ''].filter(v => v.length > 0)
}

/** Where the authority of a URL begins as a person wrote it: after the scheme and any slashes or backslashes. */
function authorityStart(url: string): number {
  return /^(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?[\\/]*/.exec(url)?.[0].length ?? 0
}

/**
 * What may stand before an `@` that begins a path segment for that `@` to start an npm scope
 * (`https://npm.pkg.github.com/@owner`): a plain host (name, IPv4 or [IPv6], optional port),
 * then whole path segments without an `@`.
 */
const HOST_AND_PATH = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::\d+)?(?:[\\/][^@\\/?#]*)*$/

/**
 * Where a URL's user information is, as a URL parser sees it and as a person meant it: from
 * after the scheme and the slashes (or backslashes) that follow it, or a leading `//`, to the
 * last `@` that does not begin an npm scope. A password may hold `/`, `?` or `#`, which end the
 * authority for a parser (`https://ci:ab/SECRET@host/` is host `ci` to it), so any `@` counts,
 * except one that begins a path segment after a plain host (`host/@owner`, GitHub Packages'
 * scoped URL): that is a scope, never user information. `https://ci:ab/@host/` is still user
 * information (`ci:ab` is no host), and `https://u:p@host/@owner` is, up to the first `@`.
 */
export function userInfoSpan(url: string): { start: number; end: number } | undefined {
  const start = authorityStart(url)
  for (let end = url.lastIndexOf('@'); end >= start; end = url.lastIndexOf('@', end - 1)) {
    if (!beginsScope(url, start, end)) return { start, end }
  }
  return undefined
}

/** Whether the `@` at `at` begins a path segment after a plain host: an npm scope, not user information. */
function beginsScope(url: string, start: number, at: number): boolean {
  if (at === 0 || !'/\\'.includes(url[at - 1])) return false
  // The authority begins after the last user-information `@` before this one, if any.
  const before = url.slice(start, at - 1)
  const userInfoEnd = before.lastIndexOf('@')
  return HOST_AND_PATH.test(userInfoEnd >= 0 ? before.slice(userInfoEnd + 1) : before)
}

/**
 * A URL as it may appear in a message: user information (which may hold a password) is
 * replaced by `***`, whatever form it takes.
 */
export function redactUrl(url: string): string {
  const span = userInfoSpan(url)
  return span ? `${url.slice(0, span.start)}***${url.slice(span.end)}` : url
}

/** A refused URL as an error may quote it: its scheme and host at most, never its user information or path. */
export function quotableUrl(url: string): string {
  const span = userInfoSpan(url)
  const rest = url.slice(span ? span.end + 1 : authorityStart(url))
  const scheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:/.exec(url)?.[0] ?? ''
  const host = /^[A-Za-z0-9.-]*(?::\d+)?/.exec(rest)?.[0] ?? ''
  return `${scheme}//${host}${host.length < rest.length ? '/…' : ''}`
}
