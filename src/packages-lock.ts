/**
 * Pure: which packages of a Unity project UPM fetches from a registry, and from which URL. From
 * Packages/packages-lock.json when there is one (every `"source": "registry"` entry, with the
 * `version` and `url` it was resolved from); else from the manifest's direct dependencies, each
 * routed to the scoped registry whose scope matches it best, as UPM routes them.
 *
 * Both files come from the branch being built: anyone who can push one may have written them.
 * Every package name, version and URL is checked before anything uses it, and a file holding one
 * that Unity would never write is refused whole, before any request is made for it.
 */
import { logSafe } from './log-safe.js'
import { scopedRegistryFor } from './manifest.js'
import { JsonSyntaxError, parseJson } from './json.js'
import { isPlainObject } from './plain-object.js'

/** A package UPM fetches from a registry. */
export interface RegistryPackage {
  name: string
  /** The version UPM asks for: the locked one, or the one the manifest names. */
  version: string
  /** The registry it comes from, exactly as the file writes it (the key its credentials need). */
  url: string
  /** From the manifest only: no scoped registry's scopes cover the name, so UPM asks its main registry. */
  unscoped?: true
}

/** UPM's main registry unless the manifest's `registry` overrides it (Unity manual, upm-manifestPrj). */
export const UNITY_REGISTRY = 'https://packages.unity.com'

/**
 * A Unity lock file lists every package of the project once; a few hundred is a large project.
 * More than this is no lock file Unity wrote, and would only make the check slow.
 */
export const MAX_PACKAGES = 2000

/** A registry of the manifest's `scopedRegistries`, with the name prefixes it serves. */
export interface ScopedRegistryScopes {
  url: string
  scopes: string[]
}

/**
 * Reads the registry packages of a packages-lock.json text.
 *
 * @param file the lock file's path as shown to the user.
 * @throws Error naming the file, the entry and what to do, when the file is not one Unity wrote.
 */
export function parsePackagesLock(text: string, file: string): RegistryPackage[] {
  const refuse = refusal(
    file,
    'lock file',
    'Unity writes this file itself: restore it from version control, or delete it and let Unity write it again'
  )
  const doc = parseProjectJson(text, refuse)
  if (!isPlainObject(doc) || !isPlainObject(doc.dependencies)) throw refuse('its top level has no `dependencies` object')
  const entries = Object.entries(doc.dependencies)
  if (entries.length > MAX_PACKAGES)
    throw refuse(
      `it lists ${entries.length} packages; a Unity project locks a few hundred at most, and at most ${MAX_PACKAGES} are checked`
    )
  const packages: RegistryPackage[] = []
  for (const [name, entry] of entries) {
    checkName(name, refuse)
    if (!isPlainObject(entry)) throw refuse(`the entry of ${quoted(name)} is not an object`)
    if (entry.source !== 'registry') continue
    const { version, url } = entry
    if (typeof version !== 'string' || !isVersion(version)) {
      throw refuse(`the entry of ${quoted(name)} has no SemVer \`version\` (${describe(version)})`)
    }
    if (typeof url !== 'string' || !isRegistryUrl(url))
      throw refuse(`the entry of ${quoted(name)} has no http(s) \`url\` (${describe(url)})`)
    packages.push({ name, version, url })
  }
  return packages
}

/**
 * Reads the direct dependencies of a manifest text that UPM fetches from a registry (those given
 * as a version; Git URLs and `file:` paths are not), each with the registry its name routes to.
 *
 * @param file the manifest's path as shown to the user.
 * @throws Error naming the file and what is wrong, when it is not a manifest Unity can use.
 */
export function parseManifestPackages(text: string, file: string): RegistryPackage[] {
  const refuse = refusal(file, 'manifest', 'Fix the manifest (Unity cannot resolve packages with it either)')
  const doc = parseProjectJson(text, refuse)
  if (!isPlainObject(doc)) throw refuse('its top level is not a JSON object')
  const main = doc.registry === undefined ? UNITY_REGISTRY : doc.registry
  if (typeof main !== 'string' || !isRegistryUrl(main)) throw refuse(`its \`registry\` is not an http(s) URL (${describe(main)})`)
  const registries = scopedRegistries(doc.scopedRegistries, refuse)
  const dependencies = doc.dependencies ?? {}
  if (!isPlainObject(dependencies)) throw refuse('its `dependencies` is not an object')
  const entries = Object.entries(dependencies)
  if (entries.length > MAX_PACKAGES) throw refuse(`it lists ${entries.length} dependencies; at most ${MAX_PACKAGES} are checked`)
  const packages: RegistryPackage[] = []
  for (const [name, version] of entries) {
    checkName(name, refuse)
    // Anything else is a Git URL, a `file:` path or a tarball: not fetched from a registry.
    if (typeof version !== 'string' || !isVersion(version)) continue
    const registry = scopedRegistryFor(name, registries)
    packages.push(registry ? { name, version, url: registry.url } : { name, version, url: main, unscoped: true })
  }
  return packages
}

/**
 * A package name Unity could have written: Unity's rule (letters, digits, `-`, `_`, `.`, at most
 * 214 characters; Unity manual, cus-naming), starting with a letter or digit. Upper-case letters
 * are let through although the rule asks for lower case: they are as safe in a URL and a log
 * line, and refusing them would fail a check over a name UPM may still load. No slash, no `..`
 * segment, no line break or other control character can pass.
 */
export function isPackageName(name: string): boolean {
  return name.length <= 214 && /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)
}

/** A SemVer 2.0 version (`1.2.3`, `1.2.3-preview.4+build.5`), as UPM requires of a package version. */
export function isVersion(version: string): boolean {
  const ids = '[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*'
  return version.length <= 256 && new RegExp(`^\\d+\\.\\d+\\.\\d+(?:-${ids})?(?:\\+${ids})?$`).test(version)
}

/** An http(s) URL of visible ASCII characters only, so it can be requested and logged as written. */
export function isRegistryUrl(url: string): boolean {
  if (url.length > 2048 || !/^[\x21-\x7e]+$/.test(url) || !URL.canParse(url)) return false
  const { protocol } = new URL(url)
  return protocol === 'http:' || protocol === 'https:'
}

/** A name as an error may quote it: escaped, and cut short when long. */
export function quoted(value: string): string {
  const safe = logSafe(value)
  return JSON.stringify(safe.length > 80 ? `${safe.slice(0, 80)}…` : safe)
}

function describe(value: unknown): string {
  if (typeof value === 'string') return quoted(value)
  return value === undefined ? 'none' : `a ${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}`
}

/** The scoped registries of a manifest, with their scopes. */
function scopedRegistries(list: unknown, refuse: (why: string) => Error): ScopedRegistryScopes[] {
  if (list === undefined) return []
  if (!Array.isArray(list)) throw refuse('its `scopedRegistries` is not an array')
  return list.map((entry: unknown, index) => {
    if (!isPlainObject(entry) || typeof entry.url !== 'string' || !isRegistryUrl(entry.url)) {
      throw refuse(`scopedRegistries[${index}] has no http(s) \`url\``)
    }
    const scopes = entry.scopes ?? []
    if (!Array.isArray(scopes) || !scopes.every((s): s is string => typeof s === 'string' && isPackageName(s))) {
      throw refuse(`scopedRegistries[${index}].scopes is not a list of package name prefixes`)
    }
    return { url: entry.url, scopes }
  })
}

function checkName(name: string, refuse: (why: string) => Error): void {
  if (!isPackageName(name)) {
    throw refuse(
      `the package name ${quoted(name)} is not one Unity writes (letters, digits, "-", "_" and ".", starting with a letter or digit, at most 214 characters)`
    )
  }
}

/** Parses a project file's JSON; a syntax error names the line and column, never the text. */
function parseProjectJson(text: string, refuse: (why: string) => Error): unknown {
  try {
    return parseJson(text.replace(/^\uFEFF/, ''))
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error
    throw refuse(`it is not valid JSON (${error.message})`)
  }
}

/** Builds the errors for one file: its path, why it is refused, and what to do. */
function refusal(file: string, kind: string, fix: string): (why: string) => Error {
  return why =>
    new Error(
      `\`resolve-check\` cannot use the ${kind} ${file}: ${why}. No request was made for it. ${fix}, or set \`resolve-check: false\`.`
    )
}
