/**
 * A small stand-in for Unity's Package Manager resolving one package from a scoped registry,
 * written from Unity's documentation and deliberately independent of the action's code (its
 * own TOML parser, its own header and URL logic):
 *
 * - credentials come from `[npmAuth."URL"]` of the user config file, where URL equals the
 *   scoped registry's `url` in Packages/manifest.json exactly (no normalisation);
 * - `token` is sent as `Authorization: Bearer <token>`, `_auth` as `Authorization: Basic <_auth>`;
 * - the packument is `<url>/<name>`; the tarball is `dist.tarball`, checked against
 *   `dist.shasum` (and `dist.integrity` when present);
 * - a tarball on another host than the registry gets the credential only with
 *   `alwaysAuth = true` (npm's rule, which Unity's `alwaysAuth` follows).
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import { gunzipSync } from 'node:zlib'
import TOML from 'toml'

/** A `scopedRegistries` entry of Packages/manifest.json. */
export interface ScopedRegistry {
  name: string
  url: string
  scopes: string[]
}

export type Resolution =
  | { ok: true; version: string; shasum: string; tarballUrl: string; tarballSentCredential: boolean; packageJson: Record<string, unknown> }
  | { ok: false; step: 'packument' | 'tarball' | 'checksum'; status?: number; tarballSentCredential?: boolean }

interface NpmAuth {
  token?: string
  _auth?: string
  alwaysAuth?: boolean
}

/** The `[npmAuth."URL"]` table for this registry URL, looked up byte for byte. */
export function findAuth(configFile: string, registryUrl: string): NpmAuth | undefined {
  if (!fs.existsSync(configFile)) return undefined
  const config = TOML.parse(fs.readFileSync(configFile, 'utf8')) as { npmAuth?: Record<string, NpmAuth> }
  const tables = config.npmAuth ?? {}
  return Object.prototype.hasOwnProperty.call(tables, registryUrl) ? tables[registryUrl] : undefined
}

function authorization(auth: NpmAuth | undefined): Record<string, string> {
  if (auth?.token) return { authorization: `Bearer ${auth.token}` }
  if (auth?._auth) return { authorization: `Basic ${auth._auth}` }
  return {}
}

/** Resolves `name` (latest version) from `registry` with the credentials of `configFile`. */
export async function resolvePackage(configFile: string, registry: ScopedRegistry, name: string): Promise<Resolution> {
  if (!registry.scopes.some(scope => name === scope || name.startsWith(`${scope}.`))) {
    throw new Error(`${name} is not in a scope of ${registry.name}`)
  }
  const auth = findAuth(configFile, registry.url)
  const base = registry.url.endsWith('/') ? registry.url : `${registry.url}/`
  const packument = await fetch(`${base}${name}`, {
    headers: { accept: 'application/json', ...authorization(auth) },
    signal: AbortSignal.timeout(10_000)
  })
  if (packument.status !== 200) return { ok: false, step: 'packument', status: packument.status }
  const doc = (await packument.json()) as {
    'dist-tags': { latest: string }
    versions: Record<string, { dist: { tarball: string; shasum: string; integrity?: string } }>
  }
  const version = doc['dist-tags'].latest
  const { dist } = doc.versions[version]

  const sameHost = new URL(dist.tarball).host === new URL(registry.url).host
  const tarballSentCredential = (sameHost || auth?.alwaysAuth === true) && auth !== undefined
  const tarball = await fetch(dist.tarball, {
    headers: tarballSentCredential ? authorization(auth) : {},
    signal: AbortSignal.timeout(10_000)
  })
  if (tarball.status !== 200) return { ok: false, step: 'tarball', status: tarball.status, tarballSentCredential }
  const bytes = Buffer.from(await tarball.arrayBuffer())
  const shasum = createHash('sha1').update(bytes).digest('hex')
  if (shasum !== dist.shasum) return { ok: false, step: 'checksum', tarballSentCredential }
  if (dist.integrity) {
    const [algorithm, digest] = dist.integrity.split('-', 2)
    if (createHash(algorithm).update(bytes).digest('base64') !== digest) return { ok: false, step: 'checksum', tarballSentCredential }
  }
  return { ok: true, version, shasum, tarballUrl: dist.tarball, tarballSentCredential, packageJson: packageJsonOf(bytes) }
}

/** Reads `package/package.json` out of an npm tarball (gzip of a ustar archive). */
function packageJsonOf(tgz: Buffer): Record<string, unknown> {
  const tar = gunzipSync(tgz)
  for (let offset = 0; offset + 512 <= tar.length;) {
    const header = tar.subarray(offset, offset + 512)
    const entryName = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '')
    if (entryName === '') break
    const size = parseInt(header.subarray(124, 136).toString('utf8').replace(/\0.*$/s, '').trim(), 8)
    if (entryName === 'package/package.json') {
      return JSON.parse(tar.subarray(offset + 512, offset + 512 + size).toString('utf8')) as Record<string, unknown>
    }
    offset += 512 + Math.ceil(size / 512) * 512
  }
  throw new Error('The tarball has no package/package.json')
}
