import { jest } from '@jest/globals'
import fs from 'node:fs'
import path from 'node:path'
import { MAX_CONFIG_BYTES, readConfigFile, removeLeftoverTempFiles, updateConfigFile } from '../../src/shared-file/config-file.js'
import { removeFile, retrySharingViolations, sharingRetry } from '../../src/fs-errors.js'
import { platformAcl } from '../../src/private-file.js'
import { deadPid, tempDirEach } from '../support/fixtures.js'

const scratch = tempDirEach('file-')
let dir: string
let file: string
beforeEach(() => {
  dir = scratch.path
  file = path.join(dir, '.upmconfig.toml')
})

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
      [
        `.upmconfig.toml.${dead}.0badc0de.tmp`,
        `.upmconfig.toml.lock.${dead}.0badc0de.tmp`,
        `.upmconfig.toml.${process.pid}.1234abcd.tmp`
      ].sort()
    )
    expect(fs.readdirSync(dir).sort()).toEqual(
      [
        '.upmconfig.toml',
        `.upmconfig.toml.${process.pid}.5678abcd.tmp`,
        `.upmconfig.toml.${dead}.xyz.tmp`,
        `other.toml.${dead}.0badc0de.tmp`
      ].sort()
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
    ['win32 retries EPERM and EBUSY until it works', 'win32', ['EPERM', 'EBUSY', 'EACCES'], 'done', 4, 70],
    ['win32 gives up after the bound', 'win32', Array<string>(20).fill('EBUSY'), 'EBUSY', 11, 2630],
    ['win32 does not retry other errors', 'win32', ['ENOENT'], 'ENOENT', 1, 0],
    ['elsewhere EPERM is a real permission problem: no retry', 'linux', ['EPERM'], 'EPERM', 1, 0]
  ] as const)('%s', (_name, platform, codes, outcome, calls, waitedMs) => {
    const { op, calls: count } = failing([...codes])
    const waits: number[] = []
    let result: string
    try {
      result = retrySharingViolations(op, platform, ms => waits.push(ms))
    } catch (error) {
      result = (error as Error).message
    }
    expect(result).toBe(outcome)
    expect(count()).toBe(calls)
    // One wait between attempts, growing, bounded to the same ~2.5 s the rename always had.
    expect(waits).toHaveLength(Math.max(0, calls - 1))
    expect(waits.reduce((a, b) => a + b, 0)).toBe(waitedMs)
  })

  test('the default wait really blocks between attempts', () => {
    const { op } = failing(['EBUSY', 'EBUSY'])
    const start = performance.now()
    expect(retrySharingViolations(op, 'win32')).toBe('done')
    expect(performance.now() - start).toBeGreaterThanOrEqual(25) // 10 ms + 20 ms, less timer slack
  })
})

describe('Windows sharing violations on the config file', () => {
  // Linux cannot make a file busy, so the file system is real and only its first answers are
  // replaced with the EBUSY a share-mode-0 holder gives; the Wine smoke test does it for real.
  const realPlatform = process.platform
  let waits: number[]
  beforeEach(() => {
    Object.defineProperty(process, 'platform', { value: 'win32' })
    // The access rules are windows-acl.test.ts's; this machine has no icacls to run.
    jest.spyOn(platformAcl, 'needed').mockReturnValue(false)
    // The waits are recorded, not slept: the bound alone is about 2.5 s of blocking.
    waits = []
    jest.spyOn(sharingRetry, 'sleep').mockImplementation(ms => waits.push(ms))
  })
  afterEach(() => {
    Object.defineProperty(process, 'platform', { value: realPlatform })
    jest.restoreAllMocks()
  })

  function busyFor(name: 'lstatSync' | 'readFileSync' | 'openSync', times: number, held: (path: string) => boolean): () => number {
    const real = fs[name] as (...args: unknown[]) => unknown
    let busy = 0
    jest.spyOn(fs, name).mockImplementation(((...args: unknown[]) => {
      if (held(String(args[0])) && busy < times) {
        busy++
        throw Object.assign(new Error(`EBUSY: resource busy or locked, ${name} '${String(args[0])}'`), { code: 'EBUSY' })
      }
      return real.apply(fs, args)
    }) as never)
    return () => busy
  }

  test.each(['lstatSync', 'readFileSync'] as const)('a read that finds the file held (%s) waits and succeeds', name => {
    fs.writeFileSync(file, 'a = 1\r\n')
    const busy = busyFor(name, 3, p => p === file)
    expect(readConfigFile(file).text).toBe('a = 1\r\n')
    expect(busy()).toBe(3)
  })

  test('a read held longer than the bound fails with the clear error', () => {
    fs.writeFileSync(file, 'a = 1\n')
    busyFor('readFileSync', 100, p => p === file)
    expect(() => readConfigFile(file)).toThrow(
      `Cannot read ${file}: another process has it open with no sharing (close Unity or whatever holds it, then run again).`
    )
    expect(waits.reduce((a, b) => a + b, 0)).toBe(2630) // it waited out the whole bound first
  })

  test('an update waits out a held read and a held temporary file open', async () => {
    fs.writeFileSync(file, 'a = 1\n')
    const reads = busyFor('readFileSync', 2, p => p === file)
    const opens = busyFor('openSync', 2, p => p.startsWith(`${file}.${process.pid}.`))
    await updateConfigFile(file, current => ({ text: current.text + 'b = 2\n', result: undefined }))
    expect(fs.readFileSync(file, 'utf8')).toBe('a = 1\nb = 2\n')
    expect([reads(), opens()]).toEqual([2, 2])
  })
})

describe('removeFile', () => {
  test('deletes a file, and a file that is not there is no error', () => {
    fs.writeFileSync(file, 'x')
    removeFile(file)
    expect(fs.existsSync(file)).toBe(false)
    expect(() => {
      removeFile(file)
    }).not.toThrow()
  })

  test('anything else is an error: it never removes a folder', () => {
    fs.mkdirSync(file)
    expect(() => {
      removeFile(file)
    }).toThrow(/EISDIR|EPERM/)
    expect(fs.statSync(file).isDirectory()).toBe(true)
  })
})
