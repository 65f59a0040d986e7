import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  OTHER_HOST_BOUND_MS,
  isRestoreRecordPath,
  jobIsLive,
  readRestoreRecord,
  thisJob,
  writeRestoreRecord
} from '../../src/shared-file/job-record.js'
import { tempDirEach } from '../support/fixtures.js'

const scratch = tempDirEach('state-')
let dir: string
beforeEach(() => {
  dir = scratch.path
})

const CONFIG = '/home/runner/.upmconfig.toml'

test('the restore record is a new 0600 file under RUNNER_TEMP, names the config file and nothing else', () => {
  const file = writeRestoreRecord(dir, CONFIG)
  expect(path.dirname(file)).toBe(dir)
  expect(isRestoreRecordPath(file)).toBe(true)
  if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600)
  expect(readRestoreRecord(file)).toEqual({ version: 3, file: CONFIG })
  expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ version: 3, file: CONFIG })
  expect(writeRestoreRecord(dir, CONFIG)).not.toBe(file)
})

test('a record that cannot be written says what to do', () => {
  expect(() => writeRestoreRecord(path.join(dir, 'missing'), CONFIG)).toThrow(/Cannot write the cleanup record .* set `cleanup: false`/)
})

test.each([
  ['damaged', '{"version":3,"file":"SECRET-CANARY'],
  ['of an earlier version', JSON.stringify({ version: 2, file: CONFIG, tables: [], keys: [] })],
  ['without a file', JSON.stringify({ version: 3 })]
])('a record %s is refused without quoting its content', (_name, content) => {
  const file = path.join(dir, 'record.json')
  fs.writeFileSync(file, content)
  expect(() => readRestoreRecord(file)).toThrow(`The cleanup record ${file} is not one this version of upm-auth wrote.`)
  expect(() => readRestoreRecord(path.join(dir, 'missing.json'))).toThrow(/Cannot read the cleanup record/)
})

test.each([
  ['/tmp/_temp/upm-auth-restore-0123456789abcdef.json', true],
  ['D:\\a\\_temp\\upm-auth-restore-0123456789abcdef.json', true],
  ['upm-auth-restore-0123456789abcdef.json', false],
  ['/etc/passwd', false],
  ['/tmp/upm-auth-restore-0123456789abcdeg.json', false]
])('%s is a restore record path: %s', (file, expected) => {
  expect(isRestoreRecordPath(file)).toBe(expected)
})

describe('which jobs are live', () => {
  test("this host's job: while its record exists", () => {
    const file = writeRestoreRecord(dir, CONFIG)
    const job = thisJob(file)
    expect(jobIsLive(job)).toBe(true)
    fs.rmSync(file)
    expect(jobIsLive(job)).toBe(false)
  })

  test("another host's job, whose record this host cannot see: live up to the bound", () => {
    const other = { job: path.join(dir, 'upm-auth-restore-0123456789abcdef.json'), host: `${os.hostname()}/another-boot`, since: 1_000 }
    expect(fs.existsSync(other.job)).toBe(false)
    expect(jobIsLive(other, 1_000 + OTHER_HOST_BOUND_MS - 1)).toBe(true)
    expect(jobIsLive(other, 1_000 + OTHER_HOST_BOUND_MS)).toBe(false)
  })
})
