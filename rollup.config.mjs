// Bundles src/index.ts into dist/: one ESM entry, index.js, plus a chunk for each dynamic
// import (loaded only when that code runs), dist/package.json and dist/licenses.txt.
// Rollup rather than ncc because it drops the modules nothing uses: see BENCHMARKS.md.
import fs from 'node:fs'
import path from 'node:path'
import commonjs from '@rollup/plugin-commonjs'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import typescript from '@rollup/plugin-typescript'
import license from 'rollup-plugin-license'

const DIST = path.resolve('dist')

/**
 * The plugins that turn our TypeScript and its dependencies into one ES module graph.
 * scripts/bench.mjs bundles the merge code with the same ones.
 */
export function compilePlugins() {
  return [typescript({ noEmit: false, include: ['src/**/*.ts'] }), nodeResolve({ preferBuiltins: true }), commonjs()]
}

/**
 * What rollup may drop when nothing uses it. @actions/core imports @actions/http-client for
 * its OIDC helper only; the client's CommonJS dependencies (tunnel, undici: most of ncc's
 * 1.1 MB) would otherwise be evaluated on every run. They run no code of ours at load, nor
 * do Node's built-in modules, so a module of theirs that nothing uses is left out.
 */
function moduleSideEffects(id, external) {
  return !external && !/[\\/]node_modules[\\/](tunnel|undici)[\\/]/.test(id)
}

/** Empties dist/ first, so a chunk that a change no longer produces does not linger there. */
const cleanDist = {
  name: 'clean-dist',
  renderStart(options) {
    if (path.resolve(options.dir) === DIST) fs.rmSync(DIST, { recursive: true, force: true })
  }
}

/** dist/ is ESM whatever the package.json above it says. */
const esmPackageJson = {
  name: 'esm-package-json',
  generateBundle() {
    this.emitFile({ type: 'asset', fileName: 'package.json', source: '{\n  "type": "module"\n}\n' })
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
  input: 'src/index.ts',
  onwarn,
  output: {
    dir: 'dist',
    format: 'es',
    entryFileNames: 'index.js',
    chunkFileNames: '[name].js',
    generatedCode: 'es2015'
  },
  treeshake: { moduleSideEffects },
  plugins: [
    cleanDist,
    ...compilePlugins(),
    ...licensesFile(),
    esmPackageJson
  ]
}
