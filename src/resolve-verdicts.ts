/**
 * Pure: what the answers to `resolve-check`'s requests mean for a package, in words a Unity
 * developer acts on, and the report of the whole check (log lines, the job summary's section,
 * the error that fails the step). No message holds a credential; names and URLs from the
 * project's files and versions from registries pass through `logSafe`, URLs through `redactUrl`
 * as well.
 */
import type { CredentialForm, NpmAuthEntry } from './entry.js'
import { tryParseJson } from './json.js'
import type { Message } from './messages.js'
import { isVersion } from './packages-lock.js'
import { logSafe } from './log-safe.js'
import type { RegistryPackage } from './packages-lock.js'
import { isPlainObject } from './plain-object.js'
import { registryEndpoint } from './registry-http.js'
import { redactUrl } from './secrets.js'
import { code, text } from './summary.js'

/** What the check reads: the project's packages, and where they were listed. */
export interface ResolveProject {
  /** The file the packages come from, as shown to the user. */
  file: string
  from: 'lock' | 'manifest'
  packages: RegistryPackage[]
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
export interface RegistryCredential {
  authorization: string
  alwaysAuth: boolean
  /** The entry this step wrote for the URL, if it wrote one: it says which input to check. */
  entry?: NpmAuthEntry
}

const UNREACHABLE_ADVICE = "Check the registry URL, and the runner's network and proxy settings (HTTPS_PROXY, NO_PROXY)."

/** The package as messages name it: `name@version from url`. */
function subject(pkg: RegistryPackage): string {
  return `${logSafe(pkg.name)}@${pkg.version} from ${shownUrl(pkg.url)}`
}

/** The verdict when no request got a usable answer; `why` is registry-http's description. */
export function unreachableVerdict(pkg: RegistryPackage, why: string, httpStatus: number | undefined): PackageVerdict {
  return { pkg, status: 'unreachable', httpStatus, message: `${subject(pkg)}: cannot be fetched: ${why}.`, advice: UNREACHABLE_ADVICE }
}

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
export function isPlainHttpUrl(url: string | URL): boolean {
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
  /** Whether a redirect led to another origin (which gets no credential). */
  redirectedAway: boolean
}

/** What a tarball's answer means for the package. */
export function judgeTarball(probe: Pick<TarballProbe, 'status' | 'sentCredential'>): ResolveStatus {
  const { status, sentCredential } = probe
  // 416: the range does not fit, which only a file that is there can say.
  if ((status >= 200 && status <= 299) || status === 416) return 'resolves'
  if (status === 401 || status === 403 || status === 404) return sentCredential ? (status === 404 ? 'missing' : 'refused') : 'no-credential'
  return 'unreachable'
}

/** The verdict for a packument answer that names no tarball to try. */
export function packumentVerdict(
  pkg: RegistryPackage,
  finding: Exclude<PackumentFinding, { kind: 'found' }>,
  credential: RegistryCredential
): PackageVerdict {
  const at = subject(pkg)
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

/** The verdict for the tarball's answer (the packument listed the version). */
export function tarballVerdict(pkg: RegistryPackage, probe: TarballProbe, credential: RegistryCredential): PackageVerdict {
  const at = subject(pkg)
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

/** The packages that were not checked, by registry and reason. */
export function notCheckedGroups(packages: RegistryPackage[], unusable: Map<string, string>, configFile: string): NotChecked[] {
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

/** The report of the whole check: log lines, the summary's section, and the error when a package cannot be fetched. */
export function buildReport(
  project: ResolveProject,
  verdicts: PackageVerdict[],
  notChecked: NotChecked[],
  configFile: string
): ResolveReport {
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
      ...failed.map(v => v.message),
      // Each piece of advice once, however many packages it is for.
      ...new Set(failed.flatMap(v => (v.advice === undefined ? [] : [v.advice])))
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
