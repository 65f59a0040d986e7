/**
 * Pure logic: the global cache settings of the user config file (Unity's "Customize the
 * global cache"): the top-level `cacheRoot` and `maxCacheSize` keys.
 */
import { setTopLevelKey } from './toml/top-level.js'
import type { WrittenKey } from './toml/top-level.js'
import { refusePathWithControlCharacters } from './log-safe.js'

export interface CacheSettings {
  /** Written as `cacheRoot`: an absolute path, exactly as given. */
  cacheRoot?: string
  /** Written as `maxCacheSize`: a whole number of bytes. */
  maxCacheSize?: number
}

/**
 * Checks the `cache-root` input. Unity needs an absolute path on the runner's OS. The path is
 * kept exactly as given (no normalising: a Windows path keeps its backslashes, and the TOML
 * renderer escapes them, since a lone backslash would be a TOML error).
 *
 * @returns undefined when the input is empty (the file's `cacheRoot` is left alone).
 */
export function parseCacheRoot(value: string, platform: NodeJS.Platform): string | undefined {
  if (value === '') return undefined
  const example = platform === 'win32' ? 'D:\\upm-cache' : '/home/runner/upm-cache'
  const hint = `Give an absolute path, for example ${example}, or \${{ runner.temp }}/upm-cache in a workflow.`
  refusePathWithControlCharacters(value, 'Input `cache-root`', hint)
  if (value.trim() !== value) throw new Error(`Input \`cache-root\` starts or ends with white space. ${hint}`)
  if (value.startsWith('~')) {
    throw new Error(`Input \`cache-root\` (${value}) starts with ~, which Unity does not expand. ${hint}`)
  }
  const absolute =
    platform === 'win32'
      ? // A drive letter with a separator, or a UNC share. "\cache" (no drive) depends on the
        // current drive, and "C:cache" on the drive's current folder: neither is absolute.
        /^[A-Za-z]:[\\/]/.test(value) || /^[\\/]{2}[^\\/]+[\\/][^\\/]+/.test(value)
      : value.startsWith('/')
  if (!absolute) {
    const os = platform === 'win32' ? 'Windows' : platform === 'darwin' ? 'macOS' : 'Linux'
    throw new Error(`Input \`cache-root\` (${value}) is not an absolute path on this ${os} runner. ${hint}`)
  }
  return value
}

const UNITS: Record<string, bigint> = {
  B: 1n,
  KB: 1000n,
  MB: 1000n ** 2n,
  GB: 1000n ** 3n,
  TB: 1000n ** 4n
}

/**
 * Parses the `max-cache-size` input into bytes: a whole number of bytes ("500000000") or a
 * number with a decimal unit ("10GB", "1.5 GB"; KB = 1000 bytes, MB = 1000 KB, ...). The
 * arithmetic is exact (no floating point), so "1.1 GB" is 1100000000 bytes.
 *
 * @returns undefined when the input is empty (the file's `maxCacheSize` is left alone).
 */
export function parseMaxCacheSize(value: string): number | undefined {
  if (value === '') return undefined
  const forms =
    'Give a whole number of bytes (500000000) or a number with a unit: KB, MB, GB or TB, which are decimal ' +
    '(1 GB = 1000000000 bytes), for example 10GB or 1.5 GB.'
  const where = `Input \`max-cache-size\` ("${value}")`
  if (/^\s*-/.test(value)) throw new Error(`${where} is negative. ${forms}`)
  if (/^\s*[\d.]+\s*[KMGT]iB\s*$/i.test(value)) {
    throw new Error(`${where} uses a binary unit; this input takes decimal units only. ${forms}`)
  }
  const match = /^\s*(\d+)(?:\.(\d+))?\s*([KMGT]?B)?\s*$/i.exec(value)
  if (!match) throw new Error(`${where} is not a size. ${forms}`)
  const [, whole, fraction = '', unit = 'B'] = match
  const scale = 10n ** BigInt(fraction.length)
  const scaled = (BigInt(whole) * scale + BigInt(fraction || '0')) * UNITS[unit.toUpperCase()]
  if (scaled % scale !== 0n) throw new Error(`${where} is not a whole number of bytes. ${forms}`)
  const bytes = scaled / scale
  if (bytes === 0n) throw new Error(`${where} is zero; Unity needs room for its cache. ${forms}`)
  if (bytes > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new Error(`${where} is larger than ${Number.MAX_SAFE_INTEGER} bytes (about 9 PB), which no cache needs. ${forms}`)
  }
  return Number(bytes)
}

/**
 * Environment variables that Unity reads in preference to the file's keys: when one is set
 * for the job, the value written to the file has no effect, which deserves a warning.
 */
export function cacheEnvOverrides(settings: CacheSettings, env: Record<string, string | undefined>): string[] {
  const warnings: string[] = []
  const overridden = (name: string, key: string): string =>
    `${name} is set in this job's environment, and Unity uses it instead of \`${key}\` in the user config file. ` +
    `Unset ${name}, or set it to the value you want instead of the input.`
  if (settings.cacheRoot !== undefined && env.UPM_CACHE_ROOT) warnings.push(overridden('UPM_CACHE_ROOT', 'cacheRoot'))
  if (settings.maxCacheSize !== undefined && env.UPM_MAX_CACHE_SIZE) {
    warnings.push(overridden('UPM_MAX_CACHE_SIZE', 'maxCacheSize'))
  }
  return warnings
}

/** Checks both cache inputs (see parseCacheRoot and parseMaxCacheSize). */
export function parseCacheSettings(cacheRoot: string, maxCacheSize: string, platform: NodeJS.Platform): CacheSettings {
  return { cacheRoot: parseCacheRoot(cacheRoot, platform), maxCacheSize: parseMaxCacheSize(maxCacheSize) }
}

/**
 * Writes the settings that are set into the config text, keeping every other byte.
 *
 * @param document what `text` means (each edit is checked against it, and parses its result).
 * @returns the new text, each key as it was and as it was written, in the order they were set
 *   (what cleanup needs to undo them), and what the new text means.
 */
export function applyCacheSettings(
  text: string,
  settings: CacheSettings,
  file: string,
  document: Record<string, unknown>
): { text: string; keys: WrittenKey[]; document: Record<string, unknown> } {
  const keys: WrittenKey[] = []
  for (const [key, value] of [
    ['cacheRoot', settings.cacheRoot],
    ['maxCacheSize', settings.maxCacheSize]
  ] as const) {
    if (value === undefined) continue
    const set = setTopLevelKey(text, key, value, file, document)
    text = set.text
    document = set.document
    keys.push(set.key)
  }
  return { text, keys, document }
}
