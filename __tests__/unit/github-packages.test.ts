import { isGitHubPackagesUrl, urlScope } from '../../src/github-packages.js'

describe('urlScope: the npm scope a registry URL ends in', () => {
  test.each([
    ['https://npm.pkg.github.com/@octo-org', '@octo-org'],
    ['https://npm.pkg.github.com/@octo-org/', '@octo-org'],
    ['https://ghe.example.com/_registry/npm/@octo-org', '@octo-org'],
    ['http://127.0.0.1:4873/@example', '@example'],
    ['https://npm.pkg.github.com', undefined],
    ['https://npm.pkg.github.com/', undefined],
    ['https://upm.example.com/npm/', undefined],
    ['https://upm.example.com/@scope/npm/', undefined],
    ['not a url', undefined]
  ])('%s -> %s', (url, scope) => {
    expect(urlScope(url)).toBe(scope)
  })
})

describe("isGitHubPackagesUrl: GitHub Packages' npm registry", () => {
  test.each([
    ['github.com', 'https://npm.pkg.github.com/@octo-org', undefined, true],
    ['github.com, any letter case', 'https://NPM.pkg.GitHub.com/@octo-org', 'https://github.com', true],
    ['GitHub Enterprise Cloud with data residency', 'https://npm.octocorp.ghe.com/@octo-org', undefined, true],
    ['GHES, subdomain isolation on', 'https://npm.ghe.example.com/@octo-org', 'https://ghe.example.com', true],
    ['GHES, subdomain isolation off', 'https://ghe.example.com/_registry/npm/@octo-org', 'https://ghe.example.com', true],
    ['GHES host, another path', 'https://ghe.example.com/npm/@octo-org', 'https://ghe.example.com', false],
    ['GHES form without the server it belongs to', 'https://npm.ghe.example.com/@octo-org', undefined, false],
    ['another registry', 'https://upm.example.com/npm/', 'https://github.com', false],
    ['a look-alike host', 'https://npm.pkg.github.com.example.org/@octo-org', 'https://github.com', false],
    ['npm on github.com itself is not a registry', 'https://npm.github.com/@octo-org', 'https://github.com', false]
  ])('%s', (_case, url, serverUrl, expected) => {
    expect(isGitHubPackagesUrl(url, serverUrl)).toBe(expected)
  })
})
