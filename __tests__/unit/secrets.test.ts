/**
 * What counts as a secret for a `registries` table and for an entry about to be written: the
 * values main masks before anything else is logged.
 */
import { entrySecrets, tableSecrets } from '../../src/secrets.js'

describe('tableSecrets', () => {
  test('the secret fields, the values read from the environment and the URL user information', () => {
    const table = {
      url: 'https://ci:URL-PW@upm.example.com/npm/',
      fields: { token: 'TOK', auth: '', pat: 'PAT', password: 'PW', email: 'ci@example.com', username: 'ci' },
      fromEnv: ['FROM-ENV-EMAIL@example.com']
    }
    expect(tableSecrets(table)).toEqual(['TOK', 'PAT', 'PW', 'FROM-ENV-EMAIL@example.com', 'ci:URL-PW', 'URL-PW'])
  })

  test('user information in its oidc-exchange-url too', () => {
    const table = {
      url: 'https://upm.example.com/',
      fields: { oidc: 'cloudsmith', oidcExchangeUrl: 'https://ci:X-PW@cs.example.com/o/' },
      fromEnv: []
    }
    expect(tableSecrets(table)).toEqual(['ci:X-PW', 'X-PW'])
  })

  test('an email or username written in the text is not a secret', () => {
    expect(tableSecrets({ url: 'https://upm.example.com/', fields: { email: 'e@x.io', username: 'u' }, fromEnv: [] })).toEqual([])
  })
})

describe('entrySecrets', () => {
  test('a token entry: its token', () => {
    expect(entrySecrets({ url: 'https://a.example/', token: 'T', alwaysAuth: true, form: 'token' })).toEqual(['T'])
  })

  test('a Basic entry: its _auth, the derived value the runner has never seen', () => {
    expect(entrySecrets({ url: 'https://a.example/', _auth: 'dTpw', email: 'e@x.io', alwaysAuth: true, form: 'email+pat' })).toEqual([
      'dTpw'
    ])
  })

  test('an oidc entry before its exchange has nothing to mask yet', () => {
    expect(entrySecrets({ url: 'https://a.example/', alwaysAuth: true, form: 'oidc' })).toEqual([])
  })
})
