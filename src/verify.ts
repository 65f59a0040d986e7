/**
 * `verify`: asks each registry whether it accepts the credential that was written, so a wrong or
 * expired secret fails this step with a clear message instead of Unity's package resolution later.
 *
 * The check is npm's `whoami` (`GET <url>/-/whoami`). Registries without it (Azure Artifacts,
 * for one) are asked for the search endpoint that Unity's Package Manager window uses. A registry
 * URL that ends in an npm scope (GitHub Packages' `https://npm.pkg.github.com/@OWNER`) has
 * neither below it, so it is asked for a package the manifest takes from it, as Unity will ask.
 */
import type { NpmAuthEntry } from './entry.js'
import type { NetworkOptions } from './registry-http.js'
import { authorizationHeader, isSendableHeaderValue, registryEndpoint, registryRequest } from './registry-http.js'
import { UnreachableError } from './errors.js'
import { tryParseJson } from './json.js'
import { isPlainObject } from './plain-object.js'
import { isGitHubPackagesUrl, urlScope } from './github-packages.js'
import { packagesFrom } from './manifest.js'
import type { LoadedManifest } from './manifest-check.js'

/**
 * - `ok`: the registry accepted the credential;
 * - `rejected`: it refused it (or treated the request as anonymous);
 * - `unreachable`: no usable answer (no connection, timeouts, server errors), so nothing is known;
 * - `unverified`: it answered, but has no endpoint that tells.
 *
 * With `verify` off there is no result at all (the summary says "not checked").
 */
export type VerifyStatus = 'ok' | 'rejected' | 'unreachable' | 'unverified'

/** The verdict for one registry, for the log and the job summary. Never holds the credential. */
export interface VerifyResult {
  url: string
  status: VerifyStatus
  /** The HTTP status the verdict rests on, when the registry answered. */
  httpStatus?: number
  /** One or two sentences that name the registry and its answer. */
  message: string
}

const WHOAMI = '/-/whoami'
const SEARCH = '/-/v1/search?text=upm-auth&size=1'

/**
 * A package document (packument) may list many versions; it is read only to see that it is one.
 * Far above any Unity package's, and still bounded.
 */
const MAX_PACKUMENT_BYTES = 32 * 1024 * 1024

/**
 * A Unity package name: lowercase letters, digits, `-`, `_` and `.` (Unity's manual, "Naming your
 * package"). Only such a name from the manifest becomes a request path: no `/`, `..` or `?`.
 */
const PACKAGE_NAME = /^[a-z0-9][a-z0-9._-]*$/

/**
 * Verifies every entry at once; each verdict is bounded in time by the network options.
 *
 * @param manifest the project's manifest, when the manifest check read one: the packages a
 *   registry URL ending in an npm scope is asked for.
 */
export function verifyEntries(entries: NpmAuthEntry[], options: NetworkOptions, manifest?: LoadedManifest): Promise<VerifyResult[]> {
  return Promise.all(entries.map(entry => verifyEntry(entry, options, manifest)))
}

/** Verifies one entry against its registry with the header Unity would send. */
export async function verifyEntry(entry: NpmAuthEntry, options: NetworkOptions, manifest?: LoadedManifest): Promise<VerifyResult> {
  const { url } = entry
  const authorization = authorizationHeader(entry)
  // fetch would refuse the header with a TypeError that reads like a network failure
  // ("Cannot reach ... (3 attempts)"); this says what is wrong, without the value.
  if (!isSendableHeaderValue(authorization)) throw new Error(unsendableCredential(entry))
  const request = { method: 'GET' as const, headers: { authorization } }
  try {
    const scope = urlScope(url)
    if (scope !== undefined) return await verifyScoped(url, scope, authorization, options, manifest)
    const whoami = await registryRequest(registryEndpoint(url, WHOAMI), request, options)
    const verdict = judgeWhoami(whoami.status, whoami.text)
    switch (verdict) {
      case 'ok':
        return {
          url,
          status: 'ok',
          httpStatus: whoami.status,
          message: `${url} accepted the credential (GET /-/whoami: HTTP ${whoami.status}).`
        }
      case 'rejected':
        return {
          url,
          status: 'rejected',
          httpStatus: whoami.status,
          message: `${url} rejected the credential (GET /-/whoami: HTTP ${whoami.status}).`
        }
      case 'anonymous':
        return {
          url,
          status: 'rejected',
          httpStatus: whoami.status,
          message: `${url} rejected the credential: GET /-/whoami answered HTTP ${whoami.status} without a user name, as for an anonymous request.`
        }
    }
    const search = await registryRequest(registryEndpoint(url, SEARCH), request, options)
    const noWhoami = `it has no /-/whoami (HTTP ${whoami.status})`
    if (isSuccess(search.status)) {
      return {
        url,
        status: 'ok',
        httpStatus: search.status,
        message: `${url} accepted the credential on its search endpoint (GET /-/v1/search: HTTP ${search.status}); ${noWhoami}, so this shows that the credential is not refused rather than what it may read.`
      }
    }
    if (search.status === 401 || search.status === 403) {
      return {
        url,
        status: 'rejected',
        httpStatus: search.status,
        message: `${url} rejected the credential (GET /-/v1/search: HTTP ${search.status}; ${noWhoami}).`
      }
    }
    return {
      url,
      status: 'unverified',
      httpStatus: search.status,
      message: `${url} cannot tell whether the credential works: ${noWhoami} and no search endpoint (HTTP ${search.status}).`
    }
  } catch (error) {
    if (error instanceof UnreachableError) {
      return { url, status: 'unreachable', httpStatus: error.httpStatus, message: `Cannot reach ${url}: ${error.message}.` }
    }
    throw error
  }
}

/**
 * Verifies a registry URL that ends in an npm scope by reading the first package the manifest
 * takes from it, the request Unity makes (`GET <url>/<name>`): that tells both whether the
 * credential is accepted and whether it may read what Unity will ask for.
 *
 * @throws UnreachableError when the registry gives no usable answer.
 */
async function verifyScoped(
  url: string,
  scope: string,
  authorization: string,
  options: NetworkOptions,
  manifest: LoadedManifest | undefined
): Promise<VerifyResult> {
  const why = `below a URL that ends in an npm scope (${scope}), /-/whoami and the search endpoint would be package names`
  const name = manifest && packagesFrom(url, manifest).find(n => PACKAGE_NAME.test(n))
  if (!manifest || name === undefined) {
    const where = manifest
      ? `${manifest.shown} takes none from this registry (no dependency under its scopes)`
      : 'no manifest was read (see the inputs `manifest` and `manifest-check`)'
    return {
      url,
      status: 'unverified',
      message: `${url} cannot be checked: ${why}, so \`verify\` reads a package the manifest takes from the registry, and ${where}.`
    }
  }
  const read = `GET /${name}`
  const response = await registryRequest(
    `${registryEndpoint(url, '/')}${name}`,
    { method: 'GET', headers: { authorization, accept: 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8' } },
    { ...options, maxBodyBytes: MAX_PACKUMENT_BYTES }
  )
  const status = response.status
  if (isSuccess(status) && isPlainObject(tryParseJson(response.text))) {
    return {
      url,
      status: 'ok',
      httpStatus: status,
      message: `${url} let the credential read ${name}, which ${manifest.shown} takes from it (${read}: HTTP ${status}).`
    }
  }
  if (status === 401 || status === 403) {
    return { url, status: 'rejected', httpStatus: status, message: `${url} rejected the credential (${read}: HTTP ${status}).` }
  }
  if (status === 404) {
    const github = isGitHubPackagesUrl(url, process.env.GITHUB_SERVER_URL)
      ? ' On GitHub Packages: give this repository read access to the package (package settings, Manage Actions access), ' +
        'check the owner in the URL, and use a token that may read packages (GITHUB_TOKEN with `permissions: packages: read`, ' +
        'or a personal access token (classic) with read:packages: GitHub Packages accepts no fine-grained token).'
      : ''
    return {
      url,
      status: 'rejected',
      httpStatus: status,
      message: `${url} has no ${name} that the credential may read (${read}: HTTP 404), and ${manifest.shown} takes it from there, so Unity will not get it either.${github}`
    }
  }
  return {
    url,
    status: 'unverified',
    httpStatus: status,
    message: `${url} cannot tell whether the credential works: ${why}, and reading ${name} (${read}) answered HTTP ${status}${isSuccess(status) ? ' with something that is not a package document' : ''}.`
  }
}

/** Why an entry's credential cannot be sent at all; names where it came from, never its value. */
export function unsendableCredential(entry: Pick<NpmAuthEntry, 'url' | 'form'>): string {
  // Only a token or an `_auth` given as such can hold one: derived `_auth` values are base64.
  const key = entry.form === 'auth' ? '_auth' : 'token'
  return (
    `The \`${key}\` for ${entry.url} holds a control character or a character above U+00FF, which an HTTP header cannot carry, ` +
    `so neither \`verify\` nor Unity can send it. Check the secret given as input \`${key === '_auth' ? 'auth' : 'token'}\` ` +
    `or as key \`${key}\` of the \`registries\` table [npmAuth."${entry.url}"] (a stray character from copying it, for example).`
  )
}

/**
 * Reads npm's whoami answer. A 2xx answer counts only with a user name in it: Verdaccio, for one,
 * answers `{}` with HTTP 200 to a request whose credential it does not know.
 */
export function judgeWhoami(status: number, body: string): 'ok' | 'rejected' | 'anonymous' | 'unsupported' {
  if (status === 401 || status === 403) return 'rejected'
  if (!isSuccess(status)) return 'unsupported'
  const parsed = tryParseJson(body)
  if (!isPlainObject(parsed)) return 'unsupported'
  const username = parsed.username
  return typeof username === 'string' && username.length > 0 ? 'ok' : 'anonymous'
}

/**
 * The error that fails the step when a registry rejected its credential or could not be reached,
 * with what to do; `undefined` when every registry is fine.
 */
export function verificationFailure(results: VerifyResult[]): string | undefined {
  const rejected = results.filter(r => r.status === 'rejected')
  const unreachable = results.filter(r => r.status === 'unreachable')
  if (rejected.length === 0 && unreachable.length === 0) return undefined
  const parts = [
    `\`verify\` failed for ${rejected.length + unreachable.length} of ${results.length} ${results.length === 1 ? 'registry' : 'registries'}.`
  ]
  if (rejected.length > 0) {
    parts.push(
      ...rejected.map(r => r.message),
      'Check that the secret is current, belongs to that registry, and is passed in the right input (a token as `token`, a password with `username`).'
    )
  }
  if (unreachable.length > 0) {
    parts.push(...unreachable.map(r => r.message), "Check the URL, and the runner's network and proxy settings (HTTPS_PROXY, NO_PROXY).")
  }
  return parts.join(' ')
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300
}
