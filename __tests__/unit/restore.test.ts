import { parse as parseToml } from 'smol-toml'
import { ConfigFileError, locateTable, mergeEntries, removeSpan } from '../../src/toml-merge.js'
import type { NpmAuthEntry } from '../../src/registries.js'
import { planRestore, recordOf } from '../../src/restore.js'
import type { RestoreRecord } from '../../src/restore.js'

const FILE = '/home/runner/.upmconfig.toml'
const A = 'https://a.example.com/npm/'
const B = 'https://b.example.com/'
const X = 'https://x.example.com/'

function token(url: string, value: string): NpmAuthEntry {
  return { url, token: value, alwaysAuth: true, form: 'token' }
}

/** What the main step does: merge, and keep the record. */
function mainStep(text: string | undefined, entries: NpmAuthEntry[]): { text: string; record: RestoreRecord } {
  const merged = mergeEntries(text ?? '', entries, FILE)
  return { text: merged.text, record: recordOf(FILE, text === undefined, merged) }
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

  test('an entry removed since is reported as gone and nothing else changes', () => {
    const job1 = mainStep(original, [token(B, 'b')])
    const span = locateTable(job1.text, B)!
    const removedByHand = removeSpan(job1.text, span, '\n')
    const plan = planRestore(removedByHand, job1.record, FILE)
    expect(plan.outcomes).toEqual([{ url: B, outcome: 'gone' }])
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

describe('cleanup refuses what it cannot undo in place', () => {
  test('a file that no longer parses: the error names the file and line, never content', () => {
    const job = mainStep('', [token(A, 'secret-token')])
    expect(() => planRestore(job.text + '\n[broken', job.record, FILE)).toThrow(ConfigFileError)
    expect(() => planRestore(job.text + '\n[broken', job.record, FILE)).toThrow(/\.upmconfig\.toml is not valid TOML: .* at line 5/)
  })

  test('a sub-table added under our entry since would be orphaned: refused, not half-done', () => {
    const job = mainStep('', [token(A, 't')])
    const text = `${job.text}\n[npmAuth."https://a.example.com/npm/".extra]\nk = 1\n`
    expect(() => planRestore(text, job.record, FILE)).toThrow(/changed since this job wrote it/)
  })
})
