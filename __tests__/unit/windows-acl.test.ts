import { AclError } from '../../src/errors.js'
import {
  ADMINISTRATORS_SID,
  FOLDERS_VARIABLE,
  OWNER_ARGS,
  SYSTEM_SID,
  TRUSTED_INSTALLER_SID,
  WindowsAcl,
  foldersUpFrom,
  icaclsArgs,
  needsAcl,
  ownerProblem,
  parseOwners,
  parseWhoamiSid,
  systemTool
} from '../../src/windows-acl.js'
import type { RunCommand } from '../../src/windows-acl.js'

const USER = 'S-1-5-21-1004336348-1177238915-682003330-1001'
const env = { SystemRoot: 'C:\\Windows', USERPROFILE: 'C:\\Users\\runneradmin' }
const SERVICE_DIR = 'C:\\ProgramData\\Unity\\config\\ServiceAccounts'

describe('which paths get access rules', () => {
  test.each([
    ['C:\\Users\\runneradmin\\.upmconfig.toml', false],
    ['c:\\users\\RUNNERADMIN\\.upmconfig.toml', false],
    ['C:\\Users\\runneradmin', false],
    ['C:\\Users\\runneradmin2\\.upmconfig.toml', true],
    ['C:\\Users\\.upmconfig.toml', true],
    [`${SERVICE_DIR}\\.upmconfig.toml`, true],
    ['D:\\a\\_temp\\upm-auth-restore-0123.json', true]
  ])('%s: %s', (target, expected) => {
    expect(needsAcl(target, env)).toBe(expected)
  })

  test('every path does when USERPROFILE is unset or relative', () => {
    expect(needsAcl('C:\\Users\\runneradmin\\.upmconfig.toml', {})).toBe(true)
    expect(needsAcl('C:\\Users\\runneradmin\\.upmconfig.toml', { USERPROFILE: 'runneradmin' })).toBe(true)
  })

  test('tools are run by full path under SystemRoot, never looked up in the checkout', () => {
    expect(systemTool(env, 'icacls.exe')).toBe('C:\\Windows\\System32\\icacls.exe')
    expect(systemTool({ windir: 'D:\\Win' }, 'whoami.exe')).toBe('D:\\Win\\System32\\whoami.exe')
    expect(systemTool({}, 'icacls.exe')).toBe('C:\\Windows\\System32\\icacls.exe')
  })
})

describe('the icacls command', () => {
  test('a file: inheritance removed, full control for SYSTEM, Administrators and the account, by SID', () => {
    expect(icaclsArgs('C:\\ProgramData\\x.tmp', USER, 'file')).toEqual([
      'C:\\ProgramData\\x.tmp',
      '/inheritance:r',
      '/grant:r',
      `*${SYSTEM_SID}:F`,
      `*${ADMINISTRATORS_SID}:F`,
      `*${USER}:F`,
      '/q'
    ])
  })

  test('a folder: the same rules, inherited by what is created in it', () => {
    expect(icaclsArgs(SERVICE_DIR, USER, 'folder')).toEqual([
      SERVICE_DIR,
      '/inheritance:r',
      '/grant:r',
      `*${SYSTEM_SID}:(OI)(CI)F`,
      `*${ADMINISTRATORS_SID}:(OI)(CI)F`,
      `*${USER}:(OI)(CI)F`,
      '/q'
    ])
  })

  test('a step running as SYSTEM grants SYSTEM once', () => {
    expect(icaclsArgs('C:\\x', SYSTEM_SID, 'file')).toEqual(['C:\\x', '/inheritance:r', '/grant:r', '*S-1-5-18:F', '*S-1-5-32-544:F', '/q'])
  })
})

describe('reading tool output', () => {
  test('whoami /user /fo csv /nh', () => {
    expect(parseWhoamiSid(`"ci-vm\\runneradmin","${USER}"\r\n`)).toBe(USER)
    expect(parseWhoamiSid('"nt authority\\system","S-1-5-18"\r\n')).toBe(SYSTEM_SID)
    // Wine's whoami ignores the switches.
    expect(parseWhoamiSid('VM\\root\n')).toBeUndefined()
    expect(parseWhoamiSid('')).toBeUndefined()
  })

  test('the owner script: the account, then one owner a folder', () => {
    const folders = ['C:\\ProgramData\\Unity', 'C:\\ProgramData']
    expect(parseOwners(`${USER}\r\n${USER}\tCI-VM\\runneradmin\r\nS-1-5-18\tNT AUTHORITY\\SYSTEM\r\n`, folders)).toEqual({
      userSid: USER,
      owners: [
        { folder: 'C:\\ProgramData\\Unity', sid: USER, name: 'CI-VM\\runneradmin' },
        { folder: 'C:\\ProgramData', sid: SYSTEM_SID, name: 'NT AUTHORITY\\SYSTEM' }
      ]
    })
    expect(parseOwners(`${USER}\r\nS-1-5-21-1-2-3-4444\t\r\nS-1-5-18\tNT AUTHORITY\\SYSTEM\r\n`, folders)?.owners[0].name).toBe('')
  })

  test.each([
    ['nothing (Wine)', ''],
    ['a line short', `${USER}\r\nS-1-5-18\tNT AUTHORITY\\SYSTEM\r\n`],
    ['no SID', `${USER}\r\nsomething\tx\r\nS-1-5-18\ty\r\n`]
  ])('owner script output that is not one: %s', (_name, stdout) => {
    expect(parseOwners(stdout, ['C:\\a', 'C:\\b'])).toBeUndefined()
  })

  test('the folders up to the drive root', () => {
    expect(foldersUpFrom(SERVICE_DIR)).toEqual([SERVICE_DIR, 'C:\\ProgramData\\Unity\\config', 'C:\\ProgramData\\Unity', 'C:\\ProgramData'])
    expect(foldersUpFrom('C:\\')).toEqual([])
  })
})

describe('acceptable owners', () => {
  test.each([USER, SYSTEM_SID, ADMINISTRATORS_SID, TRUSTED_INSTALLER_SID])('%s', sid => {
    expect(ownerProblem({ folder: 'C:\\ProgramData\\Unity', sid, name: '' }, USER)).toBeUndefined()
  })

  test('another local user: refused, naming the folder, the owner and what to do', () => {
    const problem = ownerProblem({ folder: 'C:\\ProgramData\\Unity', sid: 'S-1-5-21-1-2-3-1002', name: 'CI-VM\\mallory' }, USER)
    expect(problem).toBe(
      `The folder C:\\ProgramData\\Unity is owned by CI-VM\\mallory (S-1-5-21-1-2-3-1002), not by this account (${USER}), SYSTEM or ` +
        'Administrators: its owner can change who may read the credentials in it at any time, so upm-auth writes nothing there. ' +
        'If that account is not meant to have it, have an administrator delete the folder or take it over ' +
        '(takeown /F "C:\\ProgramData\\Unity" /A /R), then run again; or set `config-file` to a file under this account\'s profile.'
    )
  })

  test('Users (S-1-5-32-545) and Everyone (S-1-1-0) are refused too', () => {
    for (const sid of ['S-1-5-32-545', 'S-1-1-0']) expect(ownerProblem({ folder: 'C:\\x', sid, name: '' }, USER)).toContain(sid)
  })
})

describe('WindowsAcl runs the tools with the exact argv', () => {
  function fake(answers: Partial<Record<string, string | Error>>): {
    run: RunCommand
    calls: [string, readonly string[], Record<string, string> | undefined][]
  } {
    const calls: [string, readonly string[], Record<string, string> | undefined][] = []
    const run: RunCommand = (program, args, extra) => {
      calls.push([program, args, extra])
      const answer = answers[program.slice(program.lastIndexOf('\\') + 1)]
      if (answer instanceof Error) throw answer
      return answer ?? ''
    }
    return { run, calls }
  }
  const warnings: string[] = []
  beforeEach(() => (warnings.length = 0))
  const make = (run: RunCommand, wine = false): WindowsAcl =>
    new WindowsAcl(
      run,
      env,
      () => wine,
      m => warnings.push(m)
    )

  test('a file: whoami once for the account, then icacls per file', () => {
    const { run, calls } = fake({ 'whoami.exe': `"ci-vm\\runneradmin","${USER}"\r\n` })
    const acl = make(run)
    acl.protect('D:\\a\\_temp\\r.json', 'file')
    acl.protect('D:\\a\\_temp\\s.json', 'file')
    expect(calls).toEqual([
      ['C:\\Windows\\System32\\whoami.exe', ['/user', '/fo', 'csv', '/nh'], undefined],
      ['C:\\Windows\\System32\\icacls.exe', icaclsArgs('D:\\a\\_temp\\r.json', USER, 'file'), undefined],
      ['C:\\Windows\\System32\\icacls.exe', icaclsArgs('D:\\a\\_temp\\s.json', USER, 'file'), undefined]
    ])
  })

  test('owners: one PowerShell run, the folders in a variable (no quoting of paths in the script)', () => {
    const { run, calls } = fake({
      'powershell.exe': `${USER}\r\nS-1-5-32-544\tBUILTIN\\Administrators\r\nS-1-5-18\tNT AUTHORITY\\SYSTEM\r\n`
    })
    const acl = make(run)
    acl.checkOwners(['C:\\ProgramData\\Unity', 'C:\\ProgramData'])
    expect(calls).toEqual([
      [
        'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
        OWNER_ARGS,
        { [FOLDERS_VARIABLE]: 'C:\\ProgramData\\Unity\nC:\\ProgramData' }
      ]
    ])
    // The account's SID came with it: no whoami after.
    acl.protect(SERVICE_DIR, 'folder')
    expect(calls[1]).toEqual(['C:\\Windows\\System32\\icacls.exe', icaclsArgs(SERVICE_DIR, USER, 'folder'), undefined])
  })

  test('a folder of another user is refused', () => {
    const { run } = fake({ 'powershell.exe': `${USER}\r\nS-1-5-21-1-2-3-1002\tCI-VM\\mallory\r\nS-1-5-18\tNT AUTHORITY\\SYSTEM\r\n` })
    expect(() => {
      make(run).checkOwners(['C:\\ProgramData\\Unity', 'C:\\ProgramData'])
    }).toThrow(/^The folder C:\\ProgramData\\Unity is owned by CI-VM\\mallory \(S-1-5-21-1-2-3-1002\)/)
  })

  test('icacls failing on Windows is an error naming the file and what to do', () => {
    const failed = Object.assign(new Error('Command failed'), {
      status: 5,
      stderr: 'C:\\ProgramData\\x.tmp: Access is denied.\r\nSuccessfully processed 0 files; Failed processing 1 files\r\n'
    })
    const { run } = fake({ 'whoami.exe': `"a","${USER}"`, 'icacls.exe': failed })
    const call = (): void => {
      make(run).protect('C:\\ProgramData\\x.tmp', 'file')
    }
    expect(call).toThrow(AclError)
    expect(call).toThrow(
      'Cannot make C:\\ProgramData\\x.tmp private to this account: icacls failed (C:\\ProgramData\\x.tmp: Access is denied.). ' +
        'Check that the runner account may change permissions there'
    )
  })

  test('a tool that cannot start is an error naming the file', () => {
    const { run } = fake({ 'whoami.exe': Object.assign(new Error('spawnSync whoami.exe ENOENT'), { code: 'ENOENT' }) })
    expect(() => {
      make(run).protect('C:\\x.tmp', 'file')
    }).toThrow('Cannot make C:\\x.tmp private to this account: whoami failed (spawnSync whoami.exe ENOENT).')
  })

  test('whoami with no SID on Windows is an error', () => {
    const { run } = fake({ 'whoami.exe': 'VM\\root\n' })
    expect(() => {
      make(run).protect('C:\\x.tmp', 'file')
    }).toThrow('Cannot make C:\\x.tmp private to this account: whoami printed no SID for it.')
    expect(warnings).toEqual([])
  })

  test('under Wine (stub tools that print nothing) the rules are skipped with one warning, and nothing more is run', () => {
    const { run, calls } = fake({ 'whoami.exe': 'VM\\root\n' })
    const acl = make(run, true)
    acl.protect('Z:\\job\\temp\\r.json', 'file')
    acl.protect('Z:\\job\\temp\\s.json', 'file')
    acl.checkOwners(['C:\\ProgramData'])
    expect(calls.map(c => c[0])).toEqual(['C:\\Windows\\System32\\whoami.exe'])
    expect(warnings).toEqual([
      'Wine: its whoami, icacls and PowerShell are stubs, so no access rules were set on Z:\\job\\temp\\r.json or the files after it (on Windows this is an error).'
    ])
  })

  test('PowerShell printing nothing on Windows is an error naming the folders', () => {
    const { run } = fake({ 'powershell.exe': '' })
    expect(() => {
      make(run).checkOwners(['C:\\ProgramData\\Unity', 'C:\\ProgramData'])
    }).toThrow('Cannot read who owns C:\\ProgramData\\Unity, C:\\ProgramData: Windows PowerShell printed no owner for each.')
  })
})
