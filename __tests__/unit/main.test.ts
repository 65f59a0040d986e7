/**
 * The main step with @actions/core replaced by a recorder: secrets must be registered with
 * the runner before the first line of any other kind is logged.
 */
import { jest } from '@jest/globals'
import fs from 'node:fs'
import path from 'node:path'
import { coreDouble } from '../support/core-double.js'
import { b64, tempDirEach } from '../support/fixtures.js'

const core = coreDouble()
const calls = core.calls
jest.unstable_mockModule('@actions/core', () => core.module)
const { run } = await import('../../src/main.js')
const { lockPathOf } = await import('../../src/shared-file/lock.js')

const homeDir = tempDirEach('main-')
let home: string
const savedHome = process.env.HOME
beforeEach(() => {
  core.reset()
  home = homeDir.path
  process.env.HOME = home
  process.env.USERPROFILE = home
})
afterAll(() => {
  process.env.HOME = savedHome
})

test.each([
  ['token', { 'registry-url': 'https://a.example/', token: 'T0KEN' }, ['T0KEN']],
  ['email + pat', { 'registry-url': 'https://a.example/', email: 'e@x.io', pat: 'P4T' }, ['P4T', b64('e@x.io:P4T')]],
  ['username + password', { 'registry-url': 'http://a.example/', username: 'u', password: 'PW' }, ['PW', b64('u:PW')]],
  [
    'registries fragment',
    {
      registries: '[npmAuth."https://b.example/"]\nusername = "u"\npassword = "FRAG-PW"\n',
      'registry-url': 'https://u:URLPW@c.example/',
      token: 'T'
    },
    ['FRAG-PW', 'URLPW']
  ]
])('%s: every secret and derived value is masked before anything else is logged', async (_name, given, secrets) => {
  // The default manifest does not exist here, so the manifest check logs a hint: after the masks.
  core.inputs = { 'always-auth': 'true', location: 'home', manifest: 'Packages/manifest.json', 'manifest-check': 'warn', ...given }
  await run()
  const firstOther = calls.findIndex(([name]) => name !== 'setSecret')
  const maskedBefore = calls.slice(0, firstOther < 0 ? calls.length : firstOther).map(([, value]) => value)
  for (const secret of secrets) expect(maskedBefore).toContain(secret)
  const logged = JSON.stringify(calls.filter(([name]) => name !== 'setSecret'))
  for (const secret of secrets) expect(logged).not.toContain(secret)
})

test('a failure is reported once through setFailed and nothing is written', async () => {
  core.inputs = { 'registry-url': 'https://a.example/', token: 'x', auth: b64('u:p'), 'always-auth': 'true', location: 'home' }
  await run()
  expect(calls.filter(([name]) => name === 'setFailed')).toEqual([['setFailed', expect.stringMatching(/more than one credential/)]])
  expect(fs.readdirSync(home)).toEqual([])
})

describe('what the merge has to say is logged once the lock is released', () => {
  const workspaceDir = tempDirEach('main-ws-')
  let workspace: string
  const savedWorkspace = process.env.GITHUB_WORKSPACE
  beforeEach(() => {
    workspace = workspaceDir.path
    process.env.GITHUB_WORKSPACE = workspace
  })
  afterEach(() => {
    process.env.GITHUB_WORKSPACE = savedWorkspace
  })

  /** Records, for each call whose text matches, whether the config file's lock was held then. */
  function lockHeldAt(file: string, pattern: RegExp): boolean[] {
    const held: boolean[] = []
    core.onCall = ([, text]) => {
      if (typeof text === 'string' && pattern.test(text)) held.push(fs.existsSync(lockPathOf(file)))
    }
    return held
  }

  test('the byte order mark notice', async () => {
    const file = path.join(home, '.upmconfig.toml')
    fs.writeFileSync(file, '\uFEFF[npmAuth."https://other.example/"]\ntoken = "o"\n')
    core.inputs = { 'registry-url': 'https://a.example/', token: 'T', 'always-auth': 'true', location: 'home', cleanup: 'false' }
    const held = lockHeldAt(file, /byte order mark/)
    await run()
    expect(calls.filter(([name]) => name === 'setFailed')).toEqual([])
    expect(held).toEqual([false])
  })

  test('the manifest gate: its errors and the failure come after the lock, and the file is not written', async () => {
    fs.mkdirSync(path.join(workspace, 'Packages'))
    const manifest = { scopedRegistries: [{ name: 'B', url: 'https://b.example/', scopes: ['com.b'] }] }
    fs.writeFileSync(path.join(workspace, 'Packages', 'manifest.json'), JSON.stringify(manifest, null, 2))
    const file = path.join(home, '.upmconfig.toml')
    core.inputs = {
      'registry-url': 'https://a.example/',
      token: 'T',
      'always-auth': 'true',
      location: 'home',
      manifest: 'Packages/manifest.json',
      'manifest-check': 'error',
      cleanup: 'false'
    }
    const held = lockHeldAt(file, /https:\/\/b\.example\/|Packages\/manifest\.json/)
    await run()
    const names = calls.map(([name]) => name).filter(name => name === 'error' || name === 'setFailed')
    expect(names).toEqual(['error', 'setFailed'])
    expect(held.length).toBeGreaterThanOrEqual(2)
    expect(held.every(h => !h)).toBe(true)
    expect(fs.existsSync(file)).toBe(false)
  })
})
