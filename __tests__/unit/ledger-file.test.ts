/**
 * The ledger's file (src/shared-file/ledger-file.ts): what is refused before any of it is trusted.
 * The bundled action's side of this is in __tests__/integration/shared-home-trust.test.ts.
 */
import fs from 'node:fs'
import path from 'node:path'
import { jest } from '@jest/globals'
import { readLedger } from '../../src/shared-file/ledger-file.js'
import { platformAcl } from '../../src/private-file.js'
import { AclError } from '../../src/errors.js'
import { tempDirEach } from '../support/fixtures.js'

const scratch = tempDirEach('ledger-file-')
const EMPTY = JSON.stringify({ version: 2, createdFile: false, items: [] })

afterEach(() => {
  jest.restoreAllMocks()
})

test('a ledger of this version with nothing in it reads as written', () => {
  const file = path.join(scratch.path, '.upmconfig.toml.ledger')
  fs.writeFileSync(file, EMPTY, { mode: 0o600 })
  expect(readLedger(file)?.ledger).toEqual(JSON.parse(EMPTY))
})

test('on Windows outside the profile, a ledger whose owner is not acceptable is refused, saying what to do', () => {
  const file = path.join(scratch.path, '.upmconfig.toml.ledger')
  fs.writeFileSync(file, EMPTY, { mode: 0o600 })
  jest.spyOn(platformAcl, 'needed').mockReturnValue(true)
  const checkOwner = jest.spyOn(platformAcl, 'checkOwner').mockImplementation(() => {
    throw new AclError('The folder is owned by EVIL\\mallory')
  })
  expect(() => readLedger(file)).toThrow(
    `${file} is not this account's own: Windows names as its owner another account than this one, SYSTEM or Administrators (or names none).`
  )
  expect(checkOwner).toHaveBeenCalledWith(file)
})

test('a ledger of the earlier version (1) is refused with the delete-it advice, quoting nothing of it', () => {
  const file = path.join(scratch.path, '.upmconfig.toml.ledger')
  fs.writeFileSync(file, JSON.stringify({ version: 1, createdFile: false, items: [{ secret: 'SECRET-CANARY' }] }), { mode: 0o600 })
  expect(() => readLedger(file)).toThrow(/is not a list of jobs this version of upm-auth wrote\. .*delete it, then run again/)
  expect(() => readLedger(file)).not.toThrow(/SECRET-CANARY/)
})
