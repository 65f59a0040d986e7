import { compareWithConfig } from '../../src/manifest.js'
import { renderSummary, verifiedLabel } from '../../src/summary.js'
import type { SummaryRow } from '../../src/summary.js'

const LINUX = '/home/runner/.upmconfig.toml'

const rows: SummaryRow[] = [
  { url: 'https://upm.example.com/npm/', form: 'token', alwaysAuth: true, configFile: LINUX },
  {
    url: 'https://pkgs.example.com/_packaging/unity/npm/registry',
    form: 'email+pat',
    alwaysAuth: false,
    verified: 'yes',
    configFile: LINUX
  }
]

describe('renderSummary', () => {
  test('a table of what this step configured, manifest not checked', () => {
    expect(renderSummary({ rows })).toBe(
      [
        '### Unity Package Manager credentials',
        '',
        '| Registry | Auth | alwaysAuth | Verified | In the manifest | Config file |',
        '| --- | --- | --- | --- | --- | --- |',
        '| `https://upm.example.com/npm/` | Bearer token | true | not checked | not checked | `/home/runner/.upmconfig.toml` |',
        '| `https://pkgs.example.com/_packaging/unity/npm/registry` | Basic (email + PAT) | false | yes | not checked | `/home/runner/.upmconfig.toml` |',
        ''
      ].join('\n')
    )
  })

  test('manifest findings: a column per row and a list of what Unity will not get', () => {
    const findings = compareWithConfig(
      [
        { name: 'Company', url: 'https://upm.example.com/npm/', scopes: [] },
        { name: 'Azure', url: 'https://pkgs.example.com/_packaging/unity/npm/registry/', scopes: [] },
        { name: '', url: 'https://private.example.com/', scopes: [] },
        { name: 'OpenUPM', url: 'https://package.openupm.com', scopes: [] }
      ],
      rows.map(r => r.url)
    )
    const markdown = renderSummary({ rows, manifest: { file: 'Packages/manifest.json', findings } })
    expect(markdown).toContain('| Bearer token | true | not checked | yes (Company) |')
    expect(markdown).toContain(
      '| Basic (email + PAT) | false | yes | near miss: the manifest has https://pkgs.example.com/\\_packaging/unity/npm/registry/ |'
    )
    expect(markdown.slice(markdown.indexOf('\n\nScoped'))).toBe(
      [
        '',
        '',
        'Scoped registries in `Packages/manifest.json` that Unity will not send credentials to:',
        '',
        '- **Azure** `https://pkgs.example.com/_packaging/unity/npm/registry/`: credentials only for `https://pkgs.example.com/_packaging/unity/npm/registry`, which is not the same string',
        '- `https://private.example.com/`: no credentials',
        ''
      ].join('\n')
    )
    expect(markdown).not.toContain('openupm')
  })

  test('cache settings', () => {
    const markdown = renderSummary({ rows: [], cache: { cacheRoot: 'D:\\a\\_temp\\upm-cache', maxCacheSize: 1_500_000_000 } })
    expect(markdown).toContain(
      '\n\nGlobal cache:\n\n- `cacheRoot` = `D:\\a\\_temp\\upm-cache`\n- `maxCacheSize` = 1500000000 bytes (1.5 GB)\n'
    )
    expect(renderSummary({ rows: [], cache: { maxCacheSize: 999 } })).toContain(
      '\n\nGlobal cache:\n\n- `maxCacheSize` = 999 bytes (999 bytes)\n'
    )
    expect(renderSummary({ rows: [], cache: {} })).not.toContain('Global cache')
  })

  test('Windows paths keep their backslashes; pipes and backticks cannot break the table', () => {
    const markdown = renderSummary({
      rows: [
        {
          url: 'https://a.example/x|y`z/',
          form: 'auth',
          alwaysAuth: true,
          verified: 'rejected | 401 <b>',
          configFile: 'C:\\Users\\runneradmin\\.upmconfig.toml'
        }
      ]
    })
    const row = markdown.split('\n')[4]
    expect(row).toBe(
      '| ``https://a.example/x\\|y`z/`` | Basic (`_auth` given) | true | rejected \\| 401 \\<b\\> | not checked | `C:\\Users\\runneradmin\\.upmconfig.toml` |'
    )
    // Six cells: no unescaped pipe inside a cell.
    expect(row.split(/(?<!\\)\|/).length).toBe(8)
  })

  test('user information in a URL is never shown', () => {
    expect(renderSummary({ rows: [{ ...rows[0], url: 'https://user:hunter2@a.example/' }] })).not.toContain('hunter2')
  })
})

describe('verifiedLabel', () => {
  test.each([
    [undefined, 'not checked'],
    [{ url: 'u', status: 'ok', httpStatus: 200, message: '' }, 'yes (HTTP 200)'],
    [{ url: 'u', status: 'rejected', httpStatus: 401, message: '' }, 'rejected (HTTP 401)'],
    [{ url: 'u', status: 'unreachable', message: '' }, 'cannot reach'],
    [{ url: 'u', status: 'unreachable', httpStatus: 503, message: '' }, 'cannot reach (HTTP 503)'],
    [{ url: 'u', status: 'unverified', httpStatus: 404, message: '' }, 'cannot tell (HTTP 404)']
  ] as const)('%j -> %s', (result, label) => {
    expect(verifiedLabel(result)).toBe(label)
  })
})
