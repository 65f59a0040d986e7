import { parse as parseToml } from 'smol-toml'
import { applyCacheSettings, cacheEnvOverrides, parseCacheRoot, parseMaxCacheSize } from '../../src/cache-settings.js'
import { mergeEntries } from '../../src/toml/npm-auth.js'

describe('max-cache-size: bytes, or a number with a decimal unit', () => {
  test.each([
    ['500000000', 500_000_000],
    ['1', 1],
    ['500000000B', 500_000_000],
    ['10GB', 10_000_000_000],
    ['10gb', 10_000_000_000],
    ['1.5 GB', 1_500_000_000],
    ['1.1GB', 1_100_000_000],
    ['0.5KB', 500],
    ['2 MB', 2_000_000],
    ['3TB', 3_000_000_000_000],
    ['7.000 MB', 7_000_000],
    [' 4 KB ', 4000],
    [String(Number.MAX_SAFE_INTEGER), Number.MAX_SAFE_INTEGER]
  ])('%s -> %d bytes', (value, bytes) => {
    expect(parseMaxCacheSize(value)).toBe(bytes)
  })

  test('empty means: leave the file alone', () => {
    expect(parseMaxCacheSize('')).toBeUndefined()
  })

  test.each([
    ['-5', /is negative/],
    ['-1GB', /is negative/],
    ['1.5', /not a whole number of bytes/],
    ['0.0001KB', /not a whole number of bytes/],
    ['0', /is zero/],
    ['0 GB', /is zero/],
    ['10GiB', /binary unit; this input takes decimal units only/],
    ['lots', /is not a size/],
    ['1e9', /is not a size/],
    ['1,000', /is not a size/],
    ['10 G', /is not a size/],
    ['.5GB', /is not a size/],
    ['10PB', /is not a size/],
    ['9007199254740992', /larger than 9007199254740991 bytes/],
    ['10000TB', /larger than/],
    ['99999999999999999999999999', /larger than/]
  ])('%s is refused', (value, message) => {
    expect(() => parseMaxCacheSize(value)).toThrow(message)
    // Every refusal names the input and says the units are decimal.
    expect(() => parseMaxCacheSize(value)).toThrow(/Input `max-cache-size` .*decimal \(1 GB = 1000000000 bytes\)/)
  })
})

describe('cache-root: absolute on the runner OS, kept exactly', () => {
  test.each([
    ['/home/runner/upm-cache', 'linux'],
    ['/Users/runner/Library/Caches/upm with space', 'darwin'],
    ['C:\\Users\\runneradmin\\upm', 'win32'],
    ['d:/a/_temp/upm-cache', 'win32'],
    ['D:\\a\\_temp\\upm-cache\\', 'win32'],
    ['\\\\fileserver\\share\\upm', 'win32'],
    ['//fileserver/share/upm', 'win32']
  ] as [string, NodeJS.Platform][])('%s on %s', (value, platform) => {
    expect(parseCacheRoot(value, platform)).toBe(value)
  })

  test('empty means: leave the file alone', () => {
    expect(parseCacheRoot('', 'linux')).toBeUndefined()
  })

  test.each([
    ['upm-cache', 'linux', /not an absolute path on this Linux runner/],
    ['./cache', 'darwin', /not an absolute path on this macOS runner/],
    ['C:\\cache', 'linux', /not an absolute path on this Linux runner/],
    ['/cache', 'win32', /not an absolute path on this Windows runner.*D:\\upm-cache/],
    ['\\cache', 'win32', /not an absolute path/],
    ['C:cache', 'win32', /not an absolute path/],
    ['\\\\server', 'win32', /not an absolute path/],
    ['~/cache', 'linux', /starts with ~, which Unity does not expand/],
    ['/cache\n/other', 'linux', /line break or a control character/],
    [' /cache', 'linux', /white space/]
  ] as [string, NodeJS.Platform, RegExp][])('%j on %s is refused', (value, platform, message) => {
    expect(() => parseCacheRoot(value, platform)).toThrow(message)
    expect(() => parseCacheRoot(value, platform)).toThrow(/Input `cache-root`/)
  })
})

describe('environment variables that win over the file', () => {
  test.each([
    [{ cacheRoot: '/c' }, { UPM_CACHE_ROOT: '/elsewhere' }, [/UPM_CACHE_ROOT is set .* instead of `cacheRoot`/]],
    [{ maxCacheSize: 1 }, { UPM_MAX_CACHE_SIZE: '5' }, [/UPM_MAX_CACHE_SIZE is set .* instead of `maxCacheSize`/]],
    [{ cacheRoot: '/c', maxCacheSize: 1 }, { UPM_CACHE_ROOT: '/e', UPM_MAX_CACHE_SIZE: '5' }, [/UPM_CACHE_ROOT/, /UPM_MAX_CACHE_SIZE/]],
    [{}, { UPM_CACHE_ROOT: '/e', UPM_MAX_CACHE_SIZE: '5' }, []],
    [{ cacheRoot: '/c', maxCacheSize: 1 }, { UPM_CACHE_ROOT: '' }, []]
  ])('%j with %j', (settings, env, expected) => {
    const warnings = cacheEnvOverrides(settings, env)
    expect(warnings).toHaveLength(expected.length)
    expected.forEach((pattern, i) => {
      expect(warnings[i]).toMatch(pattern)
    })
  })
})

describe('applying both settings after a merge', () => {
  test.each([
    ['a new file', ''],
    ['a file with a comment and another registry', '# ops\n[npmAuth."https://b.example/"]\ntoken = "b"\n'],
    ['a file that sets both keys already', 'cacheRoot = "/old"\nmaxCacheSize = 1\n\n[other]\nx = 1\n']
  ])('%s: the document handed on is what the final text means', (_name, before) => {
    const merged = mergeEntries(before, [{ url: 'https://a.example/', token: 't', alwaysAuth: true, form: 'token' }], '/c.toml')
    const applied = applyCacheSettings(merged.text, { cacheRoot: '/cache', maxCacheSize: 5_000 }, '/c.toml', merged.document)
    expect(applied.keys.map(k => k.key)).toEqual(['cacheRoot', 'maxCacheSize'])
    expect(applied.document).toEqual(parseToml(applied.text))
    expect(applied.document).toMatchObject({ cacheRoot: '/cache', maxCacheSize: 5_000 })
  })
})
