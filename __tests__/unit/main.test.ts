/**
 * The main step with @actions/core replaced by a recorder: secrets must be registered with
 * the runner before the first line of any other kind is logged.
 */
import { jest } from '@jest/globals'
import fs from 'node:fs'
import { coreDouble } from '../support/core-double.js'
import { b64, tempDirEach } from '../support/fixtures.js'

const core = coreDouble()
const calls = core.calls
jest.unstable_mockModule('@actions/core', () => core.module)
const { run } = await import('../../src/main.js')

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
