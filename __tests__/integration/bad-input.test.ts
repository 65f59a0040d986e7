/**
 * A catalogue of bad input, run through dist/index.js as the runner runs it. Every case must
 * fail the step with one clear error that names the culprit and echoes no secret, and leave
 * everything on disk as it was: the existing file byte-identical, no lock, temporary file or
 * cleanup record left behind.
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { leakedSecrets, makeRunnerDir, runAction } from '../support/action-runner.js'
import { annotationsOf, errorsOf, workflowCommands } from '../support/annotations.js'
import { b64 } from '../support/fixtures.js'

const A = 'https://upm.example.com/npm/'
const SECRET = 'tok-SECRET-5f2a'

/** A valid user config the runner already has; every case checks it is left byte for byte. */
const EXISTING = `# build machine\ncacheRoot = "/srv/upm"\n\n[npmAuth."${A}"]\ntoken = "other-team-token"\nalwaysAuth = true\n`

interface Paths {
  dir: string
  home: string
  config: string
}

interface BadInput {
  name: string
  inputs: Record<string, string>
  env?: (p: Paths) => Record<string, string | undefined>
  /** Puts the existing file(s) in place; by default EXISTING at ~/.upmconfig.toml. */
  setup?: (p: Paths) => void
  /** What the error must say: the input, key or file at fault. */
  culprit: RegExp | ((p: Paths) => string)
  /** Why the case cannot run here (it is then skipped, visibly). */
  skip?: string
  /** Needs an account that permission bits apply to: as root, run as `nobody`. */
  unprivileged?: true
}

const withToken = (inputs: Record<string, string> = {}): Record<string, string> => ({ 'registry-url': A, token: SECRET, ...inputs })
const fragment = (text: string): Record<string, string> => ({ registries: text })
/** Cloudsmith OIDC for `A`, with its exchange at `url`. */
const viaExchange = (url: string): Record<string, string> => ({
  'registry-url': A,
  oidc: 'cloudsmith',
  'oidc-service': 'svc',
  'oidc-exchange-url': url
})
const existing = (content: string | Buffer) => (p: Paths) => {
  fs.writeFileSync(p.config, content)
}
const isRoot = process.getuid?.() === 0
const NOBODY = { uid: 65534, gid: 65534 }

const cases: BadInput[] = [
  // Registry URLs
  {
    name: 'registry-url is not absolute',
    inputs: withToken({ 'registry-url': 'upm.example.com/npm/' }),
    culprit: /^Input `registry-url` is not an absolute URL/
  },
  {
    name: 'registry-url uses ftp',
    inputs: withToken({ 'registry-url': 'ftp://upm.example.com/' }),
    culprit: /^Input `registry-url` must start with https:\/\/ or http:\/\//
  },
  {
    name: 'registry-url is a file URL',
    inputs: withToken({ 'registry-url': 'file:///etc/upm' }),
    culprit: /^Input `registry-url` must start with https/
  },
  {
    name: 'registry-url carries user:password@',
    inputs: withToken({ 'registry-url': 'https://ci:hunter2-SECRET@upm.example.com/npm/' }),
    culprit: /^Input `registry-url` carries user information/
  },
  ...[
    ['a / in the password', 'https://ci:ab/hunter2-SECRET@upm.example.com/npm/'],
    ['a ? in the password', 'https://ci:ab?hunter2-SECRET@upm.example.com/npm/'],
    ['one slash after the scheme', 'https:/ci:hunter2-SECRET@upm.example.com/npm/'],
    ['backslashes after the scheme', 'https:\\\\ci:hunter2-SECRET@upm.example.com/npm/'],
    ['no scheme', '//ci:hunter2-SECRET@upm.example.com/npm/'],
    ['a token and a slash, no colon (a parser sees host Tok3n)', 'https://Tok3n/hunter2-SECRET@upm.example.com/npm/']
  ].map(([how, url]) => ({
    name: `registry-url carries user information with ${how}`,
    inputs: withToken({ 'registry-url': url }),
    culprit: /^Input `registry-url` carries user information/
  })),
  {
    name: 'a registries table URL carries user information behind a ?',
    inputs: fragment('[npmAuth."https://ci:ab?hunter2-SECRET@upm.example.com/npm/"]\ntoken = "x"\n'),
    culprit: /table \[npmAuth."https:\/\/\*\*\*@upm.example.com\/npm\/"\] carries user information/
  },
  {
    name: 'registry-url has a query',
    inputs: withToken({ 'registry-url': `${A}?scope=com.example` }),
    culprit: /^Input `registry-url` has a query/
  },
  {
    name: 'registry-url has a fragment',
    inputs: withToken({ 'registry-url': `${A}#top` }),
    culprit: /^Input `registry-url` has a fragment/
  },
  {
    name: 'registry-url has inner white space',
    inputs: withToken({ 'registry-url': 'https://upm.example.com/my npm/' }),
    culprit: /^Input `registry-url` contains white space/
  },
  {
    name: 'registry-url has a line break',
    inputs: withToken({ 'registry-url': 'https://upm.example.com/\nnpm/' }),
    culprit: /^Input `registry-url` contains a line break/
  },
  {
    name: 'registry-url has a control character',
    inputs: withToken({ 'registry-url': 'https://upm.example.com/\u001b[31mnpm/' }),
    culprit: /^Input `registry-url` contains a line break or a control character/
  },
  { name: 'a credential without registry-url', inputs: { token: SECRET }, culprit: /^Input `token` is set but `registry-url` is empty/ },

  // The OIDC exchange URL, as every URL input: user information masked, refused, never quoted
  ...(
    [
      ['the input', viaExchange('https://ci:hunter2-SECRET@cs.example.com/openid/o/')],
      ['the input, a / in the password', viaExchange('https://ci:ab/hunter2-SECRET@cs.example.com/openid/o/')],
      [
        'a registries table',
        fragment(
          `[npmAuth."${A}"]\noidc = "cloudsmith"\noidc-service = "svc"\noidc-exchange-url = "https://ci:hunter2-SECRET@cs.example.com/openid/o/"\n`
        )
      ]
    ] as const
  ).map(([where, inputs]) => ({
    name: `oidc-exchange-url carries user information (${where})`,
    inputs,
    culprit: /oidc-exchange-url` carries user information \(user:password@, in https:\/\/cs\.example\.com\/…\)/
  })),
  {
    name: 'oidc-exchange-url is plain http to another machine',
    inputs: viaExchange('http://cs.example.com/openid/o/'),
    culprit:
      /^`oidc`: the token exchange for https:\/\/upm\.example\.com\/npm\/, http:\/\/cs\.example\.com\/openid\/o\/, is plain http to another machine/
  },
  {
    name: 'oidc on a plain http registry, whose origin would get the ID token',
    inputs: { 'registry-url': 'http://upm.example.com/npm/', oidc: 'artifactory', 'oidc-provider-name': 'gh' },
    culprit: /is plain http to another machine: the job's GitHub ID token would cross the network unencrypted/
  },

  // Credentials
  { name: 'no credential', inputs: { 'registry-url': A }, culprit: /^Input `registry-url` has no credential/ },
  {
    name: 'no credential, outside a runner (no GITHUB_EVENT_NAME, as npm run local)',
    inputs: { 'registry-url': A },
    env: () => ({ GITHUB_EVENT_NAME: undefined }),
    culprit: /^Input `registry-url` has no credential/
  },
  {
    name: 'registries ${NAME} variable unset',
    inputs: fragment(`[npmAuth."${A}"]\ntoken = "\${UPM_TOKEN}"\n`),
    env: () => ({ UPM_TOKEN: undefined }),
    culprit: /key `token` reads the environment variable UPM_TOKEN, which is not set/
  },
  ...[
    ['ACTIONS_RUNTIME_TOKEN', 'token'],
    ['ACTIONS_ID_TOKEN_REQUEST_TOKEN', '_auth'],
    ['runner_tracking_id', 'token']
  ].map(([name, key]) => ({
    name: `registries \${${name}} reads the runner's own credentials`,
    inputs: fragment(`[npmAuth."${A}"]\n${key} = "\${${name}}"\n`),
    env: () => ({ [name]: 'canary-runner-SECRET', [name.toUpperCase()]: 'canary-runner-SECRET' }),
    culprit: new RegExp(`key \`${key}\` reads ${name}, a variable of the runner \\(ACTIONS_\\*, RUNNER_\\*\\)`)
  })),
  {
    name: 'registries ${NAME} variable empty',
    inputs: fragment(`[npmAuth."${A}"]\n_auth = "\${UPM_AUTH}"\n`),
    env: () => ({ UPM_AUTH: '' }),
    culprit: /key `_auth` reads the environment variable UPM_AUTH, which is empty/
  },
  { name: 'token and auth', inputs: withToken({ auth: b64('u:p') }), culprit: /more than one credential: input `token`, input `auth`/ },
  {
    name: 'token and pat',
    inputs: withToken({ email: 'me@example.com', pat: 'pat-SECRET' }),
    culprit: /more than one credential: input `token`, input `pat`/
  },
  {
    name: 'token and a lone password',
    inputs: withToken({ password: 'pw-SECRET' }),
    culprit: /more than one credential: input `token`, input `password`\. /
  },
  {
    name: 'token and username + password',
    inputs: withToken({ username: 'ci', password: 'pw-SECRET' }),
    culprit: /more than one credential: input `token`, input `username` \+ input `password`\. /
  },
  {
    name: 'auth is not base64',
    inputs: { 'registry-url': A, auth: 'not base64!' },
    culprit: /^Input `auth` is not base64 of "user:secret"/
  },
  {
    name: 'auth decodes without a colon',
    inputs: { 'registry-url': A, auth: b64('justuser') },
    culprit: /^Input `auth` is not base64 of "user:secret"/
  },
  { name: 'pat without email', inputs: { 'registry-url': A, pat: 'pat-SECRET' }, culprit: /^Input `pat` is set without input `email`/ },
  {
    name: 'email with a colon',
    inputs: { 'registry-url': A, email: 'me:x@example.com', pat: 'pat-SECRET' },
    culprit: /^Input `email` contains ":"/
  },
  {
    name: 'username without password',
    inputs: { 'registry-url': A, username: 'ci' },
    culprit: /^Input `username` is set without input `password`/
  },
  {
    name: 'password without username',
    inputs: { 'registry-url': A, password: 'pw-SECRET' },
    culprit: /^Input `password` is set without input `username`/
  },
  {
    name: 'username with a colon',
    inputs: { 'registry-url': A, username: 'c:i', password: 'pw-SECRET' },
    culprit: /^Input `username` contains ":"/
  },
  {
    name: 'token with a line break',
    inputs: withToken({ token: 'tok-SECRET\nsecond-line' }),
    culprit: /^Input `token` contains a line break/
  },
  {
    name: 'email alone',
    inputs: { 'registry-url': A, email: 'me@example.com' },
    culprit: /^Input `registry-url` has input `email` but no credential/
  },

  // The runner's command files
  {
    name: 'GITHUB_STATE names a missing file',
    inputs: withToken(),
    env: p => ({ GITHUB_STATE: path.join(p.dir, 'no-such-state') }),
    culprit: p => `GITHUB_STATE (${path.join(p.dir, 'no-such-state')}) names a file that does not exist.`
  },
  {
    name: 'GITHUB_OUTPUT names a missing file',
    inputs: withToken(),
    env: p => ({ GITHUB_OUTPUT: path.join(p.dir, 'no-such-output') }),
    culprit: p => `GITHUB_OUTPUT (${path.join(p.dir, 'no-such-output')}) names a file that does not exist.`
  },

  // Other inputs
  {
    name: 'always-auth is not a boolean',
    inputs: withToken({ 'always-auth': 'yes' }),
    culprit: /^Input `always-auth` must be true or false, not "yes"/
  },
  {
    name: 'cleanup is not a boolean',
    inputs: withToken({ cleanup: 'maybe' }),
    culprit: /^Input `cleanup` must be true or false, not "maybe"/
  },
  {
    name: 'unknown location',
    inputs: withToken({ location: 'everywhere' }),
    culprit: /^Input `location` must be one of home, service-account, job/
  },
  {
    name: 'service-account location off Windows',
    inputs: withToken({ location: 'service-account' }),
    culprit: /^Input `location: service-account` is for Windows/
  },
  // Paths: a line break would start a workflow command of its own in the log
  {
    name: 'config-file has a line break that would issue a command',
    inputs: withToken({ 'config-file': 'unity/.upmconfig.toml\n::warning::forged' }),
    culprit: /^Input `config-file` contains a line break or a control character \(unity\/\.upmconfig\.toml\\n::warning::forged\)/
  },
  {
    name: 'UPM_USER_CONFIG_FILE has a line break that would stop commands',
    inputs: withToken(),
    env: p => ({ UPM_USER_CONFIG_FILE: `${p.home}/.upmconfig.toml\r::stop-commands::resume` }),
    culprit: /^UPM_USER_CONFIG_FILE contains a line break or a control character \(.*\\r::stop-commands::resume\)/
  },
  {
    name: 'manifest has a line break',
    inputs: withToken({ manifest: 'Packages/manifest.json\n::error::forged' }),
    culprit: /^Input `manifest` contains a line break or a control character/
  },
  {
    name: 'config-file names a folder',
    inputs: withToken({ 'config-file': 'unity/' }),
    culprit: /^Input `config-file` \(unity\/\) names a folder/
  },
  {
    name: 'UPM_USER_CONFIG_FILE is relative',
    inputs: withToken(),
    env: () => ({ UPM_USER_CONFIG_FILE: 'cfg/.upmconfig.toml' }),
    culprit: /^UPM_USER_CONFIG_FILE is set to a relative path/
  },
  {
    name: 'HOME is not set',
    inputs: withToken(),
    env: () => ({ HOME: undefined }),
    culprit: /^Cannot find the home folder: HOME is not set/
  },
  {
    name: 'location job without RUNNER_TEMP',
    inputs: withToken({ location: 'job' }),
    env: () => ({ RUNNER_TEMP: undefined }),
    culprit: /^Input `location: job` needs RUNNER_TEMP/
  },

  // The registries fragment
  {
    name: 'fragment is not TOML',
    inputs: fragment(`[npmAuth."${A}"\ntoken = "${SECRET}"`),
    culprit: /^Input `registries` is not valid TOML: .* at line 1, column/
  },
  {
    name: 'fragment has a top-level key',
    inputs: fragment(`token = "${SECRET}"`),
    culprit: /^Input `registries` .* has a top-level key `token`/
  },
  { name: 'fragment npmAuth is not a table', inputs: fragment('npmAuth = 1'), culprit: /^Input `registries` .* `npmAuth` is not a table/ },
  {
    name: 'fragment entry is not a table',
    inputs: fragment(`[npmAuth]\n"${A}" = "${SECRET}"`),
    culprit: /^`registries` table \[npmAuth\."https:\/\/upm\.example\.com\/npm\/"\] is not a table/
  },
  {
    name: 'fragment has an unknown key',
    inputs: fragment(`[npmAuth."${A}"]\ntoken = "${SECRET}"\nuser = "me"`),
    culprit: /has an unknown key `user`/
  },
  {
    name: 'fragment alwaysAuth is a string',
    inputs: fragment(`[npmAuth."${A}"]\ntoken = "${SECRET}"\nalwaysAuth = "yes"`),
    culprit: /key `alwaysAuth` must be true or false/
  },
  {
    name: 'fragment token is a number',
    inputs: fragment(`[npmAuth."${A}"]\ntoken = 42`),
    culprit: /key `token` must be a string in quotes/
  },
  {
    name: 'fragment repeats registry-url',
    inputs: { ...withToken(), ...fragment(`[npmAuth."${A}"]\ntoken = "${SECRET}"`) },
    culprit: /configures https:\/\/upm\.example\.com\/npm\/ a second time \(it is also `registry-url`\)/
  },
  {
    name: 'fragment table without credential',
    inputs: fragment(`[npmAuth."${A}"]\nalwaysAuth = true`),
    culprit: /^`registries` table \[npmAuth\."https:\/\/upm\.example\.com\/npm\/"\] has no credential/
  },
  {
    name: 'fragment URL is not http(s)',
    inputs: fragment(`[npmAuth."ssh://upm.example.com/"]\ntoken = "${SECRET}"`),
    culprit: /table \[npmAuth\."ssh:\/\/upm\.example\.com\/"\] must start with https/
  },
  {
    name: 'fragment table with two credentials',
    inputs: fragment(`[npmAuth."${A}"]\ntoken = "${SECRET}"\n_auth = "${b64('u:p')}"`),
    culprit: /more than one credential: .*key `token`, .*key `_auth`/
  },
  {
    name: 'fragment with only a comment',
    inputs: fragment('# nothing here'),
    culprit: /^Input `registries` must hold only \[npmAuth\."URL"\] tables; it has none/
  },

  // The existing file
  {
    name: 'corrupt TOML',
    inputs: withToken(),
    setup: existing(`cacheRoot = "/srv"\n[npmAuth."${A}"\ntoken = "x"\n`),
    culprit: p => `${p.config} is not valid TOML: `
  },
  {
    name: 'UTF-16 LE (PowerShell Out-File)',
    inputs: withToken(),
    setup: existing(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(EXISTING, 'utf16le')])),
    culprit: p => `${p.config} is encoded as UTF-16`
  },
  {
    name: 'UTF-16 BE',
    inputs: withToken(),
    setup: existing(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(EXISTING, 'utf16le').swap16()])),
    culprit: p => `${p.config} is encoded as UTF-16`
  },
  {
    name: 'not UTF-8',
    inputs: withToken(),
    setup: existing(Buffer.from([0x61, 0x20, 0x3d, 0x20, 0x22, 0xc3, 0x28, 0x22, 0x0a])),
    culprit: p => `${p.config} is not valid UTF-8 text`
  },
  {
    name: 'UTF-8 BOM and corrupt',
    inputs: withToken(),
    setup: existing(`\ufeffcacheRoot = \n`),
    culprit: p => `${p.config} is not valid TOML: `
  },
  {
    name: 'CRLF with a duplicate table',
    inputs: withToken(),
    setup: existing(`[npmAuth."${A}"]\r\ntoken = "a"\r\n[npmAuth."${A}"]\r\ntoken = "b"\r\n`),
    culprit: p => `${p.config} is not valid TOML: `
  },
  {
    name: 'npmAuth as an inline table',
    inputs: withToken(),
    setup: existing(`npmAuth = { "${A}" = { token = "x" } }\n`),
    culprit: p => `${p.config} defines the entry for ${A} in a form this action cannot edit in place`
  },
  {
    name: 'npmAuth is a string',
    inputs: withToken(),
    setup: existing('npmAuth = "x"\n'),
    culprit: p => `${p.config} has a top-level \`npmAuth\` that is not a table`
  },
  {
    name: 'entry as dotted keys',
    inputs: withToken(),
    setup: existing(`[npmAuth]\n"${A}".token = "x"\n`),
    culprit: p => `${p.config} defines the entry for ${A} in a form this action cannot edit in place`
  },
  {
    name: 'entry as an array of tables',
    inputs: withToken(),
    setup: existing(`[[npmAuth."${A}"]]\ntoken = "x"\n`),
    culprit: p => `${p.config} defines the entry for ${A} in a form this action cannot edit in place`
  },
  {
    name: 'entry with a sub-table',
    inputs: withToken(),
    setup: existing(`[npmAuth."${A}"]\ntoken = "x"\n[npmAuth."${A}".extra]\nk = 1\n`),
    culprit: p => `${p.config} defines npmAuth in a form this action cannot extend in place`
  },
  {
    name: 'a folder where the file should be',
    inputs: withToken(),
    setup: p => {
      fs.mkdirSync(p.config)
      fs.writeFileSync(path.join(p.config, 'keep.txt'), 'x')
    },
    culprit: p => `${p.config} is a folder, not a file`
  },
  {
    name: 'a symlinked config file',
    inputs: withToken(),
    setup: p => {
      fs.writeFileSync(path.join(p.dir, 'real.toml'), EXISTING)
      fs.symlinkSync(path.join(p.dir, 'real.toml'), p.config)
    },
    culprit: p => `${p.config} is a symbolic link`
  },
  {
    name: 'a named pipe where the file should be',
    inputs: withToken(),
    setup: p => {
      expect(spawnSync('mkfifo', [p.config]).status).toBe(0)
    },
    culprit: p => `${p.config} is not a regular file`,
    skip: process.platform === 'win32' ? 'no named pipes in the file system on Windows' : undefined
  },
  {
    name: 'a very large file (2 MiB)',
    inputs: withToken(),
    setup: existing(`${EXISTING}${'# padding padding padding padding\n'.repeat(64 * 1024)}`),
    culprit: p => `${p.config} is 2.1 MB; a .upmconfig.toml holds a few kilobytes`
  },
  {
    name: 'a file where a folder of config-file is expected',
    inputs: withToken({ 'config-file': 'unity-home/.upmconfig.toml' }),
    setup: p => {
      fs.writeFileSync(p.config, EXISTING)
      fs.writeFileSync(path.join(p.dir, 'unity-home'), 'not a folder')
    },
    culprit: p => `Cannot create the folder ${path.join(p.dir, 'unity-home')}: a file of that name is in the way`
  },
  {
    name: 'a file where a parent folder of config-file is expected',
    inputs: withToken({ 'config-file': 'unity-home/config/.upmconfig.toml' }),
    setup: p => {
      fs.writeFileSync(p.config, EXISTING)
      fs.writeFileSync(path.join(p.dir, 'unity-home'), 'not a folder')
    },
    culprit: p => `Cannot create the folder ${path.join(p.dir, 'unity-home', 'config')}: a part of the path is a file, not a folder`
  },
  {
    name: 'UPM_USER_CONFIG_FILE names a folder',
    inputs: withToken(),
    env: p => ({ UPM_USER_CONFIG_FILE: p.home }),
    culprit: p => `${p.home} is a folder, not a file`
  },
  {
    name: 'RUNNER_TEMP is a file, so cleanup cannot be recorded',
    inputs: withToken(),
    env: p => ({ RUNNER_TEMP: path.join(p.dir, 'temp-file') }),
    setup: p => {
      fs.writeFileSync(p.config, EXISTING)
      fs.writeFileSync(path.join(p.dir, 'temp-file'), '')
    },
    culprit: /^Cannot write the cleanup record .* under RUNNER_TEMP: a part of the path is a file, not a folder\. .*set `cleanup: false`/
  },
  {
    name: 'a read-only home folder',
    inputs: withToken(),
    setup: p => {
      fs.writeFileSync(p.config, EXISTING)
      fs.chmodSync(p.home, 0o500)
    },
    culprit: p => `Cannot write ${p.config}: cannot create its lock file ${p.config}.lock: permission denied`,
    unprivileged: true,
    skip: process.platform === 'win32' ? 'Windows ignores the read-only mode bits of folders' : undefined
  },

  // The manifest, as anyone who can push a branch may have made it
  {
    name: 'manifest is a link to /dev/zero',
    inputs: withToken(),
    setup: p => {
      fs.writeFileSync(p.config, EXISTING)
      fs.mkdirSync(path.join(p.dir, 'Packages'))
      fs.symlinkSync('/dev/zero', path.join(p.dir, 'Packages', 'manifest.json'))
    },
    culprit: /^Input `manifest` names Packages\/manifest.json, which is a link that leads out of the workspace/,
    skip: process.platform === 'win32' ? 'no /dev/zero on Windows' : undefined
  },
  {
    name: 'manifest names a device outside the workspace',
    inputs: withToken({ manifest: '/dev/zero' }),
    culprit: /^Input `manifest` names \/dev\/zero, which is not a regular file/,
    skip: process.platform === 'win32' ? 'no /dev/zero on Windows' : undefined
  },
  {
    name: 'manifest is a named pipe',
    inputs: withToken(),
    setup: p => {
      fs.writeFileSync(p.config, EXISTING)
      fs.mkdirSync(path.join(p.dir, 'Packages'))
      expect(spawnSync('mkfifo', [path.join(p.dir, 'Packages', 'manifest.json')]).status).toBe(0)
    },
    culprit: /^Input `manifest` names Packages\/manifest.json, which is not a regular file/,
    skip: process.platform === 'win32' ? 'no named pipes in the file system on Windows' : undefined
  },
  {
    name: 'manifest is a link to the config file, out of the workspace',
    inputs: withToken(),
    env: p => ({ GITHUB_WORKSPACE: path.join(p.dir, 'ws') }),
    setup: p => {
      fs.writeFileSync(p.config, EXISTING)
      fs.mkdirSync(path.join(p.dir, 'ws', 'Packages'), { recursive: true })
      fs.symlinkSync(p.config, path.join(p.dir, 'ws', 'Packages', 'manifest.json'))
    },
    culprit: /^Input `manifest` names Packages\/manifest.json, which is a link that leads out of the workspace/
  },
  {
    name: 'manifest holds a config file (its text is never quoted)',
    inputs: withToken(),
    setup: p => {
      fs.writeFileSync(p.config, EXISTING)
      fs.mkdirSync(path.join(p.dir, 'Packages'))
      fs.writeFileSync(path.join(p.dir, 'Packages', 'manifest.json'), `[npmAuth."${A}"]\ntoken = "${SECRET}"\n`)
    },
    // V8's message would quote `"[npmAuth."ht"...`; the error names only the place.
    culprit: /^Packages\/manifest.json is not valid JSON: Unexpected character at line 1, column \d+\. [^"]*$/
  },
  {
    name: 'manifest is very large (2 MiB)',
    inputs: withToken(),
    setup: p => {
      fs.writeFileSync(p.config, EXISTING)
      fs.mkdirSync(path.join(p.dir, 'Packages'))
      fs.writeFileSync(path.join(p.dir, 'Packages', 'manifest.json'), `{"dependencies": {}, "pad": "${'x'.repeat(2 * 1024 * 1024)}"}`)
    },
    culprit: /^Input `manifest` names Packages\/manifest.json, which is 2.1 MB; a Unity manifest holds a few kilobytes/
  },

  // Network settings for login / verify
  {
    name: 'a proxy variable that does not parse (login)',
    inputs: { 'registry-url': A, username: 'ci', password: 'pw-SECRET', login: 'true' },
    env: () => ({ HTTPS_PROXY: 'http://u:pw-SECRET/w@proxy.example.com:1' }),
    culprit:
      /^HTTPS_PROXY \(or its lower-case form\) is not a valid URL, so https:\/\/upm\.example\.com\/npm\/-\/user\/org\.couchdb\.user:ci cannot be reached/
  }
]

/** Every entry below `root` (not following links), with a digest of each file's bytes. */
function snapshot(root: string): Record<string, string> {
  const entries: Record<string, string> = {}
  const walk = (folder: string): void => {
    for (const name of fs.readdirSync(folder).sort()) {
      const full = path.join(folder, name)
      const rel = path.relative(root, full)
      if (folder === root && name.startsWith('github_')) continue // the runner's command files
      const stat = fs.lstatSync(full)
      if (stat.isSymbolicLink()) entries[rel] = `link -> ${fs.readlinkSync(full)}`
      else if (stat.isDirectory()) {
        entries[rel] = `folder ${(stat.mode & 0o777).toString(8)}`
        walk(full)
      } else if (stat.isFile())
        entries[rel] = `file ${(stat.mode & 0o777).toString(8)} ${createHash('sha256').update(fs.readFileSync(full)).digest('hex')}`
      else entries[rel] = 'special'
    }
  }
  walk(root)
  return entries
}

for (const c of cases.filter(c => c.skip)) test.skip(`${c.name} (skipped: ${c.skip})`, () => undefined)

test.concurrent.each(cases.filter(c => !c.skip).map(c => [c.name, c] as const))('%s', async (_name, c) => {
  const dir = makeRunnerDir()
  const p: Paths = { dir, home: path.join(dir, 'home'), config: path.join(dir, 'home', '.upmconfig.toml') }
  try {
    if (c.setup) c.setup(p)
    else fs.writeFileSync(p.config, EXISTING)
    const user = c.unprivileged && isRoot ? NOBODY : undefined
    if (user) fs.chownSync(p.home, user.uid, user.gid)
    const before = snapshot(dir)

    const result = await runAction({ dir, inputs: c.inputs, env: c.env?.(p), user })

    expect(result.code).toBe(1)
    const errors = errorsOf(result)
    expect(errors).toHaveLength(1)
    if (typeof c.culprit === 'function') expect(errors[0]).toContain(c.culprit(p))
    else expect(errors[0]).toMatch(c.culprit)
    expect(
      leakedSecrets(result, [SECRET, 'hunter2-SECRET', 'pat-SECRET', 'pw-SECRET', 'other-team-token', 'canary-runner-SECRET'])
    ).toEqual([])
    // No line the step printed is a command it did not mean to give (stop-commands, a forged annotation).
    expect(workflowCommands(result.stdout).filter(c => !['add-mask', 'error', 'warning', 'debug'].includes(c.command))).toEqual([])
    expect(annotationsOf(result).filter(a => a.message.startsWith('forged'))).toEqual([])
    expect(snapshot(dir)).toEqual(before)
  } finally {
    if (fs.existsSync(p.home)) fs.chmodSync(p.home, 0o700)
  }
})
