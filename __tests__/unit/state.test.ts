import fs from 'node:fs'
import path from 'node:path'
import { readRestoreRecord, writeRestoreRecord } from '../../src/state.js'
import type { RestoreRecord } from '../../src/restore.js'
import { tempDirEach } from '../support/fixtures.js'

const scratch = tempDirEach('state-')
let dir: string
beforeEach(() => {
  dir = scratch.path
})

const record: RestoreRecord = {
  version: 2,
  file: '/home/runner/.upmconfig.toml',
  createdFile: false,
  tables: [
    {
      url: 'https://a.example.com/',
      writtenDigest: 'ab'.repeat(32),
      writtenLength: 52,
      original: '[npmAuth."https://a.example.com/"]\ntoken = "other-team"\n',
      lead: ''
    }
  ],
  keys: [
    { key: 'cacheRoot', writtenDigest: 'cd'.repeat(32), writtenLength: 21, original: 'cacheRoot = "/old"  # ops\n', lead: '', trail: '' }
  ]
}

test('the restore record is a new 0600 file under RUNNER_TEMP and reads back as written', () => {
  const file = writeRestoreRecord(dir, record)
  expect(path.dirname(file)).toBe(dir)
  if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600)
  expect(readRestoreRecord(file)).toEqual(record)
  expect(writeRestoreRecord(dir, record)).not.toBe(file)
})

test('a record that cannot be written says what to do', () => {
  expect(() => writeRestoreRecord(path.join(dir, 'missing'), record)).toThrow(/Cannot write the cleanup record .* set `cleanup: false`/)
})

test('a damaged record is refused without quoting its content (it may hold credentials)', () => {
  const file = path.join(dir, 'record.json')
  fs.writeFileSync(file, '{"version":1,"tables":[{"original":"token = \\"SECRET-CANARY\\""')
  expect(() => readRestoreRecord(file)).toThrow(`The cleanup record ${file} is not one this version of upm-auth wrote.`)
  expect(() => readRestoreRecord(path.join(dir, 'missing.json'))).toThrow(/Cannot read the cleanup record/)
})

test('a version 1 record (tables only, from before cache keys were undone) reads as one with no keys', () => {
  const file = path.join(dir, 'v1.json')
  const tablesOnly: Partial<RestoreRecord> = { ...record }
  delete tablesOnly.keys
  fs.writeFileSync(file, JSON.stringify({ ...tablesOnly, version: 1 }))
  expect(readRestoreRecord(file)).toEqual({ ...record, keys: [] })
})

test.each([
  ['a newer version', { ...record, version: 3 }],
  ['version 2 without keys', { ...record, keys: undefined }],
  ['no version', { ...record, version: undefined }]
])('%s is refused, saying it is not one this version wrote', (_name, content) => {
  const file = path.join(dir, 'other.json')
  fs.writeFileSync(file, JSON.stringify(content))
  expect(() => readRestoreRecord(file)).toThrow(`The cleanup record ${file} is not one this version of upm-auth wrote.`)
})
