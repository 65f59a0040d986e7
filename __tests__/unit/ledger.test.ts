import { arrive, holdsAny, settle } from '../../src/shared-file/ledger.js'
import type { Arrival, Ledger } from '../../src/shared-file/ledger.js'
import type { NpmAuthEntry } from '../../src/entry.js'
import { mergeEntries } from '../../src/toml/npm-auth.js'
import { setTopLevelKey } from '../../src/toml/top-level.js'

const URL = 'https://upm.example.com/npm/'
const FILE = '/home/ci/.upmconfig.toml'
const ORIGINAL = '# team file\ncacheRoot = "/srv/upm"\n\n[npmAuth."https://upm.example.com/npm/"] # team\n_auth = "b3JpZzpvcmln"\n'

const entry = (token: string): NpmAuthEntry => ({ url: URL, token, alwaysAuth: true, form: 'token' })

/** A job's main step on `text`, as main.ts does it: settle, merge, then arrive. */
function mainStep(text: string, ledger: Ledger | undefined, job: string, token: string, live: Set<string>, run = 'run-1') {
  const settled = ledger ? settle(text, ledger, h => live.has(h.job), FILE) : undefined
  const merged = mergeEntries(settled?.text ?? text, [entry(token)], FILE)
  const arrivals: Arrival[] = merged.tables.map(t => ({ kind: 'table', written: t, value: entry(token) }))
  live.add(job)
  const arrived = arrive(settled?.ledger, arrivals, { job, run, host: 'h', since: 0 }, text === '')
  return { text: merged.text, ...arrived }
}

function tokenIn(text: string): string | undefined {
  return /token = "([^"]*)"/.exec(text)?.[1]
}

test.each([
  ['the newest leaves first: the entry goes back to the older job', ['b', 'a'], 'tok-a'],
  ['the oldest leaves first: the newest value stays, then the original comes back', ['a', 'b'], 'tok-b']
])('%s', (_name, order, afterFirst) => {
  const live = new Set<string>()
  const a = mainStep(ORIGINAL, undefined, 'a', 'tok-a', live)
  const b = mainStep(a.text, a.ledger, 'b', 'tok-b', live)
  expect(tokenIn(b.text)).toBe('tok-b')
  const first = settle(b.text, b.ledger, h => live.has(h.job), FILE, order[0])
  live.delete(order[0])
  expect(tokenIn(first.text)).toBe(afterFirst)
  expect(first.ledger.items[0].holders.map(h => h.job)).toEqual([order[1]])
  const second = settle(first.text, first.ledger, h => live.has(h.job), FILE, order[1])
  expect(second.text).toBe(ORIGINAL)
  expect(second.ledger.items).toEqual([])
  expect(second.outcomes).toEqual([{ kind: 'table', name: URL, outcome: 'restored' }])
})

test('a holder that is no longer live is swept by a run that leaves nothing itself', () => {
  const live = new Set<string>()
  const a = mainStep('', undefined, 'a', 'tok-a', live)
  const b = mainStep(a.text, a.ledger, 'b', 'tok-b', live)
  live.delete('b')
  const swept = settle(b.text, b.ledger, h => live.has(h.job), FILE)
  expect(tokenIn(swept.text)).toBe('tok-a')
  expect(swept.outcomes).toEqual([{ kind: 'table', name: URL, outcome: 'handed-on' }])
  live.delete('a')
  const empty = settle(swept.text, swept.ledger, h => live.has(h.job), FILE)
  expect(empty.text).toBe('')
  expect(empty.outcomes).toEqual([{ kind: 'table', name: URL, outcome: 'removed' }])
})

test('text written by no live job becomes the original, and stays after the last one leaves', () => {
  const live = new Set<string>()
  const a = mainStep(ORIGINAL, undefined, 'a', 'tok-a', live)
  const edited = a.text.replace('tok-a', 'by-hand')
  const left = settle(edited, a.ledger, h => live.has(h.job), FILE, 'a')
  expect(left.text).toBe(edited)
  expect(left.outcomes).toEqual([{ kind: 'table', name: URL, outcome: 'changed' }])
})

test('a cleanup: false write (no holder) becomes the original of an entry jobs hold', () => {
  const live = new Set<string>()
  const a = mainStep(ORIGINAL, undefined, 'a', 'tok-a', live)
  const merged = mergeEntries(a.text, [entry('tok-kept')], FILE)
  const kept = arrive(a.ledger, [{ kind: 'table', written: merged.tables[0], value: entry('tok-kept') }], undefined, false)
  expect(kept.ledger.items[0].holders.map(h => h.job)).toEqual(['a'])
  const left = settle(merged.text, kept.ledger, h => live.has(h.job), FILE, 'a')
  expect(left.text).toBe(merged.text)
  expect(tokenIn(left.text)).toBe('tok-kept')
})

test('cache keys follow the same rules', () => {
  const set = setTopLevelKey(ORIGINAL, 'maxCacheSize', 1024, FILE)
  const { ledger } = arrive(undefined, [{ kind: 'key', written: set.key, value: 1024 }], { job: 'a', run: 'r', host: 'h', since: 0 }, false)
  const set2 = setTopLevelKey(set.text, 'maxCacheSize', 2048, FILE)
  const both = arrive(ledger, [{ kind: 'key', written: set2.key, value: 2048 }], { job: 'b', run: 'r', host: 'h', since: 0 }, false).ledger
  const aLeft = settle(set2.text, both, h => h.job === 'a', FILE, 'b')
  expect(aLeft.text).toContain('maxCacheSize = 1024')
  const none = settle(aLeft.text, aLeft.ledger, () => false, FILE, 'a')
  expect(none.text).toBe(ORIGINAL)
})

test('replacing a different value of a live job of another run warns; the same value or run does not', () => {
  const live = new Set<string>()
  const a = mainStep('', undefined, 'a', 'tok-a', live, 'run-1')
  expect(mainStep(a.text, a.ledger, 'b', 'tok-b', live, 'run-1').warnings).toEqual([])
  expect(mainStep(a.text, a.ledger, 'c', 'tok-a', live, 'run-2').warnings).toEqual([])
  const other = mainStep(a.text, a.ledger, 'd', 'tok-d', live, 'run-2')
  expect(other.warnings).toHaveLength(1)
  expect(other.warnings[0]).not.toContain('tok-')
  expect(holdsAny(other.ledger, 'd')).toBe(true)
  expect(holdsAny(other.ledger, 'x')).toBe(false)
})
