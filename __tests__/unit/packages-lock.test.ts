import {
  isPackageName,
  isRegistryUrl,
  isVersion,
  MAX_PACKAGES,
  parseManifestPackages,
  parsePackagesLock,
  UNITY_REGISTRY
} from '../../src/packages-lock.js'
import { scopedRegistryFor } from '../../src/manifest.js'

const LOCK = 'Packages/packages-lock.json'
const MANIFEST = 'Packages/manifest.json'

/** A lock file as Unity writes it: registry, builtin, embedded, git and local entries. */
const UNITY_LOCK = `{
  "dependencies": {
    "com.company.tools": {
      "version": "1.2.0",
      "depth": 0,
      "source": "registry",
      "dependencies": { "com.company.core": "2.0.0" },
      "url": "https://upm.example.com/npm/"
    },
    "com.company.core": { "version": "2.0.0-preview.3", "depth": 1, "source": "registry", "dependencies": {}, "url": "https://upm.example.com/npm/" },
    "com.unity.textmeshpro": { "version": "3.0.6", "depth": 0, "source": "registry", "dependencies": {}, "url": "https://packages.unity.com" },
    "com.unity.modules.ui": { "version": "1.0.0", "depth": 0, "source": "builtin", "dependencies": {} },
    "com.company.local": { "version": "file:com.company.local", "depth": 0, "source": "embedded", "dependencies": {} },
    "com.company.git": { "version": "https://github.com/company/git.git#v1", "depth": 0, "source": "git", "dependencies": {}, "hash": "abc" }
  }
}
`

describe('parsePackagesLock', () => {
  test('reads every registry entry with its version and url, and nothing else', () => {
    expect(parsePackagesLock(UNITY_LOCK, LOCK)).toEqual([
      { name: 'com.company.tools', version: '1.2.0', url: 'https://upm.example.com/npm/' },
      { name: 'com.company.core', version: '2.0.0-preview.3', url: 'https://upm.example.com/npm/' },
      { name: 'com.unity.textmeshpro', version: '3.0.6', url: 'https://packages.unity.com' }
    ])
  })

  test('accepts a byte order mark and an empty dependencies object', () => {
    expect(parsePackagesLock('\uFEFF{"dependencies":{}}', LOCK)).toEqual([])
  })

  test.each([
    ['not JSON', '{"dependencies": {', /is not valid JSON \(Unexpected end of JSON input at line 1, column 19\)/],
    ['a JSON array', '[]', /its top level has no `dependencies` object/],
    ['no dependencies', '{"version": 1}', /its top level has no `dependencies` object/],
    ['an entry that is no object', '{"dependencies": {"com.a.b": "1.0.0"}}', /the entry of "com.a.b" is not an object/],
    [
      'a registry entry without a version',
      '{"dependencies": {"com.a.b": {"source": "registry", "url": "https://r.example/"}}}',
      /the entry of "com.a.b" has no SemVer `version` \(none\)/
    ],
    [
      'a registry entry whose version is no SemVer',
      '{"dependencies": {"com.a.b": {"source": "registry", "version": "1.0\\n::error::x", "url": "https://r.example/"}}}',
      /has no SemVer `version` \("1\.0\\\\n::error::x"\)/
    ],
    [
      'a registry entry without a url',
      '{"dependencies": {"com.a.b": {"source": "registry", "version": "1.0.0"}}}',
      /the entry of "com.a.b" has no http\(s\) `url` \(none\)/
    ],
    [
      'a registry entry with a file: url',
      '{"dependencies": {"com.a.b": {"source": "registry", "version": "1.0.0", "url": "file:///etc/passwd"}}}',
      /has no http\(s\) `url` \("file:\/\/\/etc\/passwd"\)/
    ],
    [
      'a url with a line break',
      '{"dependencies": {"com.a.b": {"source": "registry", "version": "1.0.0", "url": "https://r.example/\\n::warning::x"}}}',
      /has no http\(s\) `url` \("https:\/\/r\.example\/\\\\n::warning::x"\)/
    ]
  ])('refuses %s, naming the file and what to do', (_case, text, why) => {
    let message = ''
    try {
      parsePackagesLock(text, LOCK)
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toMatch(new RegExp(`^\`resolve-check\` cannot use the lock file ${LOCK}: `))
    expect(message).toMatch(why)
    expect(message).toContain('No request was made for it.')
    expect(message).toContain('restore it from version control, or delete it and let Unity write it again, or set `resolve-check: false`.')
    expect(message).not.toMatch(/[\r\n]/)
  })

  test.each([
    ['a line break', 'com.evil\n::error::owned'],
    ['a carriage return', 'com.evil\r'],
    ['a parent folder', '../../-/user/org.couchdb.user:admin'],
    ['a slash', 'com.evil/../x'],
    ['a leading dot', '.hidden'],
    ['a name of 215 characters', `com.${'a'.repeat(211)}`],
    ['a space', 'com.evil x'],
    ['a percent sign', 'com.evil%2F..']
  ])('refuses a name with %s in any entry, escaped in the message', (_case, name) => {
    const text = JSON.stringify({ dependencies: { [name]: { version: '1.0.0', source: 'builtin', dependencies: {} } } })
    expect(() => parsePackagesLock(text, LOCK)).toThrow(/the package name ".*" is not one Unity writes/)
    try {
      parsePackagesLock(text, LOCK)
    } catch (error) {
      expect((error as Error).message).not.toMatch(/[\r\n]/)
    }
  })

  test('refuses more packages than a Unity project locks', () => {
    const dependencies = Object.fromEntries(Array.from({ length: MAX_PACKAGES + 1 }, (_, i) => [`com.a.p${i}`, { source: 'builtin' }]))
    expect(() => parsePackagesLock(JSON.stringify({ dependencies }), LOCK)).toThrow(`it lists ${MAX_PACKAGES + 1} packages`)
  })
})

describe('parseManifestPackages', () => {
  const manifest = (doc: Record<string, unknown>): string => JSON.stringify(doc)

  test('routes each version dependency by the longest matching scope; others go to the main registry', () => {
    const text = manifest({
      scopedRegistries: [
        { name: 'Company', url: 'https://upm.example.com/npm/', scopes: ['com.company'] },
        { name: 'Tools', url: 'https://tools.example.com/', scopes: ['com.company.tools'] }
      ],
      dependencies: {
        'com.company.core': '2.0.0',
        'com.company.tools.physics': '1.0.0',
        'com.companyx.other': '1.0.0',
        'com.unity.ugui': '2.0.0',
        'com.company.git': 'https://github.com/company/git.git#v1',
        'com.company.local': 'file:../local'
      }
    })
    expect(parseManifestPackages(text, MANIFEST)).toEqual([
      { name: 'com.company.core', version: '2.0.0', url: 'https://upm.example.com/npm/' },
      { name: 'com.company.tools.physics', version: '1.0.0', url: 'https://tools.example.com/' },
      { name: 'com.companyx.other', version: '1.0.0', url: UNITY_REGISTRY, unscoped: true },
      { name: 'com.unity.ugui', version: '2.0.0', url: UNITY_REGISTRY, unscoped: true }
    ])
  })

  test("the manifest's `registry` replaces the main registry", () => {
    const text = manifest({ registry: 'https://mirror.example.com/', dependencies: { 'com.unity.ugui': '2.0.0' } })
    expect(parseManifestPackages(text, MANIFEST)).toEqual([
      { name: 'com.unity.ugui', version: '2.0.0', url: 'https://mirror.example.com/', unscoped: true }
    ])
  })

  test.each([
    ['not JSON', '{', /is not valid JSON/],
    ['scopedRegistries not an array', manifest({ scopedRegistries: {} }), /its `scopedRegistries` is not an array/],
    ['a registry without url', manifest({ scopedRegistries: [{ scopes: ['com.a'] }] }), /scopedRegistries\[0\] has no http\(s\) `url`/],
    [
      'a scope with a line break',
      manifest({ scopedRegistries: [{ url: 'https://r.example/', scopes: ['com.a\nb'] }] }),
      /scopedRegistries\[0\]\.scopes is not a list/
    ],
    ['a hostile dependency name', manifest({ dependencies: { '../x': '1.0.0' } }), /the package name "\.\.\/x" is not one Unity writes/],
    ['a registry that is no URL', manifest({ registry: 'packages' }), /its `registry` is not an http\(s\) URL \("packages"\)/]
  ])('refuses %s', (_case, text, why) => {
    expect(() => parseManifestPackages(text, MANIFEST)).toThrow(why)
    expect(() => parseManifestPackages(text, MANIFEST)).toThrow(/^`resolve-check` cannot use the manifest Packages\/manifest\.json: /)
  })
})

describe('scopedRegistryFor', () => {
  const a = { url: 'https://a.example/', scopes: ['com.example'] }
  const b = { url: 'https://b.example/', scopes: ['com.example.tools', 'org.other'] }
  const c = { url: 'https://c.example/', scopes: ['com.example'] }

  test.each([
    ['com.example', a],
    ['com.example.core', a],
    ['com.example.tools', b],
    ['com.example.tools.physics', b],
    ['com.example.toolsx', a],
    ['org.other.thing', b],
    ['com.examples', undefined],
    ['com.exampl', undefined],
    ['com', undefined]
  ])('%s -> the registry whose scope is the longest dot-separated match', (name, expected) => {
    expect(scopedRegistryFor(name, [a, b, c])).toBe(expected)
  })

  test('the first registry wins a tie', () => {
    expect(scopedRegistryFor('com.example.x', [c, a])).toBe(c)
  })
})

describe('the checks on names, versions and URLs', () => {
  test.each(['com.example.hello', 'com.unity.2d.animation', 'net.example.3d_base-x', 'Com.Legacy.Name', `com.${'a'.repeat(210)}`])(
    '%s is a package name',
    name => {
      expect(isPackageName(name)).toBe(true)
    }
  )

  test.each(['1.0.0', '0.0.1-preview.12', '2.3.4-exp.1+build.5', '10.20.30'])('%s is a version', version => {
    expect(isVersion(version)).toBe(true)
  })

  test.each(['1.0', 'v1.0.0', '1.0.0-', '1.0.0\n', 'latest', 'file:../x', `1.0.0-${'a'.repeat(300)}`])('%s is no version', version => {
    expect(isVersion(version)).toBe(false)
  })

  test.each([
    ['https://npm.pkg.github.com/@owner', true],
    ['http://127.0.0.1:4873/', true],
    ['ftp://r.example/', false],
    ['https://r.example/a b', false],
    ['https://r.example/\u00e9', false],
    ['not a url', false]
  ])('%s is a registry URL: %s', (url, expected) => {
    expect(isRegistryUrl(url)).toBe(expected)
  })
})
