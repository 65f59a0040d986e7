/**
 * action.yml is the action's contract: the code reads exactly the inputs it declares and sets
 * exactly the outputs it declares. (Descriptions and defaults are checked by
 * scripts/lint-actions.mjs, `npm run lint:workflows`.)
 */
import fs from 'node:fs'
import path from 'node:path'
import { jest } from '@jest/globals'
import { parse as parseYaml } from 'yaml'
import { ROOT } from '../support/action-runner.js'

interface ActionYml {
  inputs: Record<string, unknown>
  outputs: Record<string, unknown>
}

const yml = parseYaml(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as ActionYml

test('readInputs reads exactly the inputs action.yml declares', async () => {
  const read: string[] = []
  jest.unstable_mockModule('@actions/core', () => ({
    getInput: (name: string) => {
      read.push(name)
      return ''
    },
    setSecret: () => undefined
  }))
  const { readInputs } = await import('../../src/inputs.js')
  readInputs()
  expect([...new Set(read)].sort()).toEqual(Object.keys(yml.inputs).sort())
})

test('every output the code sets is declared, and every declared output is set', () => {
  const set = new Set<string>()
  for (const file of fs.readdirSync(path.join(ROOT, 'src'), { recursive: true, encoding: 'utf8' }).filter(name => name.endsWith('.ts'))) {
    const source = fs.readFileSync(path.join(ROOT, 'src', file), 'utf8')
    for (const match of source.matchAll(/setOutput\(\s*'([^']+)'/g)) set.add(match[1])
  }
  expect([...set].sort()).toEqual(Object.keys(yml.outputs).sort())
})
