import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { MAX_CONFIG_BYTES, readConfigFile, removeLeftoverTempFiles, updateConfigFile } from '../../src/config-file.js'
import { removeFile, retrySharingViolations } from '../../src/fs-errors.js'

let dir: string
let file: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'upm-auth-file-'))
  file = path.join(dir, '.upmconfig.toml')
})
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

const deadPid = (): number => spawnSync(process.execPath, ['-e', '']).pid

describe('removeLeftoverTempFiles', () => {
  function touch(name: string, ageMs = 0): void {
    fs.writeFileSync(path.join(dir, name), 'partial')
    const when = new Date(Date.now() - ageMs)
    fs.utimesSync(path.join(dir, name), when, when)
  }

  test('removes what killed writers left, keeps what live writers and others own', () => {
    const dead = deadPid()
    touch(`.upmconfig.toml.${dead}.0badc0de.tmp`) // a write by a process that is gone
    touch(`.upmconfig.toml.lock.${dead}.0badc0de.tmp`) // a lock being taken over by a process that is gone
    touch(`.upmconfig.toml.${process.pid}.1234abcd.tmp`, 60_000) // alive, but older than any write takes
    touch(`.upmconfig.toml.${process.pid}.5678abcd.tmp`) // a live write in progress
    touch(`.upmconfig.toml.${dead}.xyz.tmp`) // not our pattern
    touch(`other.toml.${dead}.0badc0de.tmp`) // another file's
    touch('.upmconfig.toml')
    const removed = removeLeftoverTempFiles(file)
    expect(removed.sort()).toEqual(
      [`.upmconfig.toml.${dead}.0badc0de.tmp`, `.upmconfig.toml.lock.${dead}.0badc0de.tmp`, `.upmconfig.toml.${process.pid}.1234abcd.tmp`].sort()
    )
    expect(fs.readdirSync(dir).sort()).toEqual(
      ['.upmconfig.toml', `.upmconfig.toml.${process.pid}.5678abcd.tmp`, `.upmconfig.toml.${dead}.xyz.tmp`, `other.toml.${dead}.0badc0de.tmp`].sort()
    )
  })

  test('a missing folder is nothing to clean', () => {
    expect(removeLeftoverTempFiles(path.join(dir, 'missing', '.upmconfig.toml'))).toEqual([])
  })
})

describe('updateConfigFile', () => {
  test('writes under the lock, mode 0600, and cleans leftovers first', async () => {
    const leftover = path.join(dir, `.upmconfig.toml.${deadPid()}.0badc0de.tmp`)
    fs.writeFileSync(leftover, 'half')
    const seen = await updateConfigFile(file, current => {
      expect(fs.existsSync(`${file}.lock`)).toBe(true)
      expect(fs.existsSync(leftover)).toBe(false)
      return { text: 'a = 1\n', result: current.exists }
    })
    expect(seen).toBe(false)
    expect(fs.readFileSync(file, 'utf8')).toBe('a = 1\n')
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600)
    expect(fs.readdirSync(dir)).toEqual(['.upmconfig.toml'])
  })

  test('creates missing parent folders', async () => {
    const nested = path.join(dir, 'Unity', 'config', 'ServiceAccounts', '.upmconfig.toml')
    await updateConfigFile(nested, () => ({ text: 'a = 1\n', result: undefined }))
    expect(fs.readFileSync(nested, 'utf8')).toBe('a = 1\n')
  })

  test('deletes the file, or leaves it as it is', async () => {
    fs.writeFileSync(file, 'a = 1\n')
    const before = fs.statSync(file).mtimeMs
    await updateConfigFile(file, () => ({ result: undefined }))
    expect(fs.statSync(file).mtimeMs).toBe(before)
    await updateConfigFile(file, () => ({ delete: true, result: undefined }))
    expect(fs.readdirSync(dir)).toEqual([])
  })

  test('a failing change writes nothing and releases the lock', async () => {
    fs.writeFileSync(file, 'a = 1\n')
    await expect(
      updateConfigFile(file, () => {
        throw new Error('refused')
      })
    ).rejects.toThrow('refused')
    expect(fs.readdirSync(dir)).toEqual(['.upmconfig.toml'])
    expect(fs.readFileSync(file, 'utf8')).toBe('a = 1\n')
  })
})

test('a file far larger than any user config is refused before it is read', () => {
  fs.writeFileSync(file, Buffer.alloc(MAX_CONFIG_BYTES + 1, '#'))
  expect(() => readConfigFile(file)).toThrow(`${file} is 1.0 MB; a .upmconfig.toml holds a few kilobytes.`)
})

describe('retrySharingViolations', () => {
  function failing(codes: string[]): { op: () => string; calls: () => number } {
    let calls = 0
    return {
      op: () => {
        const code = codes[calls++]
        if (code) throw Object.assign(new Error(code), { code })
        return 'done'
      },
      calls: () => calls
    }
  }

  test.each([
    ['win32 retries EPERM and EBUSY until it works', 'win32', ['EPERM', 'EBUSY', 'EACCES'], 'done', 4],
    ['win32 gives up after the bound', 'win32', Array(20).fill('EBUSY'), 'EBUSY', 11],
    ['win32 does not retry other errors', 'win32', ['ENOENT'], 'ENOENT', 1],
    ['elsewhere EPERM is a real permission problem: no retry', 'linux', ['EPERM'], 'EPERM', 1]
  ] as const)('%s', (_name, platform, codes, outcome, calls) => {
    const { op, calls: count } = failing([...codes])
    let result: string
    try {
      result = retrySharingViolations(op, platform)
    } catch (error) {
      result = (error as Error).message
    }
    expect(result).toBe(outcome)
    expect(count()).toBe(calls)
  })
})

describe('removeFile', () => {
  test('deletes a file, and a file that is not there is no error', () => {
    fs.writeFileSync(file, 'x')
    removeFile(file)
    expect(fs.existsSync(file)).toBe(false)
    expect(() => removeFile(file)).not.toThrow()
  })

  test('anything else is an error: it never removes a folder', () => {
    fs.mkdirSync(file)
    expect(() => removeFile(file)).toThrow(/EISDIR|EPERM/)
    expect(fs.statSync(file).isDirectory()).toBe(true)
  })
})
