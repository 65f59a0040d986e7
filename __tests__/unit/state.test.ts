import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { readRestoreRecord, writeRestoreRecord } from '../../src/state.js'
import type { RestoreRecord } from '../../src/restore.js'

let dir: string
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'upm-auth-state-'))))
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

const record: RestoreRecord = {
  version: 1,
  file: '/home/runner/.upmconfig.toml',
  createdFile: false,
  tables: [{ url: 'https://a.example.com/', writtenDigest: 'ab'.repeat(32), writtenLength: 52, original: '[npmAuth."https://a.example.com/"]\ntoken = "other-team"\n', lead: '' }]
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
