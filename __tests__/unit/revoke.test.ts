/**
 * The revocation of the tokens `login` minted: which ones a job still uses (a pure decision over
 * the config file's text and the ledger's items), the record the main step leaves, and the
 * request the post step sends, against a registry stand-in that really revokes (Verdaccio does
 * not: __tests__/e2e/revoke.test.ts).
 */
import { jest } from '@jest/globals'
import fs from 'node:fs'
import path from 'node:path'
import { coreDouble } from '../support/core-double.js'
import { tempDirEach } from '../support/fixtures.js'
import { freePort, startScriptedServer } from '../support/http-servers.js'
import type { RecordedRequest, ScriptedAnswer } from '../support/http-servers.js'
import type { NpmAuthEntry } from '../../src/entry.js'

const core = coreDouble()
jest.unstable_mockModule('@actions/core', () => core.module)
const { recordMintedTokens, revokeMintedTokens, tokensInUse } = await import('../../src/revoke.js')

const TOKEN = 'canary-minted/token+9f='

const entry = (url: string, token: string): NpmAuthEntry => ({ url, token, alwaysAuth: true, form: 'login' })
const holder = (value: unknown): { holders: { value: unknown }[] } => ({ holders: [{ value }] })

describe('tokensInUse', () => {
  test.each([
    ['nothing', '', [], []],
    ['a table of the file holds it', `[npmAuth."https://a.example/"]\ntoken = "${TOKEN}"\n`, [], [TOKEN]],
    ['a live job holds it in the ledger', '', [holder(entry('https://a.example/', 'held'))], ['held']],
    [
      'Basic entries and cache keys hold no token',
      '[npmAuth."https://a.example/"]\n_auth = "dTpw"\n',
      [holder('/srv/cache'), holder(5)],
      []
    ],
    ['the other tables and keys of the file', `cacheRoot = "/x"\n[npmAuth."https://b.example/"]\ntoken = "t-b"\n`, [], ['t-b']]
  ])('%s', (_case, text, items, used) => {
    expect([...(tokensInUse(text, items) ?? new Set(['not told']))].sort()).toEqual(used)
  })

  test('a text that does not parse: nobody can tell (undefined)', () => {
    expect(tokensInUse('[npmAuth."https://a.example/"\ntoken = "x"', [])).toBeUndefined()
  })
})

describe('the record and the revocation', () => {
  const dir = tempDirEach('revoke-')
  const env = { ...process.env }
  beforeEach(() => {
    core.reset()
    process.env.UPM_AUTH_NETWORK_TIMEOUT_MS = '500'
    process.env.UPM_AUTH_NETWORK_BACKOFF_MS = '10'
  })
  afterEach(() => {
    process.env = { ...env }
  })

  /** Records `entries` as the main step does and returns the record's path, as saved in state. */
  function record(entries: NpmAuthEntry[], configFile: string | null): string {
    recordMintedTokens(entries, configFile, dir.path)
    const saved = core.calls.filter(([name]) => name === 'saveState')
    expect(saved).toHaveLength(1)
    const [, key, file] = saved[0] as [string, string, string]
    expect(key).toBe('mintedTokensFile')
    return file
  }

  /** A registry that revokes: DELETE /-/user/token/<token> ends the token, whoami tells. */
  async function revokingRegistry(answer?: (r: RecordedRequest) => ScriptedAnswer | undefined) {
    const revoked = new Set<string>()
    const server = await startScriptedServer(r => {
      const given = answer?.(r)
      if (given) return given
      const bearer = (r.headers.authorization ?? '').replace(/^Bearer /, '')
      const match = /\/-\/user\/token\/([^/]+)$/.exec(r.path)
      if (r.method === 'DELETE' && match && decodeURIComponent(match[1]) === bearer) {
        revoked.add(bearer)
        return { status: 200, body: '{"ok":"Logged out"}' }
      }
      if (r.path.endsWith('/-/whoami')) return revoked.has(bearer) ? { status: 401 } : { status: 200, body: '{"username":"ci"}' }
      return { status: 404 }
    })
    return { ...server, revoked }
  }

  test('the record is a 0600 file under RUNNER_TEMP; state holds its path only', () => {
    const file = record([entry('https://a.example/', TOKEN)], '/home/runner/.upmconfig.toml')
    expect(path.dirname(file)).toBe(dir.path)
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
    expect(JSON.stringify(core.calls)).not.toContain(TOKEN)
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({
      version: 1,
      configFile: '/home/runner/.upmconfig.toml',
      tokens: [{ url: 'https://a.example/', token: TOKEN }]
    })
  })

  test('without RUNNER_TEMP there is no record (the caller warns)', () => {
    expect(() => {
      recordMintedTokens([entry('https://a.example/', TOKEN)], null, undefined)
    }).toThrow('RUNNER_TEMP is not set')
    expect(core.calls).toEqual([])
  })

  test("sends npm logout's DELETE with the token as Bearer, masked first; the registry then refuses the token", async () => {
    const registry = await revokingRegistry()
    try {
      const url = `${registry.url}npm/`
      const file = record([entry(url, TOKEN)], path.join(dir.path, '.upmconfig.toml'))
      const masked: string[] = []

      const messages = await revokeMintedTokens(file, values => {
        masked.push(...values)
        expect(registry.requests).toEqual([])
      })

      expect(masked).toEqual([TOKEN])
      expect(registry.requests.map(r => [r.method, r.path, r.headers.authorization])).toEqual([
        ['DELETE', `/npm/-/user/token/${encodeURIComponent(TOKEN)}`, `Bearer ${TOKEN}`]
      ])
      expect(messages).toEqual([
        {
          level: 'info',
          text: `${url} accepted the revocation of the token \`login\` minted for this job (DELETE /-/user/token/***: HTTP 200).`
        }
      ])
      expect(registry.revoked).toEqual(new Set([TOKEN]))
      expect((await fetch(`${url}-/whoami`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(401)
      expect(fs.existsSync(file)).toBe(false)
    } finally {
      await registry.close()
    }
  })

  test.each([
    ['the file still holds it', (url: string) => `[npmAuth."${url}"]\ntoken = "${TOKEN}"\n`, () => undefined],
    [
      'a live job holds it in the ledger',
      () => '',
      (url: string) =>
        JSON.stringify({
          version: 2,
          createdFile: false,
          items: [
            {
              kind: 'table',
              name: url,
              original: null,
              lead: '',
              trail: '',
              writtenDigest: '0'.repeat(64),
              writtenLength: 0,
              holders: [
                {
                  job: '/other/_temp/upm-auth-restore-0123456789abcdef.json',
                  host: 'another-host',
                  since: Date.now(),
                  run: '1/1',
                  value: { url, token: TOKEN, alwaysAuth: true }
                }
              ]
            }
          ]
        })
    ]
  ])('not revoked while %s', async (_case, text, ledger) => {
    const registry = await revokingRegistry()
    try {
      const url = registry.url
      const configFile = path.join(dir.path, '.upmconfig.toml')
      fs.writeFileSync(configFile, text(url))
      const ledgerText = ledger(url)
      if (ledgerText !== undefined) fs.writeFileSync(`${configFile}.ledger`, ledgerText)
      const file = record([entry(url, TOKEN), entry(`${url}other/`, 'unused-token')], configFile)

      const messages = await revokeMintedTokens(file, () => undefined)

      expect(registry.requests.map(r => r.path)).toEqual(['/other/-/user/token/unused-token'])
      expect(messages[0]).toEqual({
        level: 'info',
        text: `The token \`login\` minted for ${url} is not revoked: after this job's cleanup, ${configFile} or its ledger still holds it, so a job may still use it.`
      })
    } finally {
      await registry.close()
    }
  })

  test('a file that cannot be read as TOML: nothing is revoked, and a warning says why', async () => {
    const registry = await revokingRegistry()
    try {
      const configFile = path.join(dir.path, '.upmconfig.toml')
      fs.writeFileSync(configFile, '[npmAuth."x"\n')
      const file = record([entry(registry.url, TOKEN)], configFile)
      const messages = await revokeMintedTokens(file, () => undefined)
      expect(registry.requests).toEqual([])
      expect(messages.map(m => m.level)).toEqual(['warning'])
      expect(messages[0].text).toContain(`are not revoked: whether a job still uses them cannot be told (${configFile} is not valid TOML)`)
    } finally {
      await registry.close()
    }
  })

  test('`location: job` (no config file to ask): revoked without reading anything', async () => {
    const registry = await revokingRegistry()
    try {
      const messages = await revokeMintedTokens(record([entry(registry.url, TOKEN)], null), () => undefined)
      expect(registry.revoked).toEqual(new Set([TOKEN]))
      expect(messages.map(m => m.level)).toEqual(['info'])
    } finally {
      await registry.close()
    }
  })

  test('a registry that refuses: a warning naming it, never the token; a 5xx is retried (deleting twice is harmless)', async () => {
    const registry = await revokingRegistry(() => ({ status: 503, body: `{"error":"busy with ${TOKEN}"}` }))
    try {
      const messages = await revokeMintedTokens(record([entry(registry.url, TOKEN)], null), () => undefined)
      expect(registry.requests.map(r => r.method)).toEqual(['DELETE', 'DELETE', 'DELETE'])
      expect(messages).toEqual([
        {
          level: 'warning',
          text: `Could not revoke the token \`login\` minted for ${registry.url}: cannot reach it: it answered HTTP 503 (3 attempts). It stays valid until it expires or is revoked on the registry.`
        }
      ])
      expect(JSON.stringify(messages)).not.toContain('canary-minted')
    } finally {
      await registry.close()
    }
  })

  test('a registry without the endpoint (HTTP 404) and one that cannot be reached: a warning each', async () => {
    const registry = await revokingRegistry(() => ({ status: 404 }))
    const closed = `http://127.0.0.1:${await freePort()}/`
    try {
      const file = record([entry(registry.url, TOKEN), entry(closed, 'second-token')], null)
      const messages = await revokeMintedTokens(file, () => undefined)
      expect(messages.map(m => [m.level, m.text.replace(/\. It stays valid.*/, '')])).toEqual([
        ['warning', `Could not revoke the token \`login\` minted for ${registry.url}: DELETE /-/user/token/*** answered HTTP 404`],
        [
          'warning',
          `Could not revoke the token \`login\` minted for ${closed}: cannot reach it: the connection was refused (nothing listens at that address and port) (3 attempts)`
        ]
      ])
    } finally {
      await registry.close()
    }
  })

  test('a record that is missing or not one this version wrote: a warning that quotes nothing of it', async () => {
    const missing = await revokeMintedTokens(path.join(dir.path, 'gone.json'), () => undefined)
    expect(missing.map(m => m.level)).toEqual(['warning'])
    expect(missing[0].text).toMatch(/^Cannot read the record of the tokens `login` minted \(.*gone\.json: /)
    const other = path.join(dir.path, 'other.json')
    fs.writeFileSync(other, `{"tokens":"${TOKEN}"}`)
    const messages = await revokeMintedTokens(other, () => undefined)
    expect(messages[0].text).toContain('is not a record this version of upm-auth wrote')
    expect(messages[0].text).not.toContain(TOKEN)
  })
})
