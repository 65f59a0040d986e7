/**
 * `resolve-check`: before Unity starts, does for every package the project locks what UPM will do
 * with the final config file, and says per package whether it will come down: GET the packument
 * `<url>/<name>` with the credential for exactly that URL, find the version, then a ranged GET of
 * its tarball with the credential sent only where UPM sends it (the registry's origin, or
 * anywhere with `alwaysAuth = true`). The tarball's body is never read.
 *
 * Loaded only when `resolve-check` is on. Nothing here logs: the step gets the report
 * (resolve-verdicts.ts says what the answers mean) with its log lines and summary section.
 */
import path from 'node:path'
import type { NpmAuthEntry } from './entry.js'
import { ProjectFileError, UnreachableError } from './errors.js'
import { describeFsError, errorCode } from './fs-errors.js'
import { MANIFEST_LIMIT } from './manifest-check.js'
import { parseManifestPackages, parsePackagesLock } from './packages-lock.js'
import type { RegistryPackage } from './packages-lock.js'
import { isPlainObject } from './plain-object.js'
import { projectFilePath, readProjectFile } from './project-file.js'
import type { ProjectFileLimit } from './project-file.js'
import { authorizationHeader, isSendableHeaderValue, registryEndpoint, registryRequest } from './registry-http.js'
import type { NetworkOptions } from './registry-http.js'
import {
  buildReport,
  isPlainHttpUrl,
  notCheckedGroups,
  packumentVerdict,
  readPackument,
  sendsCredential,
  tarballVerdict,
  unreachableVerdict
} from './resolve-verdicts.js'
import type { PackageVerdict, RegistryCredential, ResolveProject, ResolveReport, TarballProbe } from './resolve-verdicts.js'

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
  return buildReport(project, verdicts, notChecked, context.configFile)
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
  try {
    const answer = await registryRequest(
      registryEndpoint(pkg.url, `/${pkg.name}`),
      { method: 'GET', headers: { authorization: credential.authorization, accept: PACKUMENT_ACCEPT } },
      { ...network, maxBodyBytes: PACKUMENT_MAX_BYTES }
    )
    const packument = readPackument(answer.status, answer.text, pkg.version)
    if (packument.kind !== 'found') return packumentVerdict(pkg, packument, credential)
    const sends = sendsCredential(packument.tarball, pkg.url, credential.alwaysAuth)
    const tarball = await probeTarball(packument.tarball, sends ? credential.authorization : undefined, network)
    return tarballVerdict(pkg, tarball, credential)
  } catch (error) {
    if (error instanceof UnreachableError) return unreachableVerdict(pkg, error.message, error.httpStatus)
    throw error
  }
}

/**
 * A ranged GET of a tarball (`Range: bytes=0-0`; a registry may ignore the range, and the body is
 * never read either way), following redirects: the credential goes to a redirect's target only
 * on the origin it was sent to, as the Fetch Standard drops `Authorization` on a cross-origin redirect.
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
