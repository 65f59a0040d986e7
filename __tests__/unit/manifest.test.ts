import { compareWithConfig, describeFinding, manifestMatch, packagesFrom, parseManifest } from '../../src/manifest.js'
import { ManifestError } from '../../src/errors.js'
import { jsonErrorOffset } from '../../src/json.js'
import type { ScopedRegistry } from '../../src/manifest.js'

const FILE = 'Packages/manifest.json'
const CONFIG = '/home/runner/.upmconfig.toml'

const MANIFEST = `{
  "dependencies": {
    "com.company.tools": "1.2.0",
    "com.unity.ugui": "2.0.0"
  },
  "scopedRegistries": [
    {
      "name": "Company",
      "url": "https://upm.example.com/npm/",
      "scopes": ["com.company"]
    },
    {
      "name": "OpenUPM",
      "url": "https://package.openupm.com",
      "scopes": ["com.cysharp"]
    },
    { "name": "Escaped", "url": "https:\\/\\/esc.example.com\\/", "scopes": ["com.esc"] },
    { "name": "Twice", "url": "https://upm.example.com/npm/", "scopes": ["com.twice"] }
  ]
}
`

describe('parseManifest', () => {
  test('reads each scoped registry with its scopes and the line of its url, and the names of the dependencies', () => {
    expect(parseManifest(MANIFEST, FILE)).toEqual({
      registries: [
        { name: 'Company', url: 'https://upm.example.com/npm/', scopes: ['com.company'], line: 9 },
        { name: 'OpenUPM', url: 'https://package.openupm.com', scopes: ['com.cysharp'], line: 14 },
        { name: 'Escaped', url: 'https://esc.example.com/', scopes: ['com.esc'], line: 17 },
        { name: 'Twice', url: 'https://upm.example.com/npm/', scopes: ['com.twice'], line: 18 }
      ],
      dependencies: ['com.company.tools', 'com.unity.ugui']
    })
  })

  test.each([
    ['no scopedRegistries', '{"dependencies": {}}', []],
    ['an empty list', '{"scopedRegistries": []}', []],
    ['a byte order mark', '\uFEFF{"scopedRegistries": [{"url": "https://a/"}]}', [{ name: '', url: 'https://a/', scopes: [], line: 1 }]],
    [
      'CRLF lines',
      '{\r\n"scopedRegistries": [\r\n{"name": "A",\r\n"url": "https://a/"}]}',
      [{ name: 'A', url: 'https://a/', scopes: [], line: 4 }]
    ],
    [
      'scopes that are not strings',
      '{"scopedRegistries": [{"url": "https://a/", "scopes": ["com.a", 7, null]}, {"url": "https://b/", "scopes": "com.b"}]}',
      [
        { name: '', url: 'https://a/', scopes: ['com.a'], line: 1 },
        { name: '', url: 'https://b/', scopes: [], line: 1 }
      ]
    ]
  ])('%s', (_name, text, expected) => {
    expect(parseManifest(text, FILE).registries).toEqual(expected)
  })

  test.each([
    ['no dependencies', '{}', []],
    ['dependencies that are not an object', '{"dependencies": ["com.a"]}', []]
  ])('%s', (_name, text, expected) => {
    expect(parseManifest(text, FILE).dependencies).toEqual(expected)
  })

  test.each([
    ['a trailing comma', '{\n  "scopedRegistries": [],\n}\n', /Packages\/manifest.json is not valid JSON: .* at line 3, column 1\./],
    ['a comment', '{\n  // registries\n  "scopedRegistries": []\n}', /Packages\/manifest.json is not valid JSON: .+ at line 2, column 3\./],
    ['single quotes', "{\n  'scopedRegistries': []\n}", /at line 2, column 3\./],
    ['a missing comma', '{\n  "a": 1\n  "scopedRegistries": []\n}', /at line 3, column 3\./],
    ['a cut-off file', '{\n  "scopedRegistries": [\n', /Unexpected end of JSON input at line 3, column 1\./],
    ['an empty file', '', /at line 1, column 1\./],
    ['a top-level array', '[]', /is not a Unity project manifest: its top level is not a JSON object/],
    ['scopedRegistries not an array', '{"scopedRegistries": {"url": "https://a/"}}', /`scopedRegistries` is not an array/],
    ['an entry without url', '{"scopedRegistries": [{"url": "https://a/"}, {"name": "B"}]}', /scopedRegistries\[1\] has no `url` string/],
    ['an entry that is a string', '{"scopedRegistries": ["https://a/"]}', /scopedRegistries\[0\] has no `url` string/]
  ])('%s is a clear error naming the file', (_name, text, message) => {
    let error: unknown
    try {
      parseManifest(text, FILE)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ManifestError)
    expect((error as Error).message).toMatch(message)
    expect((error as Error).message.startsWith(FILE)).toBe(true)
    // V8's quote of the document is cut off: the message stays one short sentence per fault.
    expect((error as Error).message).not.toContain('is not valid JSON"')
  })
})

test.each([
  ['a config file', '[npmAuth."https://upm.example.com/"]\ntoken = "tok-SECRET-9d1f"\n'],
  ['a token on its own', 'tok-SECRET-9d1f'],
  ['a JSON string holding a token', '"tok-SECRET-9d1f" trailing'],
  ['a bad control character', '{"a": "tok-SECRET-9d1f\u0001"}']
])('the error about %s quotes none of its text', (_name, text) => {
  let message = ''
  try {
    parseManifest(text, FILE)
  } catch (e) {
    message = (e as Error).message
  }
  expect(message).toMatch(/^Packages\/manifest.json is not valid JSON: /)
  // V8 would quote up to 20 characters, and the character at fault, in quotes.
  expect(message).not.toMatch(/SECRET|npmAuth|tok|"|'/)
})

describe('jsonErrorOffset agrees with JSON.parse', () => {
  // A deterministic generator of JSON texts and of broken variants of them.
  function random(seed: number): () => number {
    return () => {
      seed = (seed * 1103515245 + 12345) % 2147483648
      return seed / 2147483648
    }
  }
  function value(rnd: () => number, depth: number): unknown {
    const r = rnd()
    if (depth > 3 || r < 0.3) return ['a"\\\n\u0001é', 0, -1.5e3, true, false, null, 'x'][Math.floor(rnd() * 7)]
    if (r < 0.65) return Array.from({ length: Math.floor(rnd() * 4) }, () => value(rnd, depth + 1))
    return Object.fromEntries(Array.from({ length: Math.floor(rnd() * 4) }, (_, i) => [`k${i}`, value(rnd, depth + 1)]))
  }

  test('valid texts, and texts with one character removed, inserted or replaced', () => {
    const rnd = random(42)
    let broken = 0
    for (let n = 0; n < 400; n++) {
      const text = JSON.stringify(value(rnd, 0), null, rnd() < 0.5 ? 2 : undefined)
      expect(jsonErrorOffset(text)).toBe(-1)
      const at = Math.floor(rnd() * (text.length + 1))
      const noise = '{}[],:"\\ 1ae-.tnx\''[Math.floor(rnd() * 18)]
      const variants = [
        text.slice(0, at) + text.slice(at + 1),
        text.slice(0, at) + noise + text.slice(at),
        text.slice(0, at) + noise + text.slice(at + 1)
      ]
      for (const variant of variants) {
        let v8: Error | undefined
        try {
          JSON.parse(variant)
        } catch (e) {
          v8 = e as Error
        }
        const offset = jsonErrorOffset(variant)
        if (!v8) {
          expect(offset).toBe(-1)
          continue
        }
        broken++
        expect(offset).toBeGreaterThanOrEqual(0)
        const position = /at position (\d+)/.exec(v8.message)
        if (position) expect(offset).toBe(Number(position[1]))
        else if (/Unexpected end/.test(v8.message)) expect(offset).toBe(variant.length)
      }
    }
    expect(broken).toBeGreaterThan(300)
  })
})

const reg = (url: string, name = 'R'): ScopedRegistry => ({ name, url, scopes: [] })

describe('packagesFrom: the dependencies Unity takes from a registry', () => {
  const GH = 'https://npm.pkg.github.com/@octo-org'
  const manifest = {
    registries: [
      { name: 'GitHub', url: GH, scopes: ['com.octo-org'] },
      { name: 'Tools', url: 'https://upm.example.com/npm/', scopes: ['com.octo-org.tools', 'com.example'] }
    ],
    dependencies: ['com.unity.ugui', 'com.octo-org.fsm', 'com.octo-org.tools.build', 'com.octo-org', 'com.octo-orgx', 'com.example.a']
  }
  test('names under a scope, or the scope itself; the longest scope of all registries wins', () => {
    expect(packagesFrom(GH, manifest)).toEqual(['com.octo-org.fsm', 'com.octo-org'])
    expect(packagesFrom('https://upm.example.com/npm/', manifest)).toEqual(['com.octo-org.tools.build', 'com.example.a'])
  })
  test('the registry is found by its exact url, as Unity matches it', () => {
    expect(packagesFrom(`${GH}/`, manifest)).toEqual([])
    expect(packagesFrom('https://other.example.com/', manifest)).toEqual([])
  })
})

describe('compareWithConfig: exact match, near miss or missing', () => {
  const WANT = 'https://upm.example.com/npm/'
  test.each([
    ['exact', WANT, 'matched', undefined],
    ['trailing slash added', 'https://upm.example.com/npm//', 'near-miss', ['a trailing slash the manifest does not have']],
    ['trailing slash missing', 'https://upm.example.com/npm', 'near-miss', ['a missing trailing slash']],
    ['http vs https', 'http://upm.example.com/npm/', 'near-miss', ['http instead of https']],
    ['letter case in the scheme', 'HTTPS://upm.example.com/npm/', 'near-miss', ['letter case in the scheme']],
    ['letter case in the host', 'https://UPM.Example.com/npm/', 'near-miss', ['letter case in the host']],
    ['default port written out', 'https://upm.example.com:443/npm/', 'near-miss', ['the default port :443 written out']],
    [
      'several at once',
      'http://UPM.example.com:443/npm',
      'near-miss',
      ['http instead of https', 'letter case in the host', 'the default port :443 written out', 'a missing trailing slash']
    ],
    ['another port is another registry', 'https://upm.example.com:8443/npm/', 'missing', undefined],
    ['another path is another registry', 'https://upm.example.com/other/', 'missing', undefined],
    ['letter case in the path is another registry', 'https://upm.example.com/NPM/', 'missing', undefined],
    ['another host is another registry', 'https://upm2.example.com/npm/', 'missing', undefined]
  ])('%s', (_name, configured, status, differences) => {
    const [finding] = compareWithConfig([reg(WANT)], ['https://other.example/', configured])
    expect(finding.status).toBe(status)
    expect(finding.differences).toEqual(differences)
    if (status === 'near-miss') expect(finding.configured).toBe(configured)
  })

  test('a manifest port that the config leaves out', () => {
    const [finding] = compareWithConfig([reg('https://upm.example.com:443/npm/')], [WANT])
    expect(finding.differences).toEqual(['no port, where the manifest writes :443'])
  })

  test('an exact match wins over a near miss', () => {
    expect(compareWithConfig([reg(WANT)], ['https://upm.example.com/npm', WANT])[0].status).toBe('matched')
  })

  test('OpenUPM needs no credentials', () => {
    expect(compareWithConfig([reg('https://package.openupm.com')], []).map(f => f.status)).toEqual(['public'])
    expect(compareWithConfig([reg('https://package.openupm.com')], ['https://package.openupm.com']).map(f => f.status)).toEqual(['matched'])
  })

  test('a manifest url that is not a URL is simply missing', () => {
    expect(compareWithConfig([reg('not a url')], ['https://a.example/']).map(f => f.status)).toEqual(['missing'])
  })
})

describe('messages name the exact string to use', () => {
  test('near miss', () => {
    const [finding] = compareWithConfig([reg('https://upm.example.com/npm/', 'Company')], ['https://upm.example.com/npm'])
    expect(describeFinding(finding, FILE, CONFIG)).toBe(
      'Scoped registry "Company" in Packages/manifest.json has url "https://upm.example.com/npm/", but ' +
        '/home/runner/.upmconfig.toml has credentials for "https://upm.example.com/npm" (a missing trailing slash). ' +
        'Unity matches the URL exactly and will not send them: use exactly "https://upm.example.com/npm/" as `registry-url` ' +
        '(or as the key of the `registries` table), or change the manifest\'s url to "https://upm.example.com/npm".'
    )
  })

  test('missing', () => {
    const [finding] = compareWithConfig([{ name: '', url: 'https://upm.example.com/npm/', scopes: [] }], [])
    expect(describeFinding(finding, FILE, CONFIG)).toBe(
      'A scoped registry in Packages/manifest.json (url "https://upm.example.com/npm/") has no credentials in ' +
        '/home/runner/.upmconfig.toml, so Unity will request its packages without any. Configure exactly ' +
        '"https://upm.example.com/npm/" (`registry-url`, or a `registries` table), unless the registry is public.'
    )
  })

  test('matched and public registries need no message', () => {
    const findings = compareWithConfig([reg('https://a.example/'), reg('https://package.openupm.com')], ['https://a.example/'])
    expect(findings.map(f => describeFinding(f, FILE, CONFIG))).toEqual([undefined, undefined])
  })

  test('a password in a URL never reaches a message', () => {
    const [finding] = compareWithConfig([reg('https://upm.example.com/npm/')], ['https://user:hunter2@upm.example.com/npm'])
    expect(finding.status).toBe('near-miss')
    expect(describeFinding(finding, FILE, CONFIG)).not.toContain('hunter2')
  })
})

describe('manifestMatch, for the summary', () => {
  const findings = compareWithConfig(
    [reg('https://a.example/', 'A'), reg('https://b.example/npm/', 'B'), reg('https://c.example/', '')],
    ['https://a.example/', 'https://b.example/npm', 'https://c.example/', 'https://d.example/']
  )
  test.each([
    ['https://a.example/', 'yes (A)'],
    ['https://b.example/npm', 'near miss: the manifest has https://b.example/npm/'],
    ['https://c.example/', 'yes'],
    ['https://d.example/', 'no']
  ])('%s -> %s', (url, expected) => {
    expect(manifestMatch(url, findings)).toBe(expected)
  })
})
