/**
 * The ledger's rules (pure): the ledger of jobs that share one user config file at the same time (several
 * runner instances under one account, or `location: service-account`), so that no job pulls
 * a credential from under another that is still building, and no ended job leaves its own
 * behind.
 *
 * For each `[npmAuth."URL"]` table and top-level cache key that live jobs wrote, the ledger
 * keeps the text that was there before the first of them arrived (the original) and the
 * stack of live writers, oldest first. The rules:
 *
 * - While jobs hold an item, the file shows the value of the newest live writer.
 * - When a job leaves (its post step, or any run that finds it no longer live, job-record.ts), its value
 *   comes off the stack. If it was on top, the item goes back to the next live writer's value;
 *   when no writer is left, to the original, byte for byte (or the table goes, when there was
 *   none), and the item leaves the ledger.
 * - A write to a held item that no live job made (an edit by hand, another tool, a
 *   `cleanup: false` run) becomes the item's new original: it stays in the file until the
 *   writers change, and it is what stays when the last one leaves.
 */
import type { NpmAuthEntry, UnityEntry } from '../entry.js'
import { redactUrl } from '../secrets.js'
import type { WrittenKey } from '../toml/top-level.js'
import type { WrittenTable } from '../toml/npm-auth.js'
import { assertMeaning, parseConfig } from '../toml/proof.js'
import { entryFields, locateTable, mergeEntries } from '../toml/npm-auth.js'
import { locateTopLevelKey, setTopLevelKey } from '../toml/top-level.js'
import { digestOf, undoEdit } from './undo.js'
import type { RecordedEdit } from './undo.js'
import type { JobIdentity } from './job-record.js'

/** 2: holders name their host, and a change in flight is recorded (journal.ts). */
export const LEDGER_VERSION = 2

export interface Ledger {
  version: typeof LEDGER_VERSION
  /** The config file did not exist when the first job arrived: it goes when the last one leaves and nothing else is in it. */
  createdFile: boolean
  items: LedgerItem[]
}

/** One table or top-level key that live jobs hold, and what the file shows for it now. */
export interface LedgerItem extends RecordedEdit {
  kind: 'table' | 'key'
  /** The registry URL of a table, or the key's name. */
  name: string
  /** For a key the merge added: the blank line put after it. */
  trail: string
  /** Live writers, oldest first: the last one's value is the one the file shows. */
  holders: Holder[]
}

/**
 * A job that wrote an item and has not left. `job` is its restore record, under its own
 * RUNNER_TEMP: the legs of a matrix share run id, attempt and job name, so only this tells two
 * jobs apart. `host` and `since` say who may judge whether it is live (job-record.ts).
 */
export interface Holder extends JobIdentity {
  /** `GITHUB_RUN_ID`/`GITHUB_RUN_ATTEMPT` of the job, for telling whether another run's credential is replaced. */
  run: string
  /** What the job wrote: what Unity reads of an entry for a table, the value for a key. */
  value: UnityEntry | string | number
}

/** What became of an item in one run, as the log says it. */
export type LedgerOutcome =
  /** The last writer left: the original came back. */
  | 'restored'
  /** The last writer left: the table (or key) that was not there before went. */
  | 'removed'
  /** The last writer left, and the file shows what another hand wrote since: it stays. */
  | 'changed'
  /** The top writer left: the item now shows the next live writer's value. */
  | 'handed-on'
  /** A writer left that was not on top: the item stays as it is. */
  | 'kept'

export interface SettleResult {
  text: string
  ledger: Ledger
  /** Items whose writers changed, with what became of them. */
  outcomes: { kind: LedgerItem['kind']; name: string; outcome: LedgerOutcome }[]
}

const itemKey = (item: Pick<LedgerItem, 'kind' | 'name'>): string => `${item.kind}:${item.name}`

/** Where an item stands in the text: its region, or 'gone'. */
function locate(text: string, item: LedgerItem): { start: number; end: number } | 'gone' {
  if (item.kind === 'key') return locateTopLevelKey(text, item.name) ?? 'gone'
  const table = locateTable(text, item.name)
  return table === undefined || table.arrayTable ? 'gone' : table
}

/** Whether the text at the item's place is, byte for byte, what this action last wrote there. */
export function showsLastWrite(text: string, item: LedgerItem): boolean {
  const at = locate(text, item)
  if (at === 'gone') return item.writtenLength === 0 && item.original === null
  const end = at.start + item.writtenLength
  return end >= at.end && digestOf(text.slice(at.start, end)) === item.writtenDigest
}

/** Makes what the file shows now the item's original (a write no live job made). */
function adoptAsOriginal(text: string, item: LedgerItem): void {
  const at = locate(text, item)
  item.original = at === 'gone' ? null : text.slice(at.start, at.end)
  item.lead = ''
  item.trail = ''
  item.writtenDigest = digestOf(item.original ?? '')
  item.writtenLength = item.original?.length ?? 0
}

/**
 * Applies the leave rules: drops the writers that have ended (`isLive` false) and `leaving`
 * (the job whose post step this is), and puts each item whose top writer changed to the next
 * live writer's value, or back to its original. First, writes no live job made become originals.
 *
 * @param text the file's current content (without BOM; '' when it does not exist).
 * @param file the file's path, for error messages.
 * @throws ConfigFileError when the file cannot be edited in place as the rules require.
 */
export function settle(text: string, ledger: Ledger, isLive: (holder: Holder) => boolean, file: string, leaving?: string): SettleResult {
  const items = ledger.items.map(item => ({ ...item, holders: [...item.holders] }))
  const outcomes: SettleResult['outcomes'] = []
  const restore: LedgerItem[] = []
  const handOn: LedgerItem[] = []
  const adopted = new Set<string>()
  for (const item of items) {
    if (!showsLastWrite(text, item)) {
      adoptAsOriginal(text, item)
      adopted.add(itemKey(item))
    }
    const top = item.holders.at(-1)
    const count = item.holders.length
    item.holders = item.holders.filter(holder => holder.job !== leaving && isLive(holder))
    if (item.holders.length === 0) restore.push(item)
    else if (item.holders.at(-1) !== top) handOn.push(item)
    else if (item.holders.length < count) outcomes.push({ kind: item.kind, name: item.name, outcome: 'kept' })
  }

  // Originals first: keys last to first, then tables from the end of the file, so that each
  // region is found as it was written (the same order as the cleanup of a single job).
  let result = text
  const before = restore.length > 0 ? parseConfig(text, file) : {}
  const tables = new Map<string, unknown>()
  const keys = new Map<string, unknown>()
  const position = (item: LedgerItem): number => {
    const at = locate(result, item)
    return at === 'gone' ? -1 : at.start
  }
  const ordered = [
    ...restore.filter(i => i.kind === 'key').reverse(),
    ...restore.filter(i => i.kind === 'table').sort((a, b) => position(b) - position(a))
  ]
  for (const item of ordered) {
    const undone = undoEdit(result, locate(result, item), item, document => valueOf(document, item), file)
    result = undone.text
    if (undone.meaning) (item.kind === 'key' ? keys : tables).set(item.name, undone.meaning.value)
    const outcome = adopted.has(itemKey(item)) ? 'changed' : item.original === null ? 'removed' : 'restored'
    outcomes.push({ kind: item.kind, name: item.name, outcome })
  }
  if (restore.length > 0) {
    assertMeaning(
      before,
      result,
      tables,
      `${file} changed in a way that cleanup cannot undo in place; its entries were left as they are.`,
      keys
    )
  }

  // Then the next live writer's values, written the way the main step writes its own.
  for (const item of handOn) {
    const top = item.holders[item.holders.length - 1]
    result = writeValue(result, item, top.value, file)
    outcomes.push({ kind: item.kind, name: item.name, outcome: 'handed-on' })
  }
  const left = new Set(restore.map(itemKey))
  return { text: result, ledger: { ...ledger, items: items.filter(item => !left.has(itemKey(item))) }, outcomes }
}

function valueOf(document: Record<string, unknown>, item: LedgerItem): unknown {
  if (item.kind === 'key') return document[item.name]
  return (document.npmAuth as Record<string, unknown> | undefined)?.[item.name]
}

/** Writes `value` for the item and records what the file now shows. */
function writeValue(text: string, item: LedgerItem, value: Holder['value'], file: string): string {
  if (item.kind === 'table') {
    const merged = mergeEntries(text, [value as UnityEntry], file)
    noteWrite(item, merged.tables[0])
    return merged.text
  }
  const set = setTopLevelKey(text, item.name, value as string | number, file)
  noteWrite(item, set.key)
  return set.text
}

/** Records a write the action made: what the file shows now, and how an added table or key comes off again. */
function noteWrite(item: LedgerItem, written: WrittenTable | WrittenKey): void {
  item.writtenDigest = digestOf(written.written)
  item.writtenLength = written.written.length
  if (written.original === null) {
    // Added now (it was absent): it comes off with the line breaks put around it.
    item.lead = written.lead
    item.trail = 'trail' in written ? written.trail : ''
  }
}

/** One thing the main step wrote: a table with its entry, or a key with its value. */
export type Arrival =
  { kind: 'table'; written: WrittenTable; value: NpmAuthEntry } | { kind: 'key'; written: WrittenKey; value: string | number }

/**
 * Records what a main step wrote. With a `holder` (a job that cleans up), the job goes on top
 * of each item's stack; without one (`cleanup: false`, or no RUNNER_TEMP), what it wrote to
 * an item that live jobs hold becomes that item's original.
 *
 * @param createdFile the config file did not exist before this step (counts when the ledger starts here).
 * @returns the new ledger, and warnings (without secrets) for credentials of other runs' live jobs replaced.
 */
export function arrive(
  ledger: Ledger | undefined,
  arrivals: Arrival[],
  holder: Omit<Holder, 'value'> | undefined,
  createdFile: boolean
): { ledger: Ledger; warnings: string[] } {
  const result: Ledger = ledger
    ? { ...ledger, items: ledger.items.map(item => ({ ...item, holders: [...item.holders] })) }
    : { version: LEDGER_VERSION, createdFile, items: [] }
  const warnings: string[] = []
  for (const { kind, written, value } of arrivals) {
    const name = kind === 'table' ? written.url : written.key
    let item = result.items.find(i => i.kind === kind && i.name === name)
    if (!holder) {
      if (item) {
        item.original = written.written
        item.lead = ''
        item.trail = ''
        noteWrite(item, { ...written, original: item.original })
      }
      continue
    }
    if (!item) {
      item = { kind, name, original: written.original, lead: '', trail: '', writtenDigest: '', writtenLength: 0, holders: [] }
      result.items.push(item)
    }
    noteWrite(item, written)
    const top = item.holders.at(-1)
    if (top && top.run !== holder.run && !sameCredential(top.value, value)) warnings.push(replacedWarning(kind, name))
    item.holders.push({ ...holder, value: kind === 'table' ? unityEntry(value) : value })
  }
  return { ledger: result, warnings }
}

/** What the ledger keeps of an entry: what Unity reads (not how the credential was given). */
function unityEntry(entry: NpmAuthEntry): UnityEntry {
  return { url: entry.url, ...entryFields(entry) } as UnityEntry
}

function sameCredential(a: Holder['value'], b: Holder['value'] | NpmAuthEntry): boolean {
  if (typeof a !== 'object' || typeof b !== 'object') return a === b
  return JSON.stringify(entryFields(a)) === JSON.stringify(entryFields(b))
}

function replacedWarning(kind: LedgerItem['kind'], name: string): string {
  const what = kind === 'table' ? `The entry [npmAuth.${JSON.stringify(redactUrl(name))}]` : `\`${name}\``
  return (
    `${what} held a different value written by a job of another workflow run that is still running. Until one of them ends, ` +
    'both use the value this step wrote. Set `location: job` to give each job a file of its own.'
  )
}

/** Whether `job` holds anything in the ledger. */
export function holdsAny(ledger: Ledger, job: string): boolean {
  return ledger.items.some(item => item.holders.some(holder => holder.job === job))
}
