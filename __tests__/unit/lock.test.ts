import { jest } from '@jest/globals'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { breakLock, isProcessAlive, lockPathOf, parseLockInfo, readLock, staleReason, withFileLock } from '../../src/shared-file/lock.js'
import type { LockFileContent } from '../../src/shared-file/lock.js'
import type { LockInfo } from '../../src/shared-file/lock.js'
import { deadPid, tempDirEach } from '../support/fixtures.js'

const scratch = tempDirEach('lock-')
let dir: string
let file: string
beforeEach(() => {
  dir = scratch.path
  file = path.join(dir, '.upmconfig.toml')
})

/** The pid of a process that has ended, and that the lock sees as ended (what the tests below rely on). */
function endedPid(): number {
  const pid = deadPid()
  expect(isProcessAlive(pid)).toBe(false)
  return pid
}

function lockInfo(overrides: Partial<LockInfo>): LockInfo {
  const self = JSON.parse(fs.readFileSync(lockPathOf(file), 'utf8')) as LockInfo
  return { ...self, ...overrides }
}

/** Writes a lock file as some other holder would have left it. */
function plantLock(content: string, ageMs = 0): void {
  fs.writeFileSync(lockPathOf(file), content)
  const when = new Date(Date.now() - ageMs)
  fs.utimesSync(lockPathOf(file), when, when)
}

/** A lock record of this process, to derive others from (same host, same PID namespace). */
async function ownRecord(): Promise<LockInfo> {
  return withFileLock(file, () => lockInfo({}))
}

test('holds a lock file with pid, host and time while running, and removes it after', async () => {
  const seen = await withFileLock(file, () => parseLockInfo(fs.readFileSync(lockPathOf(file), 'utf8')))
  expect(seen).toMatchObject({ pid: process.pid, hostname: os.hostname() })
  expect(Math.abs(Date.now() - (seen?.created ?? 0))).toBeLessThan(5000)
  expect(fs.existsSync(lockPathOf(file))).toBe(false)
})

test('releases the lock when the work throws', async () => {
  await expect(withFileLock(file, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
  expect(fs.existsSync(lockPathOf(file))).toBe(false)
})

test('holders run one at a time', async () => {
  let inside = 0
  let most = 0
  const work = (): Promise<void> =>
    withFileLock(file, async () => {
      inside++
      most = Math.max(most, inside)
      await new Promise(resolve => setTimeout(resolve, 5))
      inside--
    })
  await Promise.all(Array.from({ length: 12 }, work))
  expect(most).toBe(1)
})

describe('a lock left behind is taken over', () => {
  test.each([
    [
      'its holder on this host has ended',
      async () => JSON.stringify({ ...(await ownRecord()), pid: endedPid(), created: Date.now() }),
      0,
      /process \d+, has ended/
    ],
    [
      'it is older than the bound (holder on another host)',
      () =>
        Promise.resolve(
          JSON.stringify({ pid: 1, hostname: 'build-agent-7', host: 'build-agent-7', created: Date.now() - 60_000, token: 'x' })
        ),
      0,
      /taken 60 s ago by process 1 on build-agent-7/
    ],
    ['it was left empty long ago', () => Promise.resolve(''), 10_000, /left without a complete record/]
  ])('%s', async (_name, content, ageMs, reason) => {
    plantLock(await content(), ageMs)
    const log: string[] = []
    const ran = await withFileLock(file, () => true, { timeoutMs: 2000, staleMs: 20_000, log: m => log.push(m) })
    expect(ran).toBe(true)
    expect(log).toHaveLength(1)
    expect(log[0]).toMatch(reason)
    expect(fs.readdirSync(dir)).toEqual([])
  })
})

describe('a live lock is waited for', () => {
  test('until its holder releases it', async () => {
    plantLock(JSON.stringify({ ...(await ownRecord()), created: Date.now() }))
    setTimeout(() => {
      fs.rmSync(lockPathOf(file))
    }, 300)
    const started = Date.now()
    await withFileLock(file, () => undefined, { timeoutMs: 5000 })
    expect(Date.now() - started).toBeGreaterThanOrEqual(250)
  })

  test.each([
    [
      'held by a live process elsewhere',
      JSON.stringify({ pid: 1, hostname: 'build-agent-7', host: 'build-agent-7', created: Date.now(), token: 'x' }),
      /held by process 1 on build-agent-7/
    ],
    ['being written right now (empty and young)', '', /held by another process/]
  ])('and given up after the timeout with a clear error: %s', async (_name, content, holder) => {
    plantLock(content)
    const error = await withFileLock(file, () => undefined, { timeoutMs: 300 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toMatch(holder)
    expect((error as Error).message).toContain(`delete ${lockPathOf(file)}`)
    expect(fs.readFileSync(lockPathOf(file), 'utf8')).toBe(content)
  })
})

test('a folder in place of the lock is reported at once and left alone: it would never go away by itself', async () => {
  fs.mkdirSync(lockPathOf(file))
  const started = Date.now()
  await expect(withFileLock(file, () => undefined, { timeoutMs: 10_000 })).rejects.toThrow(
    `its lock file ${lockPathOf(file)} is not a regular file, which upm-auth never creates. Delete it, then run again.`
  )
  expect(Date.now() - started).toBeLessThan(5000)
  expect(fs.statSync(lockPathOf(file)).isDirectory()).toBe(true)
})

test('release leaves a lock that is no longer ours (taken over while we were slow)', async () => {
  const other = JSON.stringify({ pid: 1, hostname: 'build-agent-7', host: 'build-agent-7', created: Date.now(), token: 'theirs' })
  await withFileLock(file, () => {
    fs.writeFileSync(lockPathOf(file), other)
  })
  expect(fs.readFileSync(lockPathOf(file), 'utf8')).toBe(other)
})

test('a lock that cannot be created is an error naming the config file and the lock', async () => {
  // A file where the folder should be: refused even for root, which ignores permission bits.
  const notAFolder = path.join(dir, 'home')
  fs.writeFileSync(notAFolder, '')
  const target = path.join(notAFolder, '.upmconfig.toml')
  await expect(withFileLock(target, () => undefined)).rejects.toThrow(
    `Cannot write ${target}: cannot create its lock file ${target}.lock: a part of the path is a file, not a folder.`
  )
})

describe('staleReason', () => {
  const now = 1_000_000
  test.each([
    [
      'a record of a live process on another host, young',
      { pid: 1, hostname: 'elsewhere', host: 'elsewhere', created: now - 1000, token: 't' },
      now,
      undefined
    ],
    [
      'a record of another host, older than the bound',
      { pid: 1, hostname: 'elsewhere', host: 'elsewhere', created: now - 21_000, token: 't' },
      now,
      /taken 21 s ago/
    ],
    ['unreadable and young', undefined, now - 1000, undefined],
    ['unreadable and older than the grace', undefined, now - 6000, /left without a complete record/]
  ])('%s', (_name, info, mtimeMs, expected) => {
    const reason = staleReason({ info, mtimeMs }, now, 20_000)
    if (expected === undefined) expect(reason).toBeUndefined()
    else expect(reason).toMatch(expected)
  })

  test('a holder on this host whose process lives is never stale, however old its lock', async () => {
    const own = await ownRecord()
    expect(staleReason({ info: { ...own, created: now - 3_600_000 }, mtimeMs: now - 3_600_000 }, now, 20_000)).toBeUndefined()
    expect(staleReason({ info: { ...own, pid: endedPid(), created: now }, mtimeMs: now }, now, 20_000)).toMatch(/has ended/)
  })

  test('this process is alive; an ended one is not', () => {
    expect(isProcessAlive(process.pid)).toBe(true)
    expect(isProcessAlive(deadPid())).toBe(false)
    expect(isProcessAlive(0)).toBe(false)
  })
})

test('parseLockInfo accepts only a complete record', () => {
  expect(parseLockInfo('')).toBeUndefined()
  expect(parseLockInfo('{"pid":1')).toBeUndefined()
  expect(parseLockInfo('{"pid":1,"hostname":"h","created":2}')).toBeUndefined()
  // Without the host identity (an earlier version's record): its pid cannot be judged.
  expect(parseLockInfo('{"pid":1,"hostname":"h","created":2,"token":"t"}')).toBeUndefined()
  expect(parseLockInfo('{"pid":1,"hostname":"h","host":"h/b","created":2,"token":"t"}')).toEqual({
    pid: 1,
    hostname: 'h',
    host: 'h/b',
    created: 2,
    token: 't'
  })
})

describe('breakLock removes only the very lock that was judged stale', () => {
  /** What a waiter read of the lock file. */
  function seen(): LockFileContent {
    const read = readLock(lockPathOf(file))
    if (read.kind !== 'held' && read.kind !== 'incomplete') throw new Error('no lock to read')
    return read.content
  }

  test('a stale lock still in place is removed', async () => {
    plantLock(JSON.stringify({ ...(await ownRecord()), pid: endedPid(), token: 'dead' }))
    expect(breakLock(lockPathOf(file), seen())).toBe(true)
    expect(fs.existsSync(lockPathOf(file))).toBe(false)
    expect(fs.existsSync(`${lockPathOf(file)}.break`)).toBe(false)
  })

  test('released and taken by a live job since it was read: left alone (two writers at once would lose entries)', async () => {
    const record = await ownRecord()
    plantLock(JSON.stringify({ ...record, pid: endedPid(), token: 'released-since' }), 1000)
    const stale = seen()
    fs.rmSync(lockPathOf(file))
    const live = JSON.stringify({ ...record, token: 'live' })
    plantLock(live)
    expect(breakLock(lockPathOf(file), stale)).toBe(false)
    expect(fs.readFileSync(lockPathOf(file), 'utf8')).toBe(live)
  })

  test('an empty lock replaced by another empty one (a new holder about to write it) is left alone', () => {
    plantLock('', 10_000)
    const stale = seen()
    fs.rmSync(lockPathOf(file))
    plantLock('')
    expect(breakLock(lockPathOf(file), stale)).toBe(false)
    expect(fs.existsSync(lockPathOf(file))).toBe(true)
  })

  test('while another breaker holds the guard nothing is broken; a guard left by a dead breaker is cleared', async () => {
    plantLock(JSON.stringify({ ...(await ownRecord()), pid: endedPid(), token: 'dead' }))
    const guard = `${lockPathOf(file)}.break`
    fs.writeFileSync(guard, '')
    expect(breakLock(lockPathOf(file), seen())).toBe(false)
    expect(fs.existsSync(guard)).toBe(true)
    const old = new Date(Date.now() - 10_000)
    fs.utimesSync(guard, old, old)
    expect(breakLock(lockPathOf(file), seen())).toBe(false)
    expect(fs.existsSync(guard)).toBe(false)
    expect(breakLock(lockPathOf(file), seen())).toBe(true)
  })
})

describe('locks that would block every run', () => {
  test('a symbolic link at the lock path (dangling or not) is an error naming it at once, not a 60 s busy wait', async () => {
    fs.symlinkSync(path.join(path.dirname(file), 'nowhere'), lockPathOf(file))
    const started = Date.now()
    await expect(withFileLock(file, () => undefined, { timeoutMs: 10_000 })).rejects.toThrow(
      `Cannot write ${file}: its lock file ${lockPathOf(file)} is a symbolic link, which upm-auth never creates. Delete it, then run again.`
    )
    expect(Date.now() - started).toBeLessThan(5_000)
  })

  test('a lock from another host whose clock runs ahead is stale once this waiter has seen it for the bound', async () => {
    const future = { pid: 1, hostname: 'fast-clock-host', host: 'fast-clock-host', created: Date.now() + 3_600_000, token: 'future' }
    plantLock(JSON.stringify(future))
    const messages: string[] = []
    const started = Date.now()
    await withFileLock(file, () => undefined, { staleMs: 300, timeoutMs: 10_000, log: m => messages.push(m) })
    expect(Date.now() - started).toBeGreaterThanOrEqual(300)
    expect(messages).toEqual([expect.stringMatching(/^Took over the lock .*: it was taken \d+ s ago by process 1 on fast-clock-host/)])
  })

  test("staleReason takes the older of the holder's time and when it was first seen", () => {
    const now = 1_000_000
    const info = { pid: 1, hostname: 'elsewhere', host: 'elsewhere', created: now + 60_000, token: 't' }
    expect(staleReason({ info, mtimeMs: now }, now, 20_000, 1_000)).toBeUndefined()
    expect(staleReason({ info, mtimeMs: now }, now, 20_000, 21_000)).toMatch(/taken 21 s ago/)
  })
})

describe('readLock says what it found', () => {
  test('held: a complete record, with who holds it', async () => {
    const record = { ...(await ownRecord()), token: 'someone' }
    plantLock(JSON.stringify(record))
    const read = readLock(lockPathOf(file))
    expect(read.kind).toBe('held')
    if (read.kind === 'held') expect(read.content.info).toEqual(record)
  })

  test('incomplete: being written, or left empty', () => {
    plantLock('{"pid": 12')
    const read = readLock(lockPathOf(file))
    expect(read.kind).toBe('incomplete')
    if (read.kind === 'incomplete') expect([read.content.raw, read.content.info]).toEqual(['{"pid": 12', undefined])
  })

  test('gone: not there', () => {
    expect(readLock(lockPathOf(file))).toEqual({ kind: 'gone' })
  })

  test('unreadable: an error at once naming the lock (waiting would not make it readable)', () => {
    plantLock('{}')
    fs.chmodSync(lockPathOf(file), 0o000)
    // root reads it anyway: then there is nothing to check here.
    if (process.getuid?.() === 0) return
    expect(() => readLock(lockPathOf(file))).toThrow(/is not one this account's runs took: this account cannot read it/)
  })

  test('a folder in its place is an error, not a kind', () => {
    fs.mkdirSync(lockPathOf(file))
    expect(() => readLock(lockPathOf(file))).toThrow('is not a regular file, which upm-auth never creates')
  })
})

describe('waits and reads that do not depend on the wall clock or the size of the file', () => {
  test('the deadline holds with the wall clock stepped back an hour while waiting', async () => {
    // A live holder of this host: this very process, with its own start.
    const own = await ownRecord()
    plantLock(JSON.stringify({ ...own, token: 'held-by-a-live-process' }))
    const realNow = Date.now.bind(Date)
    let calls = 0
    jest.spyOn(Date, 'now').mockImplementation(() => realNow() - (calls++ > 0 ? 3_600_000 : 0))
    const started = performance.now()
    try {
      await expect(withFileLock(file, () => undefined, { timeoutMs: 300 })).rejects.toThrow(/Waited 0 s for the lock/)
    } finally {
      jest.restoreAllMocks()
    }
    expect(performance.now() - started).toBeLessThan(3_000)
  })

  test('a huge lock file (700 MB, sparse) is read a few KiB at most', () => {
    fs.writeFileSync(lockPathOf(file), '')
    fs.truncateSync(lockPathOf(file), 700 * 1024 * 1024)
    const read = readLock(lockPathOf(file))
    expect(read.kind).toBe('incomplete')
    if (read.kind === 'incomplete') expect(read.content.raw.length).toBeLessThanOrEqual(4096)
  })
})
