/**
 * The manifest check, run as the runner runs the bundled action: annotations on the manifest,
 * `manifest-check: error` as a gate that changes nothing, and broken manifests as clear errors.
 */
import fs from 'node:fs'
import path from 'node:path'
import { makeRunnerDir, runAction } from '../support/action-runner.js'
import { annotationsOf, errorsOf } from '../support/annotations.js'

const URL = 'https://upm.example.com/npm/'
const TOKEN = 'manifest-test-token-7c1e'
const EXISTING = '# team B wrote this\n[npmAuth."https://b.example.com/"]\ntoken = "team-b-canary"\nalwaysAuth = true\n'

/** A runner folder whose workspace holds a Unity project with these scoped registries. */
function project(registries: { name: string; url: string }[], manifestPath = 'Packages/manifest.json'): string {
  const dir = makeRunnerDir()
  const manifest = {
    dependencies: { 'com.company.tools': '1.0.0' },
    scopedRegistries: registries.map(r => ({ ...r, scopes: ['com.company'] }))
  }
  fs.mkdirSync(path.dirname(path.join(dir, manifestPath)), { recursive: true })
  fs.writeFileSync(path.join(dir, manifestPath), JSON.stringify(manifest, null, 2) + '\n')
  return dir
}

function configText(home: string): string {
  return fs.readFileSync(path.join(home, '.upmconfig.toml'), 'utf8')
}

function withExistingConfig(dir: string): void {
  fs.writeFileSync(path.join(dir, 'home', '.upmconfig.toml'), EXISTING)
}

test('a near miss is a warning on the url line of the manifest, naming the exact URL to use', async () => {
  const dir = project([{ name: 'Company', url: URL }])
  const result = await runAction({ dir, inputs: { 'registry-url': 'https://upm.example.com/npm', token: TOKEN } })
  expect(result.code).toBe(0)
  const warnings = annotationsOf(result, 'warning')
  expect(warnings).toHaveLength(1)
  // The manifest is JSON.stringify'd with 2 spaces: "url" is on line 8.
  expect(warnings[0].properties).toEqual({ file: 'Packages/manifest.json', line: '8', title: 'Registry URL differs from the manifest' })
  expect(warnings[0].message).toContain('has credentials for "https://upm.example.com/npm" (a missing trailing slash)')
  expect(warnings[0].message).toContain(`use exactly "${URL}" as \`registry-url\``)
  // warn mode: the file is still written
  expect(configText(result.home)).toContain('[npmAuth."https://upm.example.com/npm"]')
})

test('a scoped registry without credentials is a warning; credentials already in the file count', async () => {
  const dir = project([
    { name: 'Company', url: URL },
    { name: 'Team B', url: 'https://b.example.com/' },
    { name: 'Private', url: 'https://private.example.com/' },
    { name: 'OpenUPM', url: 'https://package.openupm.com' }
  ])
  withExistingConfig(dir)
  const result = await runAction({ dir, inputs: { 'registry-url': URL, token: TOKEN } })
  expect(result.code).toBe(0)
  const warnings = annotationsOf(result, 'warning')
  expect(warnings.map(w => w.properties.title)).toEqual(['Scoped registry without credentials'])
  expect(warnings[0].message).toMatch(
    /^Scoped registry "Private" in Packages\/manifest.json \(url "https:\/\/private.example.com\/"\) has no credentials in /
  )
  expect(warnings[0].properties.line).toBe(
    String(
      fs
        .readFileSync(path.join(dir, 'Packages/manifest.json'), 'utf8')
        .split('\n')
        .findIndex(l => l.includes('private.example.com')) + 1
    )
  )
  expect(result.stdout).toContain('Packages/manifest.json: 4 scoped registries, 2 with credentials, 1 to look at.')
})

test('manifest-check: error fails on a near miss and leaves the config file byte-identical', async () => {
  const dir = project([{ name: 'Company', url: URL }])
  withExistingConfig(dir)
  const result = await runAction({
    dir,
    inputs: { 'registry-url': 'HTTPS://upm.example.com/npm/', token: TOKEN, 'manifest-check': 'error', 'cache-root': '/tmp/upm-cache' }
  })
  expect(result.code).toBe(1)
  const errors = annotationsOf(result, 'error')
  expect(errors[0].properties.file).toBe('Packages/manifest.json')
  expect(errors[0].message).toContain('(letter case in the scheme)')
  expect(errors[errors.length - 1].message).toMatch(
    /Packages\/manifest.json lists 1 scoped registry that Unity would not send credentials to .* was left as it was\./
  )
  expect(configText(result.home)).toBe(EXISTING)
  expect(result.outputs).toEqual({})
})

test('manifest-check: error passes when every scoped registry has its credentials', async () => {
  const dir = project([{ name: 'Company', url: URL }])
  const result = await runAction({ dir, inputs: { 'registry-url': URL, token: TOKEN, 'manifest-check': 'error' } })
  expect(result.code).toBe(0)
  expect(annotationsOf(result)).toEqual([])
})

test('a manifest that is not JSON is an error naming the file and line; nothing is written', async () => {
  const dir = makeRunnerDir()
  withExistingConfig(dir)
  fs.mkdirSync(path.join(dir, 'Packages'))
  fs.writeFileSync(
    path.join(dir, 'Packages', 'manifest.json'),
    '{\n  "dependencies": {},\n  // private registries\n  "scopedRegistries": []\n}\n'
  )
  const result = await runAction({ dir, inputs: { 'registry-url': URL, token: TOKEN } })
  expect(result.code).toBe(1)
  expect(errorsOf(result)).toEqual([expect.stringMatching(/^Packages\/manifest.json is not valid JSON: .* at line 3, column 3\. /)])
  expect(configText(result.home)).toBe(EXISTING)
})

test.each([
  ["manifest: ''", { manifest: '' }],
  ['manifest-check: off', { 'manifest-check': 'off' }]
])('%s skips the check, even for a broken manifest', async (_name, inputs) => {
  const dir = makeRunnerDir()
  fs.mkdirSync(path.join(dir, 'Packages'))
  fs.writeFileSync(path.join(dir, 'Packages', 'manifest.json'), '{ not json')
  const result = await runAction({ dir, inputs: { 'registry-url': URL, token: TOKEN, ...inputs } })
  expect(result.code).toBe(0)
  expect(annotationsOf(result)).toEqual([])
})

test('no manifest at the default path and no Unity project below it: skipped with a hint in the debug log only', async () => {
  const result = await runAction({ inputs: { 'registry-url': URL, token: TOKEN, 'manifest-check': 'error' } })
  expect(result.code).toBe(0)
  expect(annotationsOf(result)).toEqual([])
  const lines = result.stdout
    .split('\n')
    .filter(l => l.includes('No Packages/manifest.json at the root of the workspace, so the manifest check was skipped.'))
  expect(lines).toHaveLength(1)
  expect(lines[0]).toMatch(/^::debug::.*None within 3 folders below it either/)
})

test('no manifest at the default path, a Unity project in a subfolder: a notice names it and the input to set', async () => {
  const dir = project([{ name: 'Company', url: URL }], 'game/Packages/manifest.json')
  const result = await runAction({ dir, inputs: { 'registry-url': URL, token: TOKEN, 'manifest-check': 'error' } })
  expect(result.code).toBe(0)
  expect(annotationsOf(result)).toEqual([
    {
      level: 'notice',
      properties: {},
      message:
        'No Packages/manifest.json at the root of the workspace, so the manifest check was skipped. ' +
        "Found game/Packages/manifest.json: set `manifest: game/Packages/manifest.json` to check it (or `manifest: ''` for no check)."
    }
  ])
})

test('several Unity projects below the workspace: the notice lists them, nearest first', async () => {
  const dir = project([{ name: 'Company', url: URL }], 'tools/sandbox/Packages/manifest.json')
  for (const other of ['game', 'demo']) {
    fs.mkdirSync(path.join(dir, other, 'Packages'), { recursive: true })
    fs.writeFileSync(path.join(dir, other, 'Packages', 'manifest.json'), '{}')
  }
  const result = await runAction({ dir, inputs: { 'registry-url': URL, token: TOKEN } })
  expect(result.code).toBe(0)
  const [notice] = annotationsOf(result, 'notice')
  expect(notice.message).toContain(
    'Found 3: demo/Packages/manifest.json, game/Packages/manifest.json, tools/sandbox/Packages/manifest.json. Set `manifest`'
  )
})

test('a project in a subfolder is found through `manifest`', async () => {
  const dir = project([{ name: 'Company', url: URL }], 'game/Packages/manifest.json')
  const result = await runAction({
    dir,
    inputs: { 'registry-url': 'http://upm.example.com/npm/', token: TOKEN, manifest: 'game/Packages/manifest.json' }
  })
  expect(result.code).toBe(0)
  const near = annotationsOf(result, 'warning').filter(w => w.properties.file)
  expect(near.map(w => w.properties.file)).toEqual(['game/Packages/manifest.json'])
  expect(near[0].message).toContain('(http instead of https)')
})

test('a manifest linked from elsewhere in the workspace is followed (a monorepo sharing one Packages folder)', async () => {
  const dir = project([{ name: 'Company', url: URL }], 'shared/Packages/manifest.json')
  fs.mkdirSync(path.join(dir, 'game'))
  fs.symlinkSync(path.join('..', 'shared', 'Packages'), path.join(dir, 'game', 'Packages'))
  const result = await runAction({
    dir,
    inputs: { 'registry-url': URL, token: TOKEN, manifest: 'game/Packages/manifest.json', 'manifest-check': 'error' }
  })
  expect(errorsOf(result)).toEqual([])
  expect(result.code).toBe(0)
  expect(result.stdout).toContain('game/Packages/manifest.json: 1 scoped registry, 1 with credentials, 0 to look at.')
})

test('a manifest outside the workspace is named by its path, without a file annotation', async () => {
  const outside = project([{ name: 'Company', url: URL }])
  const file = path.join(outside, 'Packages', 'manifest.json')
  const result = await runAction({ inputs: { 'registry-url': 'https://upm.example.com:443/npm/', token: TOKEN, manifest: file } })
  expect(result.code).toBe(0)
  const [warning] = annotationsOf(result, 'warning')
  expect(warning.properties.file).toBeUndefined()
  expect(warning.message).toContain(`in ${file} has url`)
  expect(warning.message).toContain('(the default port :443 written out)')
})

test.each([
  [
    'a missing file',
    { manifest: 'Unity/Packages/manifest.json' },
    /^Input `manifest` names .*Unity\/Packages\/manifest.json, which cannot be read: it does not exist\./
  ],
  ['a folder', { manifest: 'home' }, /^Input `manifest` names .*home, which cannot be read: it is a folder\./],
  ['an unknown manifest-check', { 'manifest-check': 'strict' }, /^Input `manifest-check` must be one of warn, error, off, not "strict"\.$/]
])('%s is an error naming the input; nothing is written', async (_name, inputs, message) => {
  const dir = makeRunnerDir()
  withExistingConfig(dir)
  const result = await runAction({ dir, inputs: { 'registry-url': URL, token: TOKEN, ...inputs } })
  expect(result.code).toBe(1)
  expect(errorsOf(result)).toEqual([expect.stringMatching(message)])
  expect(configText(result.home)).toBe(EXISTING)
})
