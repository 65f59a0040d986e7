// Bundles src/ into dist/: two entries, index.js (the main step) and post-step.js (the post step), plus a chunk for each dynamic import
// (loaded only when that code runs), dist/package.json and dist/licenses.txt. Rollup rather
// than ncc because it drops the modules nothing uses; CommonJS rather than ES modules because
// Node starts it faster: see BENCHMARKS.md.
import fs from 'node:fs'
import path from 'node:path'
import commonjs from '@rollup/plugin-commonjs'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import typescript from '@rollup/plugin-typescript'
import license from 'rollup-plugin-license'

const DIST = path.resolve('dist')
/** The main step's entry and the post step's: action.yml's `runs.main` and `runs.post`. */
const ENTRIES = { index: path.resolve('src/index.ts'), 'post-step': path.resolve('src/post-step.ts') }

/**
 * The plugins that turn our TypeScript and its dependencies into one ES module graph.
 * scripts/bench.mjs bundles the merge code with the same ones. Our comments stay in src/ and
 * out of dist/: every run parses what main.js holds, and the limit of a plain run is 200 KB
 * (BENCHMARKS.md has the figures).
 */
export function compilePlugins() {
  return [typescript({ noEmit: false, removeComments: true, include: ['src/**/*.ts'] }), nodeResolve({ preferBuiltins: true }), commonjs()]
}

/**
 * What rollup may drop when nothing uses it. @actions/core imports @actions/http-client for
 * its OIDC helper only, and @actions/exec and @actions/io for its platform helper; the
 * client's CommonJS dependencies (tunnel, undici) are most of ncc's 1.1 MB. None of the
 * toolkit's modules does anything at load that we rely on, so a module of theirs that nothing
 * uses is left out, rather than evaluated on every run (@actions/io's `fs.promises` alone
 * loads Node's promise-based fs, streams and readline). Node's built-in modules are external
 * and always kept. __tests__/integration/module-side-effects.test.ts loads each module this
 * lets rollup drop and fails when one does something at load.
 */
export function moduleSideEffects(id, external) {
  return !external && !/[\\/]node_modules[\\/]((tunnel|undici)[\\/]index\.js(\?|$)|@actions[\\/](core|exec|io|http-client)[\\/])/.test(id)
}

/** Empties dist/ before writing it, so a chunk that a change no longer produces does not linger. */
const cleanDist = {
  name: 'clean-dist',
  generateBundle(options, _bundle, isWrite) {
    if (isWrite && path.resolve(options.dir) === DIST) fs.rmSync(DIST, { recursive: true, force: true })
  }
}

/**
 * Chunks: index.js and post-step.js hold only their entry, which calls run() or post();
 * main.js every module either imports statically; http-client.js, tunnel.js and undici.js the HTTP client and
 * its dependencies, which a plain run never loads; and a chunk for each dynamic import. A
 * dynamically loaded chunk that needs a module the entry also imports then imports main.js
 * (or, for the HTTP client, which @actions/core imports too, its own chunk). Were that module
 * in index.js, the chunk would need index.js while it is still running: as ES modules the
 * step hung and ended with exit code 13; as CommonJS the chunk would get index.js half
 * loaded. (Rollup adds a manual chunk's dependencies to it, so the HTTP client, tunnel and
 * undici need chunks of their own to stay out of main.js.)
 */
function manualChunks(id, { getModuleInfo }) {
  const library = /[\\/]node_modules[\\/](tunnel|undici|@actions[\\/]http-client)[\\/]/.exec(id)
  if (library) return path.basename(library[1])
  staticGraph ??= new Set(Object.values(ENTRIES).flatMap(entry => [...reachableFrom(entry, getModuleInfo)]))
  return !Object.values(ENTRIES).includes(id) && staticGraph.has(id) ? 'main' : undefined
}
let staticGraph

function reachableFrom(start, getModuleInfo) {
  const seen = new Set([start])
  for (const id of seen) for (const next of getModuleInfo(id)?.importedIds ?? []) seen.add(next)
  return seen
}

/**
 * dist/ is CommonJS whatever the package.json above it says. Our sources are ES modules; the
 * bundle is CommonJS because Node loads it faster: on Node 20 it skips the ES module loader,
 * and on both Node 20 and 24, `import fs from 'node:fs'` evaluates every export of fs,
 * `fs.promises` among them, which loads Node's promise-based fs, streams and readline.
 */
const commonjsPackageJson = {
  name: 'commonjs-package-json',
  generateBundle() {
    this.emitFile({ type: 'asset', fileName: 'package.json', source: '{\n  "type": "commonjs"\n}\n' })
  }
}

/**
 * licenses.txt beside the bundle: the name, version, license and license text of every
 * package with code in it, sorted by name, with LF line ends on every machine.
 */
function licensesFile() {
  let dependencies = []
  return [
    license({ thirdParty: found => (dependencies = found) }),
    {
      name: 'licenses-file',
      generateBundle() {
        const text = [...dependencies]
          .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
          .map(d => [`${d.name} ${d.version}`, d.license ?? 'no license given', d.licenseText ?? ''].join('\n').trim())
          .join('\n\n---\n\n')
        this.emitFile({ type: 'asset', fileName: 'licenses.txt', source: `${text}\n` })
      }
    }
  ]
}

/**
 * Silences two warnings that come from the libraries' published code, not ours: `this` at the
 * top of TypeScript's __awaiter helper, and import cycles inside a package.
 */
function onwarn(warning, warn) {
  const inLibrary = (warning.ids ?? [warning.id ?? '']).every(id => /[\\/]node_modules[\\/]/.test(id))
  if (inLibrary && (warning.code === 'THIS_IS_UNDEFINED' || warning.code === 'CIRCULAR_DEPENDENCY')) return
  warn(warning)
}

export default {
  input: ENTRIES,
  onwarn,
  output: {
    dir: 'dist',
    format: 'cjs',
    entryFileNames: '[name].js',
    chunkFileNames: '[name].js',
    manualChunks,
    generatedCode: 'es2015'
  },
  treeshake: { moduleSideEffects },
  plugins: [cleanDist, ...compilePlugins(), ...licensesFile(), commonjsPackageJson]
}
