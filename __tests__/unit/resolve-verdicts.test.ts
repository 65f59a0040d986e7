import { buildReport, judgeTarball, readPackument, renderSection, sendsCredential } from '../../src/resolve-verdicts.js'
import type { PackageVerdict, ResolveProject } from '../../src/resolve-verdicts.js'
import type { RegistryPackage } from '../../src/packages-lock.js'

const CONFIG = '/home/runner/.upmconfig.toml'
const project = (packages: RegistryPackage[]): ResolveProject => ({ file: 'Packages/packages-lock.json', from: 'lock', packages })

describe('readPackument', () => {
  const doc = (versions: Record<string, unknown>, latest = '2.0.0'): string => JSON.stringify({ 'dist-tags': { latest }, versions })
  const tarball = 'https://r.example/com.a.b/-/com.a.b-1.0.0.tgz'

  test.each<[string, number, string, ReturnType<typeof readPackument>]>([
    ['the version with its tarball', 200, doc({ '1.0.0': { dist: { tarball } } }), { kind: 'found', tarball }],
    ['401', 401, '{"error":"auth"}', { kind: 'refused', status: 401 }],
    ['403', 403, '', { kind: 'refused', status: 403 }],
    ['404', 404, '{"error":"not found"}', { kind: 'no-package', status: 404 }],
    ['another version only', 200, doc({ '2.0.0': { dist: { tarball } } }), { kind: 'no-version', latest: '2.0.0' }],
    ['a latest tag that is no version', 200, doc({}, 'x\n::error::y'), { kind: 'no-version', latest: undefined }],
    ['an HTML login page', 200, '<html>Sign in</html>', expect.objectContaining({ kind: 'unusable', status: 200 })],
    ['a redirect', 302, '', expect.objectContaining({ kind: 'unusable', status: 302 })],
    ['a version without a tarball', 200, doc({ '1.0.0': { dist: {} } }), expect.objectContaining({ kind: 'unusable' })],
    [
      'a tarball URL with user information',
      200,
      doc({ '1.0.0': { dist: { tarball: 'https://u:p@cdn.example/x.tgz' } } }),
      expect.objectContaining({ kind: 'unusable' })
    ],
    ['a file: tarball', 200, doc({ '1.0.0': { dist: { tarball: 'file:///etc/passwd' } } }), expect.objectContaining({ kind: 'unusable' })]
  ])('%s', (_case, status, body, expected) => {
    expect(readPackument(status, body, '1.0.0')).toEqual(expected)
  })

  test('a version is looked up among the versions only, not inherited members', () => {
    expect(readPackument(200, doc({}), 'constructor')).toEqual({ kind: 'no-version', latest: '2.0.0' })
  })
})

describe('judgeTarball', () => {
  test.each<[number, boolean, string]>([
    [200, true, 'resolves'],
    [206, false, 'resolves'],
    [416, true, 'resolves'],
    [401, true, 'refused'],
    [403, true, 'refused'],
    [404, true, 'missing'],
    [401, false, 'no-credential'],
    [403, false, 'no-credential'],
    [404, false, 'no-credential'],
    [500, true, 'unreachable'],
    [302, true, 'unreachable']
  ])('HTTP %i, credential sent: %s -> %s', (status, sentCredential, expected) => {
    expect(judgeTarball({ status, sentCredential })).toBe(expected)
  })
})

describe('sendsCredential', () => {
  test.each<[string, string, boolean, boolean]>([
    ['https://r.example/npm/com.a/-/com.a-1.0.0.tgz', 'https://r.example/npm/', false, true],
    ['https://cdn.example/com.a-1.0.0.tgz', 'https://r.example/npm/', false, false],
    ['https://cdn.example/com.a-1.0.0.tgz', 'https://r.example/npm/', true, true],
    ['http://r.example/x.tgz', 'https://r.example/', false, false],
    ['https://r.example:8443/x.tgz', 'https://r.example/', false, false],
    ['https://r.example:443/x.tgz', 'https://r.example/', false, true],
    ['https://R.EXAMPLE/x.tgz', 'https://r.example/', false, true]
  ])('%s from %s, alwaysAuth %s -> %s', (tarball, registry, alwaysAuth, expected) => {
    expect(sendsCredential(tarball, registry, alwaysAuth)).toBe(expected)
  })
})

describe('renderSection', () => {
  test('escapes what the files and registries put into the table', () => {
    const evil = { name: 'com.a.b', version: '1.0.0', url: 'https://u:secret@r.example/|x' }
    const markdown = renderSection(
      project([evil]),
      [{ pkg: evil, status: 'missing', httpStatus: 404, message: '', advice: 'Publish *it* <b>again</b> | now' }],
      [{ url: 'https://other.example/', reason: 'no credentials', names: ['com.b.c', 'com.b.d'] }],
      CONFIG
    )
    expect(markdown).toContain('| `com.a.b` | `1.0.0` | `https://***@r.example/\\|x` | not in that registry (HTTP 404) |')
    expect(markdown).toContain('Publish \\*it\\* \\<b\\>again\\</b\\> \\| now')
    expect(markdown).toContain('- `https://other.example/`: 2 packages: no credentials (com.b.c, com.b.d)')
    expect(markdown).not.toContain('secret')
  })
})

describe('buildReport', () => {
  const a = { name: 'com.a.one', version: '1.0.0', url: 'https://r.example/' }
  const b = { name: 'com.a.two', version: '1.0.0', url: 'https://r.example/' }

  test('the error lists every package that cannot be fetched, and each piece of advice once', () => {
    const refused = (pkg: RegistryPackage): PackageVerdict => ({
      pkg,
      status: 'refused',
      httpStatus: 401,
      message: `${pkg.name} refused.`,
      advice: 'Check the token.'
    })
    const report = buildReport(project([a, b]), [refused(a), refused(b)], [], CONFIG)
    expect(report.failure).toBe(
      `\`resolve-check\`: 2 of 2 packages checked in Packages/packages-lock.json cannot be fetched with the credentials in ${CONFIG}. com.a.one refused. com.a.two refused. Check the token.`
    )
  })

  test('a project without registry packages has nothing to check, and says so without a warning', () => {
    const report = buildReport(project([]), [], [], CONFIG)
    expect(report.messages).toEqual([
      {
        level: 'info',
        text: '`resolve-check`: Packages/packages-lock.json lists no package that Unity fetches from a registry; nothing to check.'
      }
    ])
    expect(report.failure).toBeUndefined()
  })
})
