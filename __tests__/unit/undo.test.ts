/**
 * One job's change undone: main merges and joins the ledger, post leaves it and the leave rules
 * put each table and key back (src/shared-file/ledger.ts, undo.ts). Another hand's writes, which
 * the job's ledger does not know, count as writes no live job made.
 */
import { parse as parseToml } from 'smol-toml'
import { ConfigFileError } from '../../src/errors.js'
import { locateTable, mergeEntries } from '../../src/toml/npm-auth.js'
import { removeSpan } from '../../src/toml/spans.js'
import type { NpmAuthEntry } from '../../src/entry.js'
import { arrive, settle } from '../../src/shared-file/ledger.js'
import type { Arrival, Ledger, LedgerOutcome } from '../../src/shared-file/ledger.js'
import { applyCacheSettings } from '../../src/cache-settings.js'
import type { CacheSettings } from '../../src/cache-settings.js'

type UndoOutcome = LedgerOutcome
const FILE = '/home/runner/.upmconfig.toml'
const A = 'https://a.example.com/npm/'
const B = 'https://b.example.com/'
const X = 'https://x.example.com/'

function token(url: string, value: string): NpmAuthEntry {
  return { url, token: value, alwaysAuth: true, form: 'token' }
}

/** A job's change as its ledger holds it, and what it wrote. */
interface RestoreRecord {
  job: string
  ledger: Ledger
  tables: { url: string }[]
  keys: { key: string }[]
}

let jobs = 0

/** What the main step does: merge, set the cache keys, and join a ledger of its own. */
function mainStep(text: string | undefined, entries: NpmAuthEntry[], cache: CacheSettings = {}): { text: string; record: RestoreRecord } {
  const merged = mergeEntries(text ?? '', entries, FILE)
  const applied = applyCacheSettings(merged.text, cache, FILE, merged.document)
  const arrivals: Arrival[] = [
    ...merged.tables.map(t => ({ kind: 'table' as const, written: t, value: entries.find(e => e.url === t.url) as NpmAuthEntry })),
    ...applied.keys.map(k => ({ kind: 'key' as const, written: k, value: cache[k.key as keyof CacheSettings] as string | number }))
  ]
  const job = `job-${jobs++}`
  const { ledger } = arrive(undefined, arrivals, { job, run: '1', host: 'h', since: 0 }, text === undefined)
  return {
    text: applied.text,
    record: { job, ledger, tables: merged.tables.map(t => ({ url: t.url })), keys: applied.keys.map(k => ({ key: k.key })) }
  }
}

/** What the post step does: the job leaves its ledger. */
function planRestore(text: string, record: RestoreRecord, file: string) {
  const settled = settle(text, record.ledger, () => false, file, record.job)
  const outcome = (kind: 'table' | 'key', name: string): UndoOutcome | undefined =>
    settled.outcomes.find(o => o.kind === kind && o.name === name)?.outcome
  return {
    text: settled.text,
    deleteFile: record.ledger.createdFile && settled.text.trim() === '',
    outcomes: record.tables.map(t => ({ url: t.url, outcome: outcome('table', t.url) })),
    keyOutcomes: record.keys.map(k => ({ key: k.key, outcome: outcome('key', k.key) }))
  }
}

/** What the post step does to the text; undefined when the file is deleted. */
function postStep(text: string, record: RestoreRecord): string | undefined {
  const plan = planRestore(text, record, FILE)
  return plan.deleteFile ? undefined : plan.text
}

describe('main then post gives back the original bytes', () => {
  const cases: { name: string; original: string | undefined; entries: NpmAuthEntry[]; sameText?: true }[] = [
    { name: 'file created by the step', original: undefined, entries: [token(A, 't1')] },
    { name: 'two tables in a created file', original: undefined, entries: [token(A, 't1'), token(B, 't2')] },
    { name: 'existing empty file', original: '', entries: [token(A, 't1')] },
    { name: 'appended after a key', original: 'cacheRoot = "/c"\n', entries: [token(A, 't1')] },
    { name: 'no newline at the end', original: 'cacheRoot = "/c"', entries: [token(A, 't1'), token(B, 't2')] },
    { name: 'file ending in a blank line', original: 'cacheRoot = "/c"\n\n', entries: [token(A, 't1')] },
    { name: 'only a comment', original: '# mine\n', entries: [token(A, 't1')] },
    {
      name: 'CRLF file, added and replaced',
      original: '# team\r\ncacheRoot = "C:/c"\r\n\r\n[npmAuth."https://a.example.com/npm/"]\r\ntoken = "old"\r\n',
      entries: [token(A, 'new'), token(B, 't2')]
    },
    {
      name: 'replaced table with comments, odd spacing and a trailing comment on the header',
      original:
        '[ npmAuth . "https://a.example.com/npm/" ]   # ci\n  _auth="dTpw" # basic\n\n  # note\nemail = \'me@example.com\'\n\n# after\n[npmAuth."https://z.example.com/"]\ntoken = "z"\n',
      entries: [token(A, 'new')]
    },
    {
      name: 'replaced table with comments between and after its keys (the merge keeps them)',
      original: '[npmAuth."https://a.example.com/npm/"]\n# ours\ntoken = "old"\n\n# keep me\nemail = "e@example.com"\n# after\n',
      entries: [token(A, 'new'), token(B, 'b')]
    },
    {
      name: 'replaced table at the end without a newline',
      original: 'cacheRoot = "/c"\n[npmAuth."https://a.example.com/npm/"]\ntoken = "old"',
      entries: [token(A, 'new')]
    },
    {
      name: 'replaced table whose value spans lines',
      original: '[npmAuth."https://a.example.com/npm/"]\ntoken = """\nold"""\nalwaysAuth = false\n[other]\nk = [\n  "[npmAuth]",\n]\n',
      entries: [token(A, 'new'), token(B, 'b')]
    },
    {
      name: 'the same value written again',
      original: '[npmAuth."https://a.example.com/npm/"]\ntoken = "t1"\nalwaysAuth = true\n',
      entries: [token(A, 't1')],
      sameText: true
    }
  ]

  test.each(cases)('$name', ({ original, entries, sameText }) => {
    const main = mainStep(original, entries)
    expect(main.text === original).toBe(sameText === true)
    expect(postStep(main.text, main.record)).toBe(original)
  })
})

describe('jobs sharing one file', () => {
  const original = 'cacheRoot = "/c"\n\n[npmAuth."https://a.example.com/npm/"]\ntoken = "team"\n'

  test('a registry another job added since stays, and the file is as if only that job had run', () => {
    const job1 = mainStep(original, [token(B, 'one')])
    const job2 = mainStep(job1.text, [token(X, 'two')])
    expect(postStep(job2.text, job1.record)).toBe(mainStep(original, [token(X, 'two')]).text)
  })

  test.each([
    ['first in, first out', [0, 1, 2]],
    ['last in, first out', [2, 1, 0]],
    ['middle first', [1, 0, 2]]
  ])('three jobs adding different registries clean up in any order (%s)', (_name, order) => {
    const urls = [B, X, 'https://y.example.com/']
    let text = original
    const records: RestoreRecord[] = []
    for (const [i, url] of urls.entries()) {
      const main = mainStep(text, [token(url, `t${i}`)])
      text = main.text
      records.push(main.record)
    }
    for (const i of order) text = postStep(text, records[i]) as string
    expect(text).toBe(original)
  })

  test('two steps of one job replacing the same entry: posts run in reverse and restore each layer', () => {
    const step1 = mainStep(original, [token(A, 'one')])
    const step2 = mainStep(step1.text, [token(A, 'two')])
    const afterPost2 = postStep(step2.text, step2.record) as string
    expect(afterPost2).toBe(step1.text)
    expect(postStep(afterPost2, step1.record)).toBe(original)
  })

  test('an entry another job replaced since is left alone and reported as changed', () => {
    const job1 = mainStep(original, [token(A, 'one'), token(B, 'b')])
    const job2 = mainStep(job1.text, [token(A, 'newer')])
    const plan = planRestore(job2.text, job1.record, FILE)
    expect(plan.outcomes).toEqual([
      { url: A, outcome: 'changed' },
      { url: B, outcome: 'removed' }
    ])
    const doc = parseToml(plan.text) as { npmAuth: Record<string, { token: string }> }
    expect(doc.npmAuth[A].token).toBe('newer')
    expect(doc.npmAuth[B]).toBeUndefined()
  })

  test('a key added to our table since (after the comments the merge kept) makes it changed', () => {
    const job = mainStep('[npmAuth."https://a.example.com/npm/"]\ntoken = "old"\n# note\n', [token(A, 'new')])
    const plan = planRestore(`${job.text}email = "late@example.com"\n`, job.record, FILE)
    expect(plan.outcomes).toEqual([{ url: A, outcome: 'changed' }])
  })

  test("an entry removed since is another hand's write: left as it is, and nothing else changes", () => {
    const job1 = mainStep(original, [token(B, 'b')])
    const span = locateTable(job1.text, B)
    if (!span) throw new Error(`no table for ${B}`)
    const removedByHand = removeSpan(job1.text, span, '\n')
    const plan = planRestore(removedByHand, job1.record, FILE)
    expect(plan.outcomes).toEqual([{ url: B, outcome: 'changed' }])
    expect(plan.text).toBe(removedByHand)
  })

  test('a created file that another job wrote into since is kept', () => {
    const job1 = mainStep(undefined, [token(A, 'one')])
    const job2 = mainStep(job1.text, [token(X, 'two')])
    const plan = planRestore(job2.text, job1.record, FILE)
    expect(plan.deleteFile).toBe(false)
    expect(Object.keys((parseToml(plan.text) as { npmAuth: object }).npmAuth)).toEqual([X])
  })
})

describe('cache keys: main then post gives back the original bytes', () => {
  const BOTH: CacheSettings = { cacheRoot: '/srv/upm-cache', maxCacheSize: 10_000_000_000 }
  const removed = (key: string) => ({ key, outcome: 'removed' as UndoOutcome })
  const restored = (key: string) => ({ key, outcome: 'restored' as UndoOutcome })
  const cases: {
    name: string
    original: string | undefined
    entries: NpmAuthEntry[]
    cache: CacheSettings
    keys: { key: string; outcome: UndoOutcome }[]
  }[] = [
    {
      name: 'both keys and a table in a created file: the file is deleted',
      original: undefined,
      entries: [token(A, 't1')],
      cache: BOTH,
      keys: [removed('cacheRoot'), removed('maxCacheSize')]
    },
    {
      name: 'only cache keys in a created file: the file is deleted',
      original: undefined,
      entries: [],
      cache: BOTH,
      keys: [removed('cacheRoot'), removed('maxCacheSize')]
    },
    {
      name: 'added above the first table, with the blank line it put after it',
      original: '# team Z\n[npmAuth."https://z.example.com/"]\ntoken = "z"\n',
      entries: [token(A, 't1')],
      cache: { cacheRoot: '/c' },
      keys: [removed('cacheRoot')]
    },
    {
      name: 'added after an existing top-level key',
      original: 'other = 1\n# note\n\n[npmAuth."https://z.example.com/"]\ntoken = "z"\n',
      entries: [token(A, 't1')],
      cache: { maxCacheSize: 5 },
      keys: [removed('maxCacheSize')]
    },
    {
      name: 'added after a last line without a newline',
      original: 'other = 1',
      entries: [],
      cache: BOTH,
      keys: [removed('cacheRoot'), removed('maxCacheSize')]
    },
    {
      name: 'added after a last key without a newline, with a table',
      original: 'other = 1',
      entries: [token(A, 't1')],
      cache: BOTH,
      keys: [removed('cacheRoot'), removed('maxCacheSize')]
    },
    {
      name: 'added after a comment without a newline',
      original: '# hi',
      entries: [],
      cache: { cacheRoot: '/c' },
      keys: [removed('cacheRoot')]
    },
    {
      name: 'replaced lines with trailing comments and odd spacing come back byte for byte, as do the tables',
      original:
        '# ops\n  cacheRoot   =   \'/old/cache\'    # moved in 2024\n"maxCacheSize"=5_000 #small\n\n[npmAuth."https://a.example.com/npm/"]\ntoken = "old"\n',
      entries: [token(A, 'new'), token(B, 'b')],
      cache: BOTH,
      keys: [restored('cacheRoot'), restored('maxCacheSize')]
    },
    {
      name: 'a replaced value that spans lines',
      original: 'cacheRoot = """\n/old"""   # x\nk = 1\n',
      entries: [token(A, 't1')],
      cache: { cacheRoot: '/new' },
      keys: [restored('cacheRoot')]
    },
    {
      name: 'a replaced last line without a newline',
      original: 'cacheRoot = "/old"',
      entries: [],
      cache: { cacheRoot: '/new' },
      keys: [restored('cacheRoot')]
    },
    {
      name: 'CRLF file: one key replaced, one added, a table replaced and one added',
      original: '# team\r\ncacheRoot = "C:/c"   # old\r\n\r\n[npmAuth."https://a.example.com/npm/"]\r\ntoken = "old"\r\n',
      entries: [token(A, 'new'), token(B, 'b')],
      cache: BOTH,
      keys: [restored('cacheRoot'), removed('maxCacheSize')]
    },
    {
      name: 'CRLF file without top-level keys: both added above the first table',
      original: '# team\r\n[npmAuth."https://a.example.com/npm/"]\r\ntoken = "old"\r\n',
      entries: [token(B, 'b')],
      cache: BOTH,
      keys: [removed('cacheRoot'), removed('maxCacheSize')]
    },
    {
      name: 'the same value written again',
      original: 'cacheRoot = "/c"\n',
      entries: [token(A, 't1')],
      cache: { cacheRoot: '/c' },
      keys: [restored('cacheRoot')]
    }
  ]

  test.each(cases)('$name', ({ original, entries, cache, keys }) => {
    const main = mainStep(original, entries, cache)
    expect(main.record.keys.map(k => k.key)).toEqual(keys.map(k => k.key))
    const plan = planRestore(main.text, main.record, FILE)
    expect(plan.keyOutcomes).toEqual(keys)
    expect(plan.deleteFile).toBe(original === undefined)
    if (original !== undefined) expect(plan.text).toBe(original)
  })
})

describe('cache keys someone else changed since', () => {
  const original = 'cacheRoot = "/team"\n\n[npmAuth."https://a.example.com/npm/"]\ntoken = "team"\n'

  test.each([
    ['another value', (text: string) => text.replace('cacheRoot = "/job1"', 'cacheRoot = "/by-hand"')],
    ['a comment added to our line', (text: string) => text.replace('cacheRoot = "/job1"', 'cacheRoot = "/job1" # keep')],
    ['the same value with other spacing', (text: string) => text.replace('cacheRoot = "/job1"', 'cacheRoot="/job1"')],
    ['rewritten as dotted keys', (text: string) => text.replace('cacheRoot = "/job1"\n', 'cacheRoot.a = 1\ncacheRoot.b = 2\n')],
    ['rewritten as a table', (text: string) => text.replace('cacheRoot = "/job1"\n', '') + '[cacheRoot]\npath = "/x"\n']
  ])('%s: the key is left as it is and reported as changed; our tables still go', (_name, edit) => {
    const job = mainStep(original, [token(A, 'one'), token(B, 'b')], { cacheRoot: '/job1' })
    const edited = edit(job.text)
    const plan = planRestore(edited, job.record, FILE)
    expect(plan.keyOutcomes).toEqual([{ key: 'cacheRoot', outcome: 'changed' }])
    expect(plan.outcomes).toEqual([
      { url: A, outcome: 'restored' },
      { url: B, outcome: 'removed' }
    ])
    const doc = parseToml(plan.text) as Record<string, unknown>
    expect(doc.cacheRoot).toEqual((parseToml(edited) as Record<string, unknown>).cacheRoot)
    expect(Object.keys(doc.npmAuth as object)).toEqual([A])
  })

  test("a key removed since is another hand's write: left as it is, and nothing else changes", () => {
    const job = mainStep(original, [], { maxCacheSize: 7 })
    const removedByHand = job.text.replace('maxCacheSize = 7\n', '')
    const plan = planRestore(removedByHand, job.record, FILE)
    expect(plan.keyOutcomes).toEqual([{ key: 'maxCacheSize', outcome: 'changed' }])
    expect(plan.text).toBe(removedByHand)
  })

  test('a key another job set to a newer value stays; that job restores the line it replaced', () => {
    const job1 = mainStep(original, [], { cacheRoot: '/job1' })
    const job2 = mainStep(job1.text, [], { cacheRoot: '/job2' })
    const post1 = planRestore(job2.text, job1.record, FILE)
    expect(post1.keyOutcomes).toEqual([{ key: 'cacheRoot', outcome: 'changed' }])
    expect(post1.text).toBe(job2.text)
    expect(postStep(post1.text, job2.record)).toBe(job1.text)
  })

  describe('two jobs adding different keys above the first table', () => {
    const start = '[npmAuth."https://a.example.com/npm/"]\ntoken = "team"\n'
    const job1 = mainStep(start, [], { cacheRoot: '/one' })
    const job2 = mainStep(job1.text, [], { maxCacheSize: 2 })

    test("the second job's key goes between the first job's line and the blank line it put after it", () => {
      expect(job2.text).toBe(`cacheRoot = "/one"\nmaxCacheSize = 2\n\n${start}`)
    })

    test('last in, first out: byte for byte', () => {
      const afterJob2 = postStep(job2.text, job2.record) as string
      expect(afterJob2).toBe(job1.text)
      expect(postStep(afterJob2, job1.record)).toBe(start)
    })

    test('first in, first out: the blank line the first job put in stays, as nobody can tell it is its own', () => {
      const afterJob1 = postStep(job2.text, job1.record) as string
      expect(afterJob1).toBe(mainStep(start, [], { maxCacheSize: 2 }).text)
      expect(postStep(afterJob1, job2.record)).toBe(`\n${start}`)
    })
  })
})

describe('cleanup refuses what it cannot undo in place', () => {
  test('a file that no longer parses: the error names the file and line, never content', () => {
    const job = mainStep('', [token(A, 'secret-token')])
    expect(() => planRestore(job.text + '\n[broken', job.record, FILE)).toThrow(ConfigFileError)
    expect(() => planRestore(job.text + '\n[broken', job.record, FILE)).toThrow(/\.upmconfig\.toml is not valid TOML: .* at line 5/)
  })

  test('a sub-table added under our entry since would be orphaned: refused, not half-done', () => {
    const job = mainStep('', [token(A, 't')])
    const text = `${job.text}\n[npmAuth."https://a.example.com/npm/".extra]\nk = 1\n`
    expect(() => planRestore(text, job.record, FILE)).toThrow(/changed in a way that cleanup cannot undo in place/)
  })
})
