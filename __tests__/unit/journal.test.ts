/**
 * The journal's decision (src/shared-file/journal.ts): which ledger holds after a kill between
 * the ledger's write and the file's, told from the file as it is now.
 */
import { fileDigest, recover } from '../../src/shared-file/journal.js'
import type { StoredLedger } from '../../src/shared-file/journal.js'
import { arrive } from '../../src/shared-file/ledger.js'
import type { Ledger } from '../../src/shared-file/ledger.js'
import { mergeEntries } from '../../src/toml/npm-auth.js'

const FILE = '/home/ci/.upmconfig.toml'
const URL = 'https://upm.example.com/npm/'
const ORIGINAL = `[npmAuth."${URL}"]\n_auth = "b3JpZzpvcmln"\n`
const holder = (job: string) => ({ job, run: 'r', host: 'h', since: 0 })

/** Job a holds the entry; job b's change (b on top) is in flight. */
function inFlight(): { before: Ledger; after: Ledger; textBefore: string; textAfter: string; stored: StoredLedger } {
  const a = mergeEntries(ORIGINAL, [{ url: URL, token: 'tok-a', alwaysAuth: true }], FILE)
  const before = arrive(
    undefined,
    [{ kind: 'table', written: a.tables[0], value: { url: URL, token: 'tok-a', alwaysAuth: true, form: 'token' } }],
    holder('a'),
    false
  ).ledger
  const b = mergeEntries(a.text, [{ url: URL, token: 'tok-b', alwaysAuth: true }], FILE)
  const after = arrive(
    before,
    [{ kind: 'table', written: b.tables[0], value: { url: URL, token: 'tok-b', alwaysAuth: true, form: 'token' } }],
    holder('b'),
    false
  ).ledger
  const digest = (text: string): string | null => fileDigest(Buffer.from(text, 'utf8'))
  const stored = {
    ...after,
    pending: { fileBefore: digest(a.text), fileAfter: digest(b.text), before: { createdFile: before.createdFile, items: before.items } }
  }
  return { before, after, textBefore: a.text, textAfter: b.text, stored }
}

const digest = (text: string): string | null => fileDigest(Buffer.from(text, 'utf8'))

test('the file shows the bytes after: the change is finished', () => {
  const { after, textAfter, stored } = inFlight()
  expect(recover(stored, digest(textAfter), textAfter)).toEqual({ ledger: after, recovery: 'finished' })
})

test('the file shows the bytes before: the ledger goes back as it was (the live job a stays the holder)', () => {
  const { before, textBefore, stored } = inFlight()
  expect(recover(stored, digest(textBefore), textBefore)).toEqual({ ledger: before, recovery: 'undone' })
})

test('another program wrote the file since: each item is judged by what the file shows', () => {
  const { before, textBefore, stored } = inFlight()
  // The file before the change, plus a line another program appended.
  const edited = `${textBefore}# appended by a script\n`
  const found = recover(stored, digest(edited), edited)
  expect(found.recovery).toBe('reconciled')
  expect(found.ledger?.items).toEqual(before.items)
})

test('a ledger with nothing in flight is what it says; an empty one is none', () => {
  const { after, textAfter } = inFlight()
  expect(recover(after, digest(textAfter), textAfter)).toEqual({ ledger: after })
  expect(recover({ ...after, items: [] }, null, '')).toEqual({ ledger: undefined })
})

test('a change that deleted the file: finished when the file is gone', () => {
  const { before, textBefore } = inFlight()
  const stored: StoredLedger = { ...before, items: [], pending: { fileBefore: digest(textBefore), fileAfter: null, before } }
  expect(recover(stored, null, '')).toEqual({ ledger: undefined, recovery: 'finished' })
  expect(recover(stored, digest(textBefore), textBefore)).toEqual({
    ledger: { version: before.version, createdFile: before.createdFile, items: before.items },
    recovery: 'undone'
  })
})
