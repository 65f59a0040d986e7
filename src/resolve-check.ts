/**
 * `resolve-check`: before Unity starts, does for every package the project locks what UPM will do
 * with the final config file, and says per package whether it will come down: GET the packument
 * `<url>/<name>` with the credential for exactly that URL, find the version, then a ranged GET of
 * its tarball with the credential sent only where UPM sends it (the registry's origin, or
 * anywhere with `alwaysAuth = true`). The tarball's body is never read.
 *
 * Loaded only when `resolve-check` is on. Nothing here logs: the step gets messages and the
 * summary's Markdown back. No message holds a credential; names and URLs from the project's files
 * and versions from registries pass through `logSafe`, URLs through `redactUrl` as well.
 */
import path from 'node:path'
import type { CredentialForm, NpmAuthEntry } from './entry.js'
import { ProjectFileError, UnreachableError } from './errors.js'
import { describeFsError, errorCode } from './fs-errors.js'
import type { Message } from './messages.js'
import { isPlainObject } from './plain-object.js'
import { projectFilePath, readProjectFile } from './project-file.js'
import type { ProjectFileLimit } from './project-file.js'
import { MANIFEST_LIMIT } from './manifest-check.js'
import { isVersion, logSafe, parseManifestPackages, parsePackagesLock } from './packages-lock.js'
import type { RegistryPackage } from './packages-lock.js'
import { authorizationHeader, isSendableHeaderValue, registryEndpoint, registryRequest } from './registry-http.js'
import type { NetworkOptions } from './registry-http.js'
import { tryParseJson } from './json.js'
import { redactUrl } from './secrets.js'
import { code, text } from './summary.js'

export const LOCK_FILE = 'packages-lock.json'

/** A lock file holds some tens of kilobytes (about 200 bytes a package); 4 MiB is far above any real one. */
export const LOCK_LIMIT: ProjectFileLimit = { bytes: 4 * 1024 * 1024, typical: 'a Unity lock file holds some tens of kilobytes' }

/**
 * A packument grows with every version published (full documents, from registries that ignore
 * the abbreviated form, hold each version's package.json); the step's 1 MiB for short answers
 * would fail a package with a long history, 8 MiB does not.
 */
export const PACKUMENT_MAX_BYTES = 8 * 1024 * 1024

/** Packages checked at once: enough to finish a large project within seconds, few enough for any registry. */
export const CONCURRENCY = 4

/** Redirects followed for a tarball (GitHub Packages, for one, may hand downloads to storage elsewhere). */
const MAX_REDIRECTS = 5

/** npm's Accept for installs: the abbreviated packument, else the full one (npm/pacote lib/registry.js). */
const PACKUMENT_ACCEPT = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*'

/** What the check reads: the project's packages, and where they were listed. */
export interface ResolveProject {
  /** The file the packages come from, as shown to the user. */
  file: string
  from: 'lock' | 'manifest'
  packages: RegistryPackage[]
}

/**
 * Reads Packages/packages-lock.json beside the manifest the `manifest` input names, or, without
 * one, the manifest itself. Runs before the config file is written, so a file that cannot be
 * used fails the step with the config file untouched.
 */
export function readProject(manifestInput: string, workspace: string): ResolveProject {
  if (manifestInput === '') {
    throw new Error(
      "Input `resolve-check` is true, but `manifest` is empty: the check reads the packages-lock.json beside the manifest. Set `manifest` to the Unity project's Packages/manifest.json."
    )
  }
  const manifest = projectFilePath(manifestInput, workspace)
  const lock = projectFilePath(path.join(path.dirname(manifest.file), LOCK_FILE), workspace)
  const lockText = readIfThere(lock, workspace, LOCK_LIMIT)
  if (lockText !== undefined) return { file: lock.shown, from: 'lock', packages: parsePackagesLock(lockText, lock.shown) }
  const manifestText = readIfThere(manifest, workspace, MANIFEST_LIMIT)
  if (manifestText === undefined) {
    throw new Error(
      `Input \`resolve-check\` is true, but there is neither ${lock.shown} nor ${manifest.shown}. Set \`manifest\` to the Unity project's Packages/manifest.json.`
    )
  }
  return { file: manifest.shown, from: 'manifest', packages: parseManifestPackages(manifestText, manifest.shown) }
}

function readIfThere(where: ReturnType<typeof projectFilePath>, workspace: string, limit: ProjectFileLimit): string | undefined {
  try {
    return readProjectFile(where, workspace, limit)
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined
    const why = error instanceof ProjectFileError ? error.message : `cannot be read: ${describeFsError(error)}`
    throw new Error(`\`resolve-check\` cannot use ${where.shown}, which ${why}. No request was made for it.`, { cause: error })
  }
}

/**
 * - `resolves`: the packument lists the version and its tarball answers;
 * - `refused`: the registry (or the tarball's host, with the credential) answered 401 or 403;
 * - `missing`: the package, the version or its tarball is not in that registry (404, or no such version);
 * - `no-credential`: the tarball lives on another host, where UPM sends no credential, and it wants one;
 * - `unreachable`: no usable answer (no connection, timeouts, server errors, something that is no packument).
 */
export type ResolveStatus = 'resolves' | 'refused' | 'missing' | 'no-credential' | 'unreachable'

/** The verdict for one package. Never holds a credential. */
export interface PackageVerdict {
  pkg: RegistryPackage
  status: ResolveStatus
  /** The HTTP status the verdict rests on, when there was an answer. */
  httpStatus?: number
  /** What happened, in a sentence that names the package and the registry. */
  message: string
  /** What to do about it (failures only). */
  advice?: string
}

/** Packages of one registry that were not checked, and why. */
export interface NotChecked {
  url: string
  reason: string
  names: string[]
}

export interface ResolveReport {
  verdicts: PackageVerdict[]
  notChecked: NotChecked[]
  /** Log lines, in order. */
  messages: Message[]
  /** The job summary's section. */
  summary: string
  /** The error that fails the step, when a package cannot be fetched. */
  failure?: string
}

/** A credential of the final file, as UPM would send it. */
interface RegistryCredential {
  authorization: string
  alwaysAuth: boolean
  /** The entry this step wrote for the URL, if it wrote one: it says which input to check. */
  entry?: NpmAuthEntry
}

export interface ResolveContext {
  /** What the final config file means. */
  final: Record<string, unknown>
  /** The entries this step wrote. */
  entries: NpmAuthEntry[]
  configFile: string
  network: NetworkOptions
}

/** Checks every package whose registry the final file has a usable credential for, {@link CONCURRENCY} at a time. */
export async function resolvePackages(project: ResolveProject, context: ResolveContext): Promise<ResolveReport> {
  const usable = new Map<string, RegistryCredential>()
  const unusable = new Map<string, string>()
  const npmAuth = isPlainObject(context.final.npmAuth) ? context.final.npmAuth : {}
  for (const url of new Set(project.packages.map(p => p.url))) {
    if (!Object.hasOwn(npmAuth, url)) continue
    const credential = credentialOf(
      npmAuth[url],
      context.entries.find(e => e.url === url)
    )
    if (typeof credential === 'string') unusable.set(url, credential)
    else usable.set(url, credential)
  }
  const checked = project.packages.filter(p => usable.has(p.url))
  const verdicts = await mapLimited(checked, CONCURRENCY, pkg =>
    checkPackage(pkg, usable.get(pkg.url) as RegistryCredential, context.network)
  )
  const notChecked = notCheckedGroups(
    project.packages.filter(p => !usable.has(p.url)),
    unusable,
    context.configFile
  )
  return report(project, verdicts, notChecked, context.configFile)
}

/** The credential UPM would send from a table of the final file, or why there is none it could. */
function credentialOf(table: unknown, entry: NpmAuthEntry | undefined): RegistryCredential | string {
  if (!isPlainObject(table)) return 'its npmAuth entry is not a table'
  const token = typeof table.token === 'string' && table.token !== '' ? table.token : undefined
  const auth = typeof table._auth === 'string' && table._auth !== '' ? table._auth : undefined
  if ((token === undefined) === (auth === undefined)) return 'its table has no single `token` or `_auth` (Unity refuses such a table)'
  const authorization = authorizationHeader({ token, _auth: auth })
  if (!isSendableHeaderValue(authorization))
    return 'its credential holds a character an HTTP header cannot carry, so Unity cannot send it either'
  // Absent counts as false, as in npm, whose `always-auth` Unity's key follows.
  return { authorization, alwaysAuth: table.alwaysAuth === true, entry }
}

/** Fetches what UPM would for one package; every failure becomes a verdict. */
async function checkPackage(pkg: RegistryPackage, credential: RegistryCredential, network: NetworkOptions): Promise<PackageVerdict> {
  const at = `${logSafe(pkg.name)}@${pkg.version} from ${shownUrl(pkg.url)}`
  try {
    const answer = await registryRequest(
      registryEndpoint(pkg.url, `/${pkg.name}`),
      { method: 'GET', headers: { authorization: credential.authorization, accept: PACKUMENT_ACCEPT } },
      { ...network, maxBodyBytes: PACKUMENT_MAX_BYTES }
    )
    const packument = readPackument(answer.status, answer.text, pkg.version)
    if (packument.kind !== 'found') return packumentVerdict(pkg, packument, credential, at)
    const sends = sendsCredential(packument.tarball, pkg.url, credential.alwaysAuth)
    const tarball = await probeTarball(packument.tarball, sends ? credential.authorization : undefined, network)
    return tarballVerdict(pkg, tarball, credential, at)
  } catch (error) {
    if (error instanceof UnreachableError) {
      return {
        pkg,
        status: 'unreachable',
        httpStatus: error.httpStatus,
        message: `${at}: cannot be fetched: ${error.message}.`,
        advice: UNREACHABLE_ADVICE
      }
    }
    throw error
  }
}

const UNREACHABLE_ADVICE = "Check the registry URL, and the runner's network and proxy settings (HTTPS_PROXY, NO_PROXY)."

/** What a packument answer says about one version. */
export type PackumentFinding =
  | { kind: 'found'; tarball: string }
  | { kind: 'refused'; status: number }
  | { kind: 'no-package'; status: number }
  | { kind: 'no-version'; latest?: string }
  | { kind: 'unusable'; status: number; why: string }

/** Reads the registry's answer to `GET <url>/<name>` for one version. */
export function readPackument(status: number, body: string, version: string): PackumentFinding {
  if (status === 401 || status === 403) return { kind: 'refused', status }
  if (status === 404) return { kind: 'no-package', status }
  if (status < 200 || status > 299) {
    const why = status >= 300 && status < 400 ? 'a redirect, which the check does not follow with the credential' : 'no answer UPM can use'
    return { kind: 'unusable', status, why }
  }
  const doc = tryParseJson(body)
  if (!isPlainObject(doc) || !isPlainObject(doc.versions)) {
    return { kind: 'unusable', status, why: 'not npm package metadata (a login page of a proxy in front of the registry, perhaps)' }
  }
  const entry = Object.hasOwn(doc.versions, version) ? doc.versions[version] : undefined
  if (entry === undefined) {
    const tags = doc['dist-tags']
    const latest = isPlainObject(tags) && typeof tags.latest === 'string' && isVersion(tags.latest) ? tags.latest : undefined
    return { kind: 'no-version', latest }
  }
  const tarball = isPlainObject(entry) && isPlainObject(entry.dist) ? entry.dist.tarball : undefined
  if (typeof tarball !== 'string' || !isPlainHttpUrl(tarball)) {
    return { kind: 'unusable', status, why: `no plain http(s) \`dist.tarball\` for version ${version}` }
  }
  return { kind: 'found', tarball }
}

/** An http(s) URL without user information (which fetch refuses to send). */
function isPlainHttpUrl(url: string | URL): boolean {
  if (typeof url === 'string' && !URL.canParse(url)) return false
  const parsed = new URL(url)
  return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.username === '' && parsed.password === ''
}

/**
 * Whether UPM sends the registry's credential with a tarball request: to the registry's own
 * origin, or anywhere with `alwaysAuth = true` (Unity manual, upm-config-scoped: alwaysAuth is for
 * tarballs on another server). Unity does not publish its exact comparison; this takes the origin
 * (scheme, host and port), which npm-registry-fetch narrows only by not comparing the scheme.
 */
export function sendsCredential(tarballUrl: string, registryUrl: string, alwaysAuth: boolean): boolean {
  return alwaysAuth || new URL(tarballUrl).origin === new URL(registryUrl).origin
}

/** The last answer of a tarball probe, and whether the credential went with it. */
export interface TarballProbe {
  status: number
  /** The origin that gave the last answer. */
  origin: string
  sentCredential: boolean
  /** Whether a redirect led to another origin (which gets no credential, as with any HTTP client). */
  redirectedAway: boolean
}

/**
 * A ranged GET of a tarball (`Range: bytes=0-0`; a registry may ignore the range, and the body is
 * never read either way), following redirects: the credential goes to a redirect's target only
 * on the origin it was sent to, as Node's fetch and npm do.
 */
async function probeTarball(url: string, authorization: string | undefined, network: NetworkOptions): Promise<TarballProbe> {
  let target = new URL(url)
  let credential = authorization
  let redirectedAway = false
  for (let hop = 0; ; hop++) {
    const headers: Record<string, string> = { accept: '*/*', range: 'bytes=0-0' }
    if (credential !== undefined) headers.authorization = credential
    const answer = await registryRequest(target.href, { method: 'GET', headers, readBody: false }, network)
    const location = answer.headers.get('location')
    const next = location !== null && URL.canParse(location, target.href) ? new URL(location, target) : undefined
    if (answer.status < 300 || answer.status > 399 || next === undefined || !isPlainHttpUrl(next) || hop === MAX_REDIRECTS) {
      return { status: answer.status, origin: target.origin, sentCredential: credential !== undefined, redirectedAway }
    }
    if (next.origin !== target.origin) {
      credential = undefined
      redirectedAway = true
    }
    target = next
  }
}

/** What a tarball's answer means for the package. */
export function judgeTarball(probe: Pick<TarballProbe, 'status' | 'sentCredential'>): ResolveStatus {
  const { status, sentCredential } = probe
  // 416: the range does not fit, which only a file that is there can say.
  if ((status >= 200 && status <= 299) || status === 416) return 'resolves'
  if (status === 401 || status === 403 || status === 404) return sentCredential ? (status === 404 ? 'missing' : 'refused') : 'no-credential'
  return 'unreachable'
}

function packumentVerdict(
  pkg: RegistryPackage,
  finding: Exclude<PackumentFinding, { kind: 'found' }>,
  credential: RegistryCredential,
  at: string
): PackageVerdict {
  const request = `GET ${shownUrl(registryEndpoint(pkg.url, `/${pkg.name}`))}`
  switch (finding.kind) {
    case 'refused':
      return {
        pkg,
        status: 'refused',
        httpStatus: finding.status,
        message: `${at}: the registry refused the credential (${request}: HTTP ${finding.status}).`,
        advice: `${refusedAdvice(credential, pkg.url)}${githubPackagesHint(pkg.url)}`
      }
    case 'no-package':
      return {
        pkg,
        status: 'missing',
        httpStatus: finding.status,
        message: `${at}: the registry has no package ${logSafe(pkg.name)} (${request}: HTTP ${finding.status}).`,
        advice:
          'Either a scope in the manifest sends it to the wrong registry, the registry URL is wrong, it was never published there' +
          `${isGitHubPackages(pkg.url) ? ', or this repository has not been granted access to it on GitHub Packages (the package\'s settings, "Manage Actions access")' : ''}.` +
          ' Private registries also answer 404 to a credential that may not read the package.'
      }
    case 'no-version':
      return {
        pkg,
        status: 'missing',
        httpStatus: 200,
        message: `${at}: the registry has ${logSafe(pkg.name)}, but not version ${pkg.version}${finding.latest ? ` (its latest is ${finding.latest})` : ''}.`,
        advice:
          'The version was unpublished, or never published to this registry: publish it again, or update the package in Unity, which rewrites packages-lock.json.'
      }
    case 'unusable':
      return {
        pkg,
        status: 'unreachable',
        httpStatus: finding.status,
        message: `${at}: ${request} answered HTTP ${finding.status}, ${finding.why}.`,
        advice: UNREACHABLE_ADVICE
      }
  }
}

function tarballVerdict(pkg: RegistryPackage, probe: TarballProbe, credential: RegistryCredential, at: string): PackageVerdict {
  const status = judgeTarball(probe)
  const answered = `its tarball on ${probe.origin} answered HTTP ${probe.status}`
  const base = { pkg, status, httpStatus: probe.status }
  switch (status) {
    case 'resolves':
      return { ...base, message: `${at} resolves: the registry lists the version, and ${answered}.` }
    case 'refused':
      return { ...base, message: `${at}: ${answered} with the credential.`, advice: refusedAdvice(credential, pkg.url) }
    case 'missing':
      return {
        ...base,
        message: `${at}: the registry lists the version, but ${answered}.`,
        advice: 'The tarball is gone from the registry: publish the version again.'
      }
    case 'no-credential': {
      const why = probe.redirectedAway
        ? 'the registry redirected the download to another host, which gets no credential'
        : `it lives on another host than the registry, and alwaysAuth is false there, so Unity sends it no credential`
      return {
        ...base,
        message: `${at}: ${why}; without one, ${answered}.`,
        advice: probe.redirectedAway
          ? 'The registry must hand out a download link that needs no credential; ask its administrator.'
          : `Set \`always-auth: true\` (or \`alwaysAuth = true\` in the [npmAuth."${shownUrl(pkg.url)}"] table) so Unity sends the credential to the tarball's host too.`
      }
    }
    case 'unreachable':
      return { ...base, message: `${at}: ${answered}, which UPM cannot use.`, advice: UNREACHABLE_ADVICE }
  }
}

/** Which input holds the refused credential, in the words of the form it was given in. */
function refusedAdvice(credential: RegistryCredential, url: string): string {
  const inputs: Record<CredentialForm, string> = {
    token: 'the secret given as `token`',
    auth: 'the secret given as `auth` (`_auth`)',
    'email+pat': 'the secrets given as `email` and `pat`',
    'username+password': 'the secrets given as `username` and `password`',
    login: 'the secrets given as `username` and `password` (`login` made the token)',
    oidc: "the OIDC settings (the registry's trust of this repository and workflow, the `oidc-*` inputs)"
  }
  const which = credential.entry
    ? `${inputs[credential.entry.form]}, or as that key of the [npmAuth."${shownUrl(url)}"] table in \`registries\``
    : `the [npmAuth."${shownUrl(url)}"] table that was already in the config file (this step did not write it)`
  return `Check ${which}: that it is current, belongs to this registry, and may read this package.`
}

const GITHUB_PACKAGES_HOST = 'npm.pkg.github.com'

function isGitHubPackages(url: string): boolean {
  return new URL(url).hostname === GITHUB_PACKAGES_HOST
}

/** GitHub Packages gives a token only the packages granted to it (docs.github.com, "Ensuring workflow access to your package"). */
function githubPackagesHint(url: string): string {
  return isGitHubPackages(url)
    ? ' On GitHub Packages, the token needs read:packages, and a GITHUB_TOKEN reads only packages that grant this repository access (the package\'s settings, "Manage Actions access").'
    : ''
}

/** A URL from the project's files, as a message may show it. */
function shownUrl(url: string): string {
  return logSafe(redactUrl(url))
}

function notCheckedGroups(packages: RegistryPackage[], unusable: Map<string, string>, configFile: string): NotChecked[] {
  const groups = new Map<string, NotChecked>()
  for (const pkg of packages) {
    const reason = pkg.unscoped
      ? 'no scoped registry in the manifest covers them, so Unity asks its main registry, without credentials'
      : (unusable.get(pkg.url) ?? `${configFile} has no credentials for it, so Unity asks it without any (fine for a public registry)`)
    const key = `${pkg.url}\n${reason}`
    const group = groups.get(key) ?? { url: pkg.url, reason, names: [] }
    group.names.push(pkg.name)
    groups.set(key, group)
  }
  return [...groups.values()]
}

const LABELS: Record<ResolveStatus, string> = {
  resolves: 'resolves',
  refused: 'credential refused',
  missing: 'not in that registry',
  'no-credential': 'tarball host gets no credential',
  unreachable: 'cannot fetch'
}

function report(project: ResolveProject, verdicts: PackageVerdict[], notChecked: NotChecked[], configFile: string): ResolveReport {
  const failed = verdicts.filter(v => v.status !== 'resolves')
  const messages: Message[] = verdicts.filter(v => v.status === 'resolves').map(v => ({ level: 'info', text: v.message }))
  for (const group of notChecked) {
    messages.push({
      level: 'info',
      text: `Not checked: ${countOf(group.names.length)} from ${shownUrl(group.url)}: ${group.reason} (${namesText(group.names)}).`
    })
  }
  const total = project.packages.length
  if (total === 0) {
    messages.push({
      level: 'info',
      text: `\`resolve-check\`: ${project.file} lists no package that Unity fetches from a registry; nothing to check.`
    })
  } else if (verdicts.length === 0) {
    messages.push({
      level: 'warning',
      text:
        `\`resolve-check\` checked nothing: none of the ${countOf(total)} in ${project.file} comes from a registry that ${configFile} has a usable credential for. ` +
        'If one of them is private, the manifest check names the URL to configure.'
    })
  }
  const result: ResolveReport = { verdicts, notChecked, messages, summary: renderSection(project, verdicts, notChecked, configFile) }
  if (failed.length > 0) {
    result.failure = [
      `\`resolve-check\`: ${failed.length} of ${countOf(verdicts.length)} checked in ${project.file} cannot be fetched with the credentials in ${configFile}.`,
      ...failed.map(v => `${v.message} ${v.advice ?? ''}`.trim())
    ].join(' ')
  }
  return result
}

/** The job summary's section: one row per checked package, then what was not checked. */
export function renderSection(project: ResolveProject, verdicts: PackageVerdict[], notChecked: NotChecked[], configFile: string): string {
  const lines = [
    '### Packages Unity will fetch (`resolve-check`)',
    '',
    `From ${code(project.file)}, with the credentials in ${code(configFile)}:`,
    ''
  ]
  if (verdicts.length > 0) {
    lines.push('| Package | Version | Registry | Result | What to do |', '| --- | --- | --- | --- | --- |')
    for (const v of verdicts) {
      const result = v.httpStatus === undefined ? LABELS[v.status] : `${LABELS[v.status]} (HTTP ${v.httpStatus})`
      const cells = [code(logSafe(v.pkg.name)), code(v.pkg.version), code(shownUrl(v.pkg.url)), text(result), text(v.advice ?? '')]
      lines.push(`| ${cells.join(' | ')} |`)
    }
  } else {
    lines.push('No package comes from a registry the file has a usable credential for.')
  }
  if (notChecked.length > 0) lines.push('', 'Not checked:', '')
  for (const group of notChecked) {
    lines.push(`- ${code(shownUrl(group.url))}: ${countOf(group.names.length)}: ${text(group.reason)} (${text(namesText(group.names))})`)
  }
  return lines.join('\n') + '\n'
}

function countOf(n: number): string {
  return `${n} ${n === 1 ? 'package' : 'packages'}`
}

/** Up to five names, escaped, then how many more. */
function namesText(names: string[]): string {
  const shown = names.slice(0, 5).map(logSafe).join(', ')
  return names.length > 5 ? `${shown} and ${names.length - 5} more` : shown
}

/** Runs `work` on every item, at most `limit` at once, keeping the items' order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++
      results[index] = await work(items[index])
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}
