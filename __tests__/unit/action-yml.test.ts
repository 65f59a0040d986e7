/**
 * action.yml is the action's contract: the code reads exactly the inputs it declares and a
 * run sets exactly the outputs it declares. (Descriptions and defaults are checked by
 * scripts/lint-actions.mjs, `npm run lint:workflows`.)
 */
import fs from 'node:fs'
import path from 'node:path'
import { jest } from '@jest/globals'
import { parse as parseYaml } from 'yaml'
import { ROOT } from '../support/action-runner.js'
import { coreDouble } from '../support/core-double.js'
import { tempDirEach } from '../support/fixtures.js'

interface ActionYml {
  inputs: Record<string, unknown>
  outputs: Record<string, unknown>
}

const yml = parseYaml(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as ActionYml

const core = coreDouble()
jest.unstable_mockModule('@actions/core', () => core.module)
const home = tempDirEach('action-yml-')
beforeEach(() => {
  core.reset()
})

test('readInputs reads exactly the inputs action.yml declares', async () => {
  const { readInputs } = await import('../../src/inputs.js')
  readInputs()
  expect([...new Set(core.inputsRead)].sort()).toEqual(Object.keys(yml.inputs).sort())
})

test('a run that writes the file sets exactly the outputs action.yml declares', async () => {
  const { run } = await import('../../src/main.js')
  const saved = { HOME: process.env.HOME, USERPROFILE: process.env.USERPROFILE }
  process.env.HOME = process.env.USERPROFILE = home.path
  try {
    core.inputs = { 'registry-url': 'https://a.example/', token: 'T0KEN', 'always-auth': 'true', location: 'home', manifest: '' }
    await run()
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) Reflect.deleteProperty(process.env, name)
      else process.env[name] = value
    }
  }
  expect(core.calls.filter(([name]) => name === 'setFailed')).toEqual([])
  const set = core.calls.filter(([name]) => name === 'setOutput').map(([, output]) => output)
  expect([...set].sort()).toEqual(Object.keys(yml.outputs).sort())
})
