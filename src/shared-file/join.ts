/**
 * The main step's part: merge this job's entries and cache settings into the shared file, and
 * join the ledger as a holder of what it wrote (after letting the jobs that have ended leave).
 */
import type { NpmAuthEntry } from '../entry.js'
import type { ConfigTarget } from '../config-path.js'
import type { ConfigFileContent } from './config-file.js'
import type { MergeResult } from '../toml/npm-auth.js'
import type { WrittenKey } from '../toml/top-level.js'
import { mergeEntries } from '../toml/npm-auth.js'
import { applyCacheSettings } from '../cache-settings.js'
import type { CacheSettings } from '../cache-settings.js'
import type { ManifestCheck } from '../manifest.js'
import { checkManifest } from '../manifest-check.js'
import type { LoadedManifest, ManifestReport } from '../manifest-check.js'
import type { Message } from '../messages.js'
import { isPlainObject } from '../plain-object.js'
import { arrive, settle } from './ledger.js'
import type { Arrival } from './ledger.js'
import { jobIsLive, removeRestoreRecord, runOf, saveRestoreFilePath, thisJob, writeRestoreRecord } from './job-record.js'
import { changeSharedFile } from './shared-change.js'
import type { PairView } from './shared-change.js'
import { recoveryMessage } from './journal.js'

/** What the merge wrote, and what it has to say, reported once the lock is released. */
export interface Written {
  current: ConfigFileContent
  merged: MergeResult
  /** What the final file means. */
  final: Record<string, unknown>
  report: ManifestReport | undefined
  /** The notices of the merge (a byte order mark dropped, a killed run's change settled, ended jobs swept, manifest findings, other runs' credentials replaced), in order. */
  messages: Message[]
}

export interface JoinOptions {
  cache: CacheSettings
  manifestCheck: ManifestCheck
  /** Where this job's restore record goes; undefined: nothing to clean up (no holder joins the ledger). */
  runnerTemp: string | undefined
  /** Told what the merge had to say, also when it failed (a manifest gate, a ledger that cannot be written), after the lock is released. */
  report: (messages: Message[]) => void
  /** Told at once when a stale lock is taken over. */
  log: (message: string) => void
}

/**
 * Merges the entries and cache settings into the file under its lock (parallel jobs sharing a
 * home must not lose each other's entries), checks the manifest against the result, and records
 * this job in the ledger. The restore record is written, and its path saved, before the ledger
 * names it: if the job is cancelled from then on, its post step finds it.
 */
export async function joinSharedFile(
  target: ConfigTarget,
  entries: NpmAuthEntry[],
  options: JoinOptions,
  manifest: LoadedManifest | undefined
): Promise<Written> {
  let restoreFile: string | undefined
  // What the latest attempt had to say: a merge is redone when the file changed under it.
  let messages: Message[] = []
  const forgetRestoreFile = (): void => {
    if (!restoreFile) return
    removeRestoreRecord(restoreFile)
    saveRestoreFilePath('')
    restoreFile = undefined
  }
  const merge = ({ current, ledger, recovery }: PairView) => {
    messages = []
    if (current.hadBom) {
      messages.push(info(`${target.file} starts with a UTF-8 byte order mark; it is written back without one, as TOML expects.`))
    }
    if (recovery) messages.push(info(recoveryMessage(target.file, recovery)))
    const settled = ledger && settle(current.text, ledger, jobIsLive, target.file)
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
    if (options.runnerTemp) {
      restoreFile = writeRestoreRecord(options.runnerTemp, target.file)
      saveRestoreFilePath(restoreFile)
    }
    const holder = restoreFile ? { ...thisJob(restoreFile), run: runOf(process.env) } : undefined
    const arrived = arrive(settled?.ledger, arrivals(merged, keys, entries, options.cache), holder, !current.exists)
    messages.push(...arrived.warnings.map(warning => ({ level: 'warning' as const, text: warning })))
    return {
      text,
      ledger: arrived.ledger,
      result: { current, merged, final, report, messages },
      // Should the write fail, or the file change under it (then all this is done again), nothing of this attempt stays.
      undo: forgetRestoreFile
    }
  }
  try {
    const written = await changeSharedFile(target.file, merge, { log: options.log })
    options.report(written.messages)
    return written
  } catch (error) {
    // A record of a write that did not happen must not reach the post step.
    forgetRestoreFile()
    options.report(messages)
    throw error
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
