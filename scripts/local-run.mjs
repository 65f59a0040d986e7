#!/usr/bin/env node
/**
 * Runs the action's main job locally, the way the runner would: dist/index.js in a fresh
 * process with INPUT_* variables (action.yml defaults, example inputs, and any `name=value`
 * arguments), a temporary HOME and RUNNER_TEMP, and the GITHUB_* command files. Prints what
 * the step logged and the file it wrote, with credentials hidden, then removes the folder.
 *
 *   npm run local
 *   npm run local -- registry-url=https://npm.pkg.example.com/upm/ token=abc location=job
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse as parseYaml } from 'yaml'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const action = parseYaml(fs.readFileSync(path.join(root, 'action.yml'), 'utf8'))

const example = {
  'registry-url': 'https://upm.example.com/npm/',
  token: 'example-token-not-a-secret',
  registries: [
    '[npmAuth."https://pkgs.dev.azure.com/example/_packaging/unity/npm/registry/"]',
    'email = "dev@example.com"',
    'pat = "example-pat-not-a-secret"'
  ].join('\n')
}
const given = Object.fromEntries(
  process.argv.slice(2).map(arg => {
    const eq = arg.indexOf('=')
    if (eq < 1) throw new Error(`Arguments are name=value pairs of action inputs, not "${arg}".`)
    return [arg.slice(0, eq), arg.slice(eq + 1)]
  })
)
const inputs = {
  ...Object.fromEntries(Object.entries(action.inputs).map(([name, spec]) => [name, spec.default ?? ''])),
  ...(Object.keys(given).length > 0 ? {} : example),
  ...given
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'upm-auth-local-'))
const home = path.join(dir, 'home')
const temp = path.join(dir, 'temp')
fs.mkdirSync(home)
fs.mkdirSync(temp)
const files = Object.fromEntries(
  ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_ENV', 'GITHUB_STEP_SUMMARY'].map(name => {
    const file = path.join(dir, name.toLowerCase())
    fs.writeFileSync(file, '')
    return [name, file]
  })
)
const env = {
  PATH: process.env.PATH,
  HOME: home,
  USERPROFILE: home,
  RUNNER_TEMP: temp,
  GITHUB_ACTIONS: 'true',
  GITHUB_WORKSPACE: dir,
  ...files,
  ...Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value]))
}

console.log(`Running dist/index.js with HOME=${home}\n`)
const run = spawnSync(process.execPath, [path.join(root, 'dist', 'index.js')], { cwd: dir, env, encoding: 'utf8' })
// Like the runner, hide every value the step registered with ::add-mask::.
const masks = [...run.stdout.matchAll(/^::add-mask::(.*)$/gm)].map(m => m[1]).filter(Boolean)
const hide = text => masks.reduce((t, secret) => t.split(secret).join('***'), text)
process.stdout.write(hide(run.stdout.replace(/^::add-mask::.*\n/gm, '')))
process.stderr.write(hide(run.stderr))

const outputs = fs.readFileSync(files.GITHUB_OUTPUT, 'utf8')
const written = /^config-file<<(.+)\n(.*)\n\1$/m.exec(outputs)?.[2]
if (written && fs.existsSync(written)) {
  console.log(`\n--- ${written} (credentials hidden) ---`)
  console.log(hide(fs.readFileSync(written, 'utf8')).replace(/^(\s*(token|_auth)\s*=\s*).*$/gm, '$1"***"'))
}
// The folder may hold real credentials if real ones were passed: leave nothing behind.
fs.rmSync(dir, { recursive: true, force: true })
process.exitCode = run.status ?? 1
