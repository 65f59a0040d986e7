/**
 * Pure logic: the project's scoped registries (Packages/manifest.json) against the credentials
 * in the user config file.
 *
 * Unity sends a registry's credentials only when the npmAuth key equals the scoped registry's
 * `url` exactly; it documents no normalisation. A trailing slash, `http` for `https`, a
 * capital letter in the host or an explicit default port is enough for Unity to send nothing
 * and for the package download to fail with a 401 or 404 that says nothing about the cause.
 */
import { ManifestError } from './errors.js'
import { redactUrl } from './secrets.js'
import { JsonSyntaxError, lineOf, parseJson, tryParseJson } from './json.js'
import { isPlainObject } from './plain-object.js'

/** One `scopedRegistries` entry of the manifest. */
export interface ScopedRegistry {
  name: string
  url: string
  /** The package name prefixes Unity takes from this registry (the string ones of `scopes`). */
  scopes: string[]
  /** 1-based line of the registry's `"url"` in the manifest text, when it could be found. */
  line?: number
}

/** What the action reads of a project manifest. */
export interface ProjectManifest {
  registries: ScopedRegistry[]
  /** The names in `dependencies`, in the manifest's order. */
  dependencies: string[]
}

export type ManifestStatus = 'matched' | 'missing' | 'near-miss' | 'public'

/** What the config file holds for one scoped registry. */
export interface ManifestFinding {
  registry: ScopedRegistry
  status: ManifestStatus
  /** For a near miss: the URL the config file has credentials for. */
  configured?: string
  /** For a near miss: how the two URLs differ, in words. */
  differences?: string[]
}

/**
 * Reads the scoped registries and the dependencies' names from a manifest's text.
 *
 * @param file the manifest's path as the user knows it, for error messages.
 */
export function parseManifest(text: string, file: string): ProjectManifest {
  const json = text.replace(/^\uFEFF/, '')
  let doc: unknown
  try {
    doc = parseJson(json)
  } catch (error) {
    // The position only: the text may be anything a link pointed at, a config file with a token for one.
    if (!(error instanceof JsonSyntaxError)) throw error
    throw new ManifestError(
      `${file} is not valid JSON: ${error.message}. Unity cannot read it either: fix the manifest (JSON allows no comments, ` +
        'single quotes or trailing commas), or set `manifest` to the right file.',
      { cause: error }
    )
  }
  const fix = 'Fix the manifest (Unity cannot resolve packages with it either), or set `manifest-check: off`.'
  if (!isPlainObject(doc)) throw new ManifestError(`${file} is not a Unity project manifest: its top level is not a JSON object. ${fix}`)
  const dependencies = isPlainObject(doc.dependencies) ? Object.keys(doc.dependencies) : []
  const list = doc.scopedRegistries
  if (list === undefined) return { registries: [], dependencies }
  if (!Array.isArray(list)) throw new ManifestError(`${file}: \`scopedRegistries\` is not an array. ${fix}`)

  const urlLines = findUrlLines(json)
  const registries = list.map((entry: unknown, index) => {
    if (!isPlainObject(entry) || typeof entry.url !== 'string') {
      throw new ManifestError(`${file}: scopedRegistries[${index}] has no \`url\` string. ${fix}`)
    }
    const at = urlLines.findIndex(u => u.value === entry.url)
    const line = at >= 0 ? urlLines.splice(at, 1)[0].line : undefined
    const scopes = Array.isArray(entry.scopes) ? entry.scopes.filter((scope: unknown) => typeof scope === 'string') : []
    return { name: typeof entry.name === 'string' ? entry.name : '', url: entry.url, scopes, line }
  })
  return { registries, dependencies }
}

/**
 * The dependencies Unity takes from the scoped registry whose `url` is exactly `url`: those whose
 * name is, or starts with, one of its scopes followed by a dot, where no other registry has a
 * longer such scope (Unity's rule for choosing a registry).
 */
export function packagesFrom(url: string, manifest: ProjectManifest): string[] {
  return manifest.dependencies.filter(name => scopedRegistryFor(name, manifest.registries)?.url === url)
}

/**
 * The scoped registry UPM asks for a package: the one with the longest scope that is the name
 * itself or a dot-separated prefix of it (`com.example` covers `com.example` and
 * `com.example.tools`, not `com.examples`). The first registry wins a tie.
 */
export function scopedRegistryFor<R extends { scopes: readonly string[] }>(name: string, registries: readonly R[]): R | undefined {
  let best: R | undefined
  let bestLength = -1
  for (const registry of registries) {
    for (const scope of registry.scopes) {
      if ((name === scope || name.startsWith(`${scope}.`)) && scope.length > bestLength) {
        best = registry
        bestLength = scope.length
      }
    }
  }
  return best
}

/**
 * Registries that serve public packages and need no credentials. OpenUPM is the one most Unity
 * projects list; warning about it on every run would teach users to ignore the warnings.
 */
const PUBLIC_HOSTS = new Set(['package.openupm.com', 'package.openupm.cn'])

/**
 * Compares each scoped registry with the registry URLs that have credentials in the final
 * config file: an exact match, a near miss (the same registry written differently, which
 * Unity does not match), or missing.
 */
export function compareWithConfig(registries: ScopedRegistry[], configuredUrls: string[]): ManifestFinding[] {
  return registries.map(registry => {
    if (configuredUrls.includes(registry.url)) return { registry, status: 'matched' }
    const key = sameRegistryKey(registry.url)
    const configured = key === undefined ? undefined : configuredUrls.find(url => sameRegistryKey(url) === key)
    if (configured !== undefined) {
      return { registry, status: 'near-miss', configured, differences: differences(registry.url, configured) }
    }
    return { registry, status: isPublic(registry.url) ? 'public' : 'missing' }
  })
}

/**
 * A URL reduced to what Unity users mean by "the same registry": the host without letter case,
 * the port unless it is a default one, and the path without trailing slashes; the scheme
 * (http or https) is left out.
 */
function sameRegistryKey(url: string): string | undefined {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return undefined
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined
  const port = parsed.port === '' || parsed.port === '80' || parsed.port === '443' ? '' : `:${parsed.port}`
  return `${parsed.hostname}${port}${parsed.pathname.replace(/\/+$/, '')}`
}

function isPublic(url: string): boolean {
  try {
    return PUBLIC_HOSTS.has(new URL(url).hostname)
  } catch {
    return false
  }
}

/** How two URLs of the same registry differ, in words a user can act on. */
function differences(wanted: string, configured: string): string[] {
  const split = (url: string): { scheme: string; host: string; port: string; path: string } => {
    // An unmatched group is undefined at run time, whatever the type of exec's result says.
    const [, scheme = '', host = '', port = '', path = ''] = (/^([^:]*):\/\/([^/?#:]*)(?::(\d*))?(.*)$/.exec(url) ?? []) as (
      string | undefined
    )[]
    return { scheme, host, port, path }
  }
  const a = split(wanted)
  const b = split(configured)
  const found: string[] = []
  if (a.scheme.toLowerCase() !== b.scheme.toLowerCase()) found.push(`${b.scheme} instead of ${a.scheme}`)
  else if (a.scheme !== b.scheme) found.push('letter case in the scheme')
  if (a.host !== b.host) found.push('letter case in the host')
  if (a.port !== b.port) {
    if (!a.port) found.push(`the default port :${b.port} written out`)
    else if (!b.port) found.push(`no port, where the manifest writes :${a.port}`)
    else found.push(`port :${b.port} instead of :${a.port}`)
  }
  const trimmedA = a.path.replace(/\/+$/, '')
  const trimmedB = b.path.replace(/\/+$/, '')
  if (a.path !== b.path && trimmedA === trimmedB) {
    found.push(b.path.length > a.path.length ? 'a trailing slash the manifest does not have' : 'a missing trailing slash')
  } else if (a.path !== b.path) found.push('the spelling of the path')
  return found.length > 0 ? found : ['a different spelling']
}

/**
 * The message for a finding that deserves one (missing or near miss), naming the exact URL to
 * use. URLs are shown without user information, which may hold a password.
 *
 * @param manifest the manifest's path as shown to the user.
 * @param configFile the user config file's path.
 */
export function describeFinding(finding: ManifestFinding, manifest: string, configFile: string): string | undefined {
  const { registry } = finding
  const wanted = JSON.stringify(redactUrl(registry.url))
  const name = registry.name ? `Scoped registry "${registry.name}"` : 'A scoped registry'
  if (finding.status === 'near-miss' && finding.configured !== undefined) {
    const configured = JSON.stringify(redactUrl(finding.configured))
    return (
      `${name} in ${manifest} has url ${wanted}, but ${configFile} has credentials for ${configured} ` +
      `(${(finding.differences ?? []).join(', ')}). Unity matches the URL exactly and will not send them: ` +
      `use exactly ${wanted} as \`registry-url\` (or as the key of the \`registries\` table), or change the manifest's url to ${configured}.`
    )
  }
  if (finding.status === 'missing') {
    return (
      `${name} in ${manifest} (url ${wanted}) has no credentials in ${configFile}, so Unity will request its packages ` +
      `without any. Configure exactly ${wanted} (\`registry-url\`, or a \`registries\` table), unless the registry is public.`
    )
  }
  return undefined
}

/**
 * What the summary says about a URL this step configured: whether the manifest lists it.
 */
export function manifestMatch(url: string, findings: ManifestFinding[]): string {
  const matched = findings.find(f => f.status === 'matched' && f.registry.url === url)
  if (matched) return matched.registry.name ? `yes (${matched.registry.name})` : 'yes'
  const near = findings.find(f => f.status === 'near-miss' && f.configured === url)
  if (near) return `near miss: the manifest has ${redactUrl(near.registry.url)}`
  return 'no'
}

/** Every `"url": "..."` pair in the text with its line, in order, to point annotations at. */
function findUrlLines(text: string): { value: string; line: number }[] {
  const found: { value: string; line: number }[] = []
  for (const match of text.matchAll(/"url"\s*:\s*("(?:[^"\\\r\n]|\\.)*")/g)) {
    // The manifest parsed, so each string in it does too; a match that is not one is skipped, never quoted.
    const value = tryParseJson(match[1])
    if (typeof value === 'string') found.push({ value, line: lineOf(text, match.index) })
  }
  return found
}

export type ManifestCheck = 'warn' | 'error' | 'off'
const MANIFEST_CHECKS: readonly ManifestCheck[] = ['warn', 'error', 'off']

/** Parses the `manifest-check` input. */
export function parseManifestCheck(value: string): ManifestCheck {
  if ((MANIFEST_CHECKS as readonly string[]).includes(value)) return value as ManifestCheck
  throw new Error(`Input \`manifest-check\` must be one of ${MANIFEST_CHECKS.join(', ')}, not "${value}".`)
}
