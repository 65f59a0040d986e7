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
import type { NetworkOptions } from './registry-http.js'
import type { ConfigFileContent } from './config-file.js'
import type { MergeResult } from './toml/npm-auth.js'
import type { WrittenKey } from './toml/top-level.js'
import type { ActionInputs } from './inputs.js'
import { inlineValueWarnings } from './registries-text.js'
import { checkUnityRules, findingMessage } from './unity-rules.js'
import { mayUseToml11 } from './toml/toml11-hint.js'
import { resolveConfigTarget } from './config-path.js'
import type { ConfigTarget } from './config-path.js'
import { updateConfigFile } from './config-file.js'
import { loadPlatformAcl } from './private-file.js'
import { mergeEntries, renderRedacted } from './toml/npm-auth.js'
import { recordOf } from './restore.js'
import { jobIsLive, removeRestoreRecord, runOf, saveRestoreFilePath, writeRestoreRecord } from './state.js'
import { arrive, settle } from './ledger.js'
import type { Arrival } from './ledger.js'
import { ledgerPathOf, putLedgerBack, readLedger, writeLedger } from './ledger-file.js'
import { applyCacheSettings, cacheEnvOverrides, parseCacheSettings } from './cache-settings.js'
import type { CacheSettings } from './cache-settings.js'
import { parseManifestCheck } from './manifest.js'
import type { ManifestCheck } from './manifest.js'
import { checkManifest, loadManifest } from './manifest-check.js'
import type { LoadedManifest, ManifestReport } from './manifest-check.js'
import { verifiedLabel, writeSummary } from './summary.js'
import { emit } from './messages.js'
import type { Message } from './messages.js'
import { missingSecretsReason } from './missing-secrets.js'
import { errorMessage } from './error-message.js'
import { isPlainObject } from './plain-object.js'

/** The step's switches and settings other than the credentials, checked before anything is written. */
interface StepOptions {
  verify: boolean
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
    const exchanged = built.entries.some(e => e.form === 'oidc') ? await exchangeOidc(built.entries) : built.entries
    const entries = options.login ? await logIn(exchanged) : exchanged

    const manifest = loadManifest(inputs.manifest, options.manifestCheck, process.env.GITHUB_WORKSPACE || process.cwd())
    const target = resolveConfigTarget(inputs.configFile, inputs.location, process.env, process.platform, process.cwd())
    core.debug(`User config file: ${target.file}`)
    const { current, merged, final, report } = await writeConfig(target, entries, options, manifest)
    // After the lock is released: the file is written either way (it was broken before).
    for (const warning of unityRuleWarnings(final, entries, options.cache, target.file)) core.warning(warning)
    if (current.exists && mayUseToml11(current.text)) {
      // The scan is in its own chunk: a file with no hint of TOML 1.1 syntax never loads it.
      const { toml11Constructs, toml11Warning } = await import('./toml/toml11.js')
      const found = toml11Constructs(current.text)
      if (found.length > 0) core.warning(toml11Warning(found, target.file))
    }

    core.info(`${current.exists ? 'Updated' : 'Created'} ${target.file}:`)
    for (const entry of entries) {
      const table = merged.tables.find(t => t.url === entry.url)
      const what = !merged.replaced.includes(entry.url) ? 'added' : table && table.original === table.written ? 'unchanged' : 'replaced'
      core.info(`${what} (${entry.form}):\n${renderRedacted(entry)}`)
    }
    for (const [key, value] of Object.entries(options.cache)) if (value !== undefined) core.info(`set ${key} = ${value}`)
    for (const warning of cacheEnvOverrides(options.cache, process.env)) core.warning(warning)
    if (target.exportAsEnv) {
      core.exportVariable('UPM_USER_CONFIG_FILE', target.file)
      core.info(`Later steps get UPM_USER_CONFIG_FILE=${target.file} (read by Unity 2023.1 and newer).`)
    }
    core.setOutput('config-file', target.file)
    core.setOutput('registries', JSON.stringify(entries.map(e => e.url)))
    core.setOutput('cache-root', typeof final.cacheRoot === 'string' ? final.cacheRoot : '')

    const verified = options.verify ? await verifyAll(entries, manifest) : []
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
      manifest: report
    })
    // The summary above shows which registry refused; the step fails after it.
    const failure = options.verify && (await import('./verify.js')).verificationFailure(verified)
    if (failure) throw new Error(`${failure} (${target.file} was written all the same.)`)
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
    login: parseBooleanInput('login', inputs.login),
    cleanup: parseBooleanInput('cleanup', inputs.cleanup),
    cache: parseCacheSettings(inputs.cacheRoot, inputs.maxCacheSize, process.platform),
    manifestCheck: parseManifestCheck(inputs.manifestCheck)
  }
}

/** Exchanges the job's OIDC identity for registry tokens; the oidc module is loaded only here. */
async function exchangeOidc(entries: NpmAuthEntry[]): Promise<NpmAuthEntry[]> {
  const { exchangeEntries } = await import('./oidc.js')
  return exchangeEntries(entries, { network: await networkOptions(), mask })
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

/** Exchanges username + password for tokens; the login module is loaded only here. */
async function logIn(entries: NpmAuthEntry[]): Promise<NpmAuthEntry[]> {
  const { loginEntries } = await import('./login.js')
  return loginEntries(entries, { network: await networkOptions(), mask })
}

/** What the merge wrote, and what it has to say, reported once the lock is released. */
interface Written {
  current: ConfigFileContent
  merged: MergeResult
  /** What the final file means. */
  final: Record<string, unknown>
  report: ManifestReport | undefined
  /** The notices of the merge (a byte order mark dropped, ended jobs swept, manifest findings, other runs' credentials replaced), in order. */
  messages: Message[]
}

/**
 * Merges the entries and cache settings into the file under its lock (parallel jobs sharing a
 * home must not lose each other's entries), checks the manifest against the result, and
 * records what the post step must undo: in this job's restore record, and in the ledger of
 * the jobs that share the file (which first lets the jobs that have ended leave). Only the
 * file work happens under the lock; what it has to say is logged after it is released, also
 * when the merge fails (a manifest gate, a ledger that cannot be written).
 */
async function writeConfig(
  target: ConfigTarget,
  entries: NpmAuthEntry[],
  options: StepOptions,
  manifest: LoadedManifest | undefined
): Promise<Written> {
  const runnerTemp = cleanupFolder(options.cleanup, target.exportAsEnv)
  const ledgerFile = ledgerPathOf(target.file)
  let restoreFile: string | undefined
  // What the latest attempt had to say: a merge is redone when the file changed under it.
  let messages: Message[] = []
  const written = await updateConfigFile<Written>(
    target.file,
    current => {
      messages = []
      if (current.hadBom) {
        messages.push(info(`${target.file} starts with a UTF-8 byte order mark; it is written back without one, as TOML expects.`))
      }
      const ledgerBefore = readLedger(ledgerFile)
      const settled = ledgerBefore && settle(current.text, ledgerBefore.ledger, jobIsLive, target.file)
      const swept = settled?.outcomes.filter(o => o.outcome !== 'kept').length ?? 0
      if (swept > 0) {
        messages.push(
          info(
            `Jobs that used ${target.file} ended without cleaning up: ${swept} of their entries or keys were put back by the rules for jobs that leave.`
          )
        )
      }
      const merged = mergeEntries(settled?.text ?? current.text, entries, target.file)
      // Each step hands on what its text means, so the file is parsed once (plus each check).
      const { text, keys, document: final } = applyCacheSettings(merged.text, options.cache, target.file, merged.document)
      const report = manifest && checkManifest(manifest, configuredUrls(final), options.manifestCheck, target.file)
      if (report) messages.push(...report.messages)
      if (report?.failure !== undefined) throw new Error(report.failure)
      // Recorded before the write, and its path saved at once: if the record cannot be kept, the
      // file stays untouched; if the job is cancelled from here on, the post step still finds it.
      if (runnerTemp) {
        restoreFile = writeRestoreRecord(runnerTemp, recordOf(target.file, !current.exists, merged, keys))
        saveRestoreFilePath(restoreFile)
      }
      const holder = restoreFile ? { job: restoreFile, run: runOf(process.env) } : undefined
      const arrived = arrive(settled?.ledger, arrivals(merged, keys, entries, options.cache), holder, !current.exists)
      messages.push(...arrived.warnings.map(warning => ({ level: 'warning' as const, text: warning })))
      // Written before the file: a job killed in between leaves a ledger the next run can still settle.
      writeLedger(ledgerFile, arrived.ledger)
      // Should the write fail, or the file change under it (then all this is done again), nothing of this attempt stays.
      const undo = (): void => {
        putLedgerBack(ledgerFile, ledgerBefore)
        forgetRestoreFile()
      }
      return { text, result: { current, merged, final, report, messages }, undo }
    },
    {
      log: message => {
        core.info(message)
      }
    }
  ).catch((error: unknown) => {
    // A record of a write that did not happen must not reach the post step.
    forgetRestoreFile()
    emit(messages)
    throw error
  })
  emit(written.messages)
  return written

  function forgetRestoreFile(): void {
    if (!restoreFile) return
    removeRestoreRecord(restoreFile)
    saveRestoreFilePath('')
    restoreFile = undefined
  }
}

function info(text: string): Message {
  return { level: 'info', text }
}

/** The registry URLs the final file has credentials for. */
function configuredUrls(final: Record<string, unknown>): string[] {
  return isPlainObject(final.npmAuth) ? Object.keys(final.npmAuth) : []
}

/** What the merge wrote, as the ledger records it: each table with its entry, each key with its value. */
function arrivals(merged: MergeResult, keys: WrittenKey[], entries: NpmAuthEntry[], cache: CacheSettings): Arrival[] {
  const tables = merged.tables.flatMap(t => {
    const value = entries.find(e => e.url === t.url)
    return value ? [{ kind: 'table' as const, written: t, value }] : []
  })
  const set = keys.flatMap(k => {
    const value = cache[k.key as keyof CacheSettings]
    return value === undefined ? [] : [{ kind: 'key' as const, written: k, value }]
  })
  return [...tables, ...set]
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
    if (result.status === 'ok') core.info(result.message)
    if (result.status === 'unverified') core.warning(result.message)
  }
  return results
}

/** Network settings for `verify`, `login` and `oidc`; their module is loaded only when one of them is on. */
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
