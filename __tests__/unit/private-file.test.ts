import { jest } from '@jest/globals'
import fs from 'node:fs'
import path from 'node:path'
import { writeConfigFile } from '../../src/shared-file/config-file.js'
import { platformAcl, writePrivateFile } from '../../src/private-file.js'
import { writeRestoreRecord } from '../../src/shared-file/job-record.js'
import { AclError, PrivateFileWriteError } from '../../src/errors.js'
import { tempDirEach } from '../support/fixtures.js'

const scratch = tempDirEach('private-')
let dir: string
beforeEach(() => {
  dir = scratch.path
})
afterEach(() => {
  jest.restoreAllMocks()
})

test('creates the file 0600 with the text, and never through an existing file', () => {
  const file = path.join(dir, 'a.json')
  const mask = process.umask(0o022)
  try {
    writePrivateFile(file, '{"secret":1}')
  } finally {
    process.umask(mask)
  }
  expect(fs.readFileSync(file, 'utf8')).toBe('{"secret":1}')
  if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600)
  expect(() => {
    writePrivateFile(file, 'other')
  }).toThrow(/^EEXIST/)
  expect(fs.readFileSync(file, 'utf8')).toBe('{"secret":1}')
})

test('a write that fails after creating removes the file and says which step failed, with the fs cause', () => {
  const file = path.join(dir, 'b.json')
  jest.spyOn(fs, 'writeFileSync').mockImplementationOnce(() => {
    throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })
  })
  let thrown: unknown
  try {
    writePrivateFile(file, 'x')
  } catch (error) {
    thrown = error
  }
  expect(thrown).toBeInstanceOf(PrivateFileWriteError)
  expect((thrown as Error).cause).toMatchObject({ code: 'ENOSPC' })
  expect(fs.existsSync(file)).toBe(false)
})

describe('on Windows outside the profile (access rules faked: this machine has no icacls)', () => {
  test('the file gets its rules while it is still empty, before the secret is written', () => {
    const file = path.join(dir, 'c.json')
    jest.spyOn(platformAcl, 'needed').mockReturnValue(true)
    const sizes: number[] = []
    const protect = jest.spyOn(platformAcl, 'protect').mockImplementation(target => sizes.push(fs.statSync(target).size))
    writePrivateFile(file, 'token = "s3cret"')
    expect(protect.mock.calls).toEqual([[file, 'file']])
    expect(sizes).toEqual([0])
    expect(fs.readFileSync(file, 'utf8')).toBe('token = "s3cret"')
  })

  test('a file that holds no secret (the lock) gets none', () => {
    jest.spyOn(platformAcl, 'needed').mockReturnValue(true)
    const protect = jest.spyOn(platformAcl, 'protect').mockImplementation(() => undefined)
    writePrivateFile(path.join(dir, 'd.lock'), '{}', { secret: false })
    expect(protect).not.toHaveBeenCalled()
  })

  test('rules that cannot be set: the error names the file, the temporary file is gone, the config file is byte-identical', () => {
    const file = path.join(dir, '.upmconfig.toml')
    fs.writeFileSync(file, 'a = 1\r\n')
    jest.spyOn(platformAcl, 'needed').mockReturnValue(true)
    jest.spyOn(platformAcl, 'checkOwnersUpFrom').mockImplementation(() => undefined)
    jest.spyOn(platformAcl, 'protect').mockImplementation(target => {
      throw new AclError(`Cannot make ${target} private to this account: icacls failed (exit code 5).`)
    })
    expect(() => {
      writeConfigFile(file, 'token = "s3cret"\n')
    }).toThrow(
      new RegExp(`^Cannot make ${file.replace(/[.\\]/g, '\\$&')}\\.\\d+\\.[0-9a-f]{8}\\.tmp private to this account: icacls failed`)
    )
    expect(fs.readdirSync(dir)).toEqual(['.upmconfig.toml'])
    expect(fs.readFileSync(file, 'utf8')).toBe('a = 1\r\n')
  })

  test('folders the write creates get folder rules, top first; then every folder up to the root is checked', () => {
    const file = path.join(dir, 'Unity', 'config', '.upmconfig.toml')
    jest.spyOn(platformAcl, 'needed').mockReturnValue(true)
    const protect = jest.spyOn(platformAcl, 'protect').mockImplementation(() => undefined)
    const owners = jest.spyOn(platformAcl, 'checkOwnersUpFrom').mockImplementation(() => undefined)
    writeConfigFile(file, 'x = 1\n')
    const folders = protect.mock.calls.filter(([, kind]) => kind === 'folder').map(([target]) => target)
    expect(folders).toEqual([path.join(dir, 'Unity'), path.join(dir, 'Unity', 'config')])
    // The folders up from it are foldersUpFrom's (windows-acl.test.ts); the file's folder is where they start.
    expect(owners.mock.calls).toEqual([[path.join(dir, 'Unity', 'config')]])
  })

  test('a folder of another account: refused before anything is written', () => {
    const file = path.join(dir, 'Shared', '.upmconfig.toml')
    fs.mkdirSync(path.dirname(file))
    jest.spyOn(platformAcl, 'needed').mockReturnValue(true)
    const protect = jest.spyOn(platformAcl, 'protect').mockImplementation(() => undefined)
    jest.spyOn(platformAcl, 'checkOwnersUpFrom').mockImplementation(() => {
      throw new AclError(`The folder ${path.dirname(file)} is owned by CI-VM\\mallory (S-1-5-21-1-2-3-1002), not by this account`)
    })
    expect(() => {
      writeConfigFile(file, 'token = "s3cret"\n')
    }).toThrow(`The folder ${path.dirname(file)} is owned by CI-VM\\mallory`)
    expect(protect).not.toHaveBeenCalled()
    expect(fs.readdirSync(path.dirname(file))).toEqual([])
  })
})

test('a restore record whose rules cannot be set: an error naming it, and no record left', () => {
  jest.spyOn(platformAcl, 'needed').mockReturnValue(true)
  jest.spyOn(platformAcl, 'protect').mockImplementation(target => {
    throw new AclError(`Cannot make ${target} private to this account: icacls failed (exit code 5).`)
  })
  expect(() => writeRestoreRecord(dir, path.join(dir, '.upmconfig.toml'))).toThrow(
    /^Cannot make .*upm-auth-restore-[0-9a-f]{16}\.json private to this account: icacls failed \(exit code 5\)\. It is the cleanup record, under RUNNER_TEMP; `cleanup: false` writes none\.$/
  )
  expect(fs.readdirSync(dir)).toEqual([])
})
