/**
 * The main step: read inputs, decide the entries, merge them into the user config file.
 * This is the thin layer that touches the runner, the environment and the file system;
 * the decisions live in pure modules.
 */
import * as core from '@actions/core'
import { mask, readInputs } from './inputs.js'
import { buildEntries, parseBooleanInput, parseRegistriesInput } from './registries.js'
import { entrySecrets, redactUrl, tableSecrets } from './secrets.js'
import { MissingCredentialError } from './errors.js'
import type { BuildResult } from './registries.js'
import type { NpmAuthEntry } from './entry.js'
import type { VerifyResult } from './verify.js'
import type { ResolveContext } from './resolve-check.js'
import type { ResolveProject, ResolveReport } from './resolve-verdicts.js'
import type { NetworkOptions } from './registry-http.js'
import type { ActionInputs } from './inputs.js'
import { inlineValueWarnings } from './registries-text.js'
import { checkUnityRules, findingMessage } from './unity-rules.js'
import { mayUseToml11 } from './toml/toml11-hint.js'
import { resolveConfigTarget } from './config-path.js'
import type { ConfigTarget } from './config-path.js'
import { loadPlatformAcl } from './private-file.js'
import { renderRedacted } from './toml/npm-auth.js'
import { cacheEnvOverrides, parseCacheSettings } from './cache-settings.js'
import type { CacheSettings } from './cache-settings.js'
import { parseManifestCheck } from './manifest.js'
import type { ManifestCheck } from './manifest.js'
import { verifiedLabel, writeSummary } from './summary.js'
import { emit } from './messages.js'
import { loadManifest } from './manifest-check.js'
import type { LoadedManifest } from './manifest-check.js'
import { joinSharedFile } from './shared-file/join.js'
import { missingSecretsReason } from './missing-secrets.js'
import { errorMessage } from './error-message.js'
import { logSafe } from './log-safe.js'

/** The step's switches and settings other than the credentials, checked before anything is written. */
interface StepOptions {
  verify: boolean
  /** Fetch what UPM would for every package the project locks, after the write. */
  resolveCheck: boolean
  login: boolean
  cleanup: boolean
  cache: CacheSettings
  manifestCheck: ManifestCheck
}

/** Runs the main step; never throws: failures are reported through `core.setFailed`. */
export async function run(): Promise<void> {
  try {
    await loadPlatformAcl()
    const inputs = readInputs()
    // Every secret, given or derived, is registered with the runner before anything is logged.
    const built = await maskedEntries(inputs)
    const options = stepOptions(inputs)
    if (inputs.oidc && options.login) {
      throw new Error(
        'Input `oidc` is set, and `login` is true: with OIDC the registry hands out the token, so there is nothing to log in with. Drop `login`.'
      )
    }
    for (const warning of built.warnings) core.warning(warning)
    // Before any request: a path that cannot work fails the step before a token exists.
    const workspace = process.env.GITHUB_WORKSPACE || process.cwd()
    const manifest = loadManifest(inputs.manifest, options.manifestCheck, workspace)
    // Read before the write: a lock file that cannot be used fails the step with the config file untouched.
    const project = options.resolveCheck ? await readResolveProject(inputs.manifest, workspace) : undefined
    const target = resolveConfigTarget(inputs.configFile, inputs.location, process.env, process.platform, process.cwd())
    core.debug(`User config file: ${target.file}`)
    const exchanged = built.entries.some(e => e.form === 'oidc') ? await exchangeOidc(built.entries) : built.entries
    const entries = options.login ? await logIn(exchanged, target, options.cleanup) : exchanged
    const runnerTemp = cleanupFolder(options.cleanup, target.exportAsEnv)
    const { cache, manifestCheck } = options
    const { current, merged, final, report } = await joinSharedFile(
      target,
      entries,
      {
        cache,
        manifestCheck,
        runnerTemp,
        report: emit,
        log: message => {
          core.info(logSafe(message))
        }
      },
      manifest
    )
    // After the lock is released: the file is written either way (it was broken before).
    for (const warning of unityRuleWarnings(final, entries, options.cache, target.file)) core.warning(warning)
    if (current.exists && mayUseToml11(current.text)) {
      // The scan is in its own chunk: a file with no hint of TOML 1.1 syntax never loads it.
      const { toml11Constructs, toml11Warning } = await import('./toml/toml11.js')
      const found = toml11Constructs(current.text)
      if (found.length > 0) core.warning(toml11Warning(found, target.file))
    }

    core.info(`${current.exists ? 'Updated' : 'Created'} ${logSafe(target.file)}:`)
    for (const entry of entries) {
      const table = merged.tables.find(t => t.url === entry.url)
      const what = !merged.replaced.includes(entry.url) ? 'added' : table && table.original === table.written ? 'unchanged' : 'replaced'
      core.info(`${what} (${entry.form}):\n${renderRedacted(entry)}`)
    }
    for (const [key, value] of Object.entries(options.cache)) if (value !== undefined) core.info(`set ${key} = ${logSafe(String(value))}`)
    for (const warning of cacheEnvOverrides(options.cache, process.env)) core.warning(warning)
    if (target.exportAsEnv) {
      core.exportVariable('UPM_USER_CONFIG_FILE', target.file)
      core.info(`Later steps get UPM_USER_CONFIG_FILE=${logSafe(target.file)} (read by Unity 2023.1 and newer).`)
    }
    core.setOutput('config-file', target.file)
    core.setOutput('registries', JSON.stringify(entries.map(e => e.url)))
    core.setOutput('cache-root', typeof final.cacheRoot === 'string' ? final.cacheRoot : '')

    const verified = options.verify ? await verifyAll(entries, manifest) : []
    const resolved = project && (await resolveAll(project, { final, entries, configFile: target.file }))
    writeSummary({
      rows: entries.map(e => ({
        url: e.url,
        form: e.form,
        alwaysAuth: e.alwaysAuth,
        oidcProvider: e.oidcProvider,
        configFile: target.file,
        verified: verifiedLabel(verified.find(r => r.url === e.url))
      })),
      cache: options.cache,
      manifest: report,
      sections: resolved ? [resolved.summary] : []
    })
    // The summary above shows which registry refused, or which package cannot be fetched; the step fails after it.
    const failures = [options.verify && (await import('./verify.js')).verificationFailure(verified), resolved?.failure].filter(f => !!f)
    if (failures.length > 0) throw new Error(`${failures.join(' ')} (${target.file} was written all the same.)`)
  } catch (error) {
    core.setFailed(errorMessage(error))
  }
}

/**
 * The entries to write, with every secret masked: those inside the `registries` fragment as
 * soon as it is parsed, and the derived ones (base64 of email:PAT or username:password, new
 * strings the runner does not know) as soon as they exist.
 */
async function maskedEntries(inputs: ActionInputs): Promise<BuildResult> {
  const tables = await explainMissing(() => parseRegistriesInput(inputs.registries, process.env))
  mask(tables.flatMap(tableSecrets))
  const built = await explainMissing(() => buildEntries(inputs, tables))
  mask(built.entries.flatMap(entrySecrets))
  if (tables.length > 0) built.warnings.push(...inlineValueWarnings(inputs.registries))
  return built
}

function stepOptions(inputs: ActionInputs): StepOptions {
  return {
    verify: parseBooleanInput('verify', inputs.verify),
    resolveCheck: parseBooleanInput('resolve-check', inputs.resolveCheck),
    login: parseBooleanInput('login', inputs.login),
    cleanup: parseBooleanInput('cleanup', inputs.cleanup),
    cache: parseCacheSettings(inputs.cacheRoot, inputs.maxCacheSize, process.platform),
    manifestCheck: parseManifestCheck(inputs.manifestCheck)
  }
}

/** Exchanges the job's OIDC identity for registry tokens; the oidc module is loaded only here. */
async function exchangeOidc(entries: NpmAuthEntry[]): Promise<NpmAuthEntry[]> {
  const { exchangeEntries } = await import('./oidc.js')
  return exchangeEntries(entries, {
    network: await networkOptions(),
    mask,
    warn: message => {
      core.warning(message)
    }
  })
}

/**
 * What in the final file breaks a rule Unity applies to the whole file, in the parts this step
 * did not write. Its own tables and cache keys cannot break them by construction: an entry has
 * exactly one of token / _auth, a string email and a boolean alwaysAuth, the table is replaced
 * whole, and the cache inputs are checked before the write (__tests__/unit/unity-rules.test.ts checks this).
 */
function unityRuleWarnings(final: Record<string, unknown>, entries: NpmAuthEntry[], cache: CacheSettings, file: string): string[] {
  const written = new Set(entries.map(e => e.url))
  return checkUnityRules(final)
    .filter(f =>
      f.url !== undefined ? !written.has(f.url) : !(f.key && f.key in cache && cache[f.key as keyof CacheSettings] !== undefined)
    )
    .map(f => findingMessage(f, file, redactUrl))
}

/**
 * Exchanges username + password for tokens; the login module is loaded only here. Every token
 * it mints is recorded for the post step to revoke (revoke.ts), also when another registry's
 * login fails; not with `cleanup: false`, which keeps the credentials after the job on purpose.
 */
async function logIn(entries: NpmAuthEntry[], target: ConfigTarget, cleanup: boolean): Promise<NpmAuthEntry[]> {
  const { loginEntries } = await import('./login.js')
  const minted: NpmAuthEntry[] = []
  try {
    return await loginEntries(entries, {
      network: await networkOptions(),
      mask,
      minted: entry => {
        minted.push(entry)
      }
    })
  } finally {
    if (cleanup && minted.length > 0) await recordForRevocation(minted, target)
  }
}

/** Records the tokens `login` minted for the post step; a record that cannot be written is a warning. */
async function recordForRevocation(minted: NpmAuthEntry[], target: ConfigTarget): Promise<void> {
  const { recordMintedTokens } = await import('./revoke.js')
  try {
    // A `location: job` file is this job's alone, and goes with its RUNNER_TEMP: no other job can use its tokens.
    recordMintedTokens(minted, target.exportAsEnv ? null : target.file, process.env.RUNNER_TEMP)
  } catch (error) {
    core.warning(
      `The tokens \`login\` minted cannot be revoked when the job ends (${errorMessage(error)}): they stay valid until they expire or are revoked on the registry.`
    )
  }
}

/**
 * Where the cleanup record goes, or undefined when there is nothing to clean up: with
 * `cleanup: false`, or for `location: job`, whose file lives under RUNNER_TEMP, which the
 * runner empties after every job.
 */
function cleanupFolder(cleanup: boolean, jobFile: boolean): string | undefined {
  if (!cleanup) {
    core.info('cleanup is false: the entries stay in the file after the job.')
    return undefined
  }
  if (jobFile) {
    core.info('The file is under RUNNER_TEMP, which the runner empties after the job: nothing to clean up.')
    return undefined
  }
  const runnerTemp = process.env.RUNNER_TEMP
  if (!runnerTemp) {
    core.warning('RUNNER_TEMP is not set, so this step cannot record what to clean up: the entries stay in the file after the job.')
  }
  return runnerTemp || undefined
}

/** Checks every credential against its registry; the verify module is loaded only here. */
async function verifyAll(entries: NpmAuthEntry[], manifest: LoadedManifest | undefined): Promise<VerifyResult[]> {
  const { verifyEntries } = await import('./verify.js')
  const results = await verifyEntries(entries, await networkOptions(), manifest)
  for (const result of results) {
    if (result.status === 'ok') core.info(logSafe(result.message))
    if (result.status === 'unverified') core.warning(result.message)
  }
  return results
}

/** Reads the project's packages-lock.json (or manifest) for `resolve-check`; its module is loaded only here. */
async function readResolveProject(manifest: string, workspace: string): Promise<ResolveProject> {
  const { readProject } = await import('./resolve-check.js')
  return readProject(manifest, workspace)
}

/** Fetches what UPM would for every package of the project, with the final file's credentials. */
async function resolveAll(project: ResolveProject, written: Omit<ResolveContext, 'network'>): Promise<ResolveReport> {
  const { resolvePackages } = await import('./resolve-check.js')
  const resolved = await resolvePackages(project, { ...written, network: await networkOptions() })
  emit(resolved.messages)
  return resolved
}

/** Network settings for `verify`, `login`, `oidc` and `resolve-check`; their module is loaded only when one of them is on. */
async function networkOptions(): Promise<NetworkOptions> {
  const { networkOptionsFromEnv } = await import('./registry-http.js')
  return networkOptionsFromEnv(process.env)
}

/** Runs `step`; when a credential did not arrive, says why secrets may be missing in this run. */
async function explainMissing<T>(step: () => T): Promise<T> {
  try {
    return step()
  } catch (error) {
    if (error instanceof MissingCredentialError) {
      const reason = await missingSecrets()
      if (reason) throw new MissingCredentialError(`${error.message} ${reason}`)
    }
    throw error
  }
}

/**
 * Why secrets may be missing in this run. `@actions/github` (in its own chunk) reads the event
 * and is loaded only here, so a normal run does not pay for it.
 */
async function missingSecrets(): Promise<string | undefined> {
  const { context } = await import('@actions/github')
  return missingSecretsReason(process.env, context.payload)
}
