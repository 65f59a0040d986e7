/**
 * Windows access rules for the files and folders that hold credentials. Mode 0600 means nothing
 * on Windows: a file inherits its folder's rules, and under %ALLUSERSPROFILE% (or a runner's
 * work folder) those let every local user read it; a local user may also create
 * `ProgramData\Unity` before the action does and, as its owner, rewrite its rules at any time.
 *
 * So, on Windows, outside the account's own profile folder: the folders the action creates get
 * rules that give full control to this account, SYSTEM and Administrators only, inherited by
 * what is created in them and nothing inherited from above; every existing folder on the way
 * must be owned by one of those accounts (or TrustedInstaller); and every private file gets the
 * same three rules before a byte is written into it. Inside %USERPROFILE% nothing is done: the
 * profile folder already gives access to exactly those three, and its children inherit that.
 *
 * The decisions and the commands are pure; running a command is injected (`RunCommand`), so
 * tests check the exact argv and what is made of sample outputs. Accounts are always named by
 * SID, never by name: names of built-in accounts are translated on non-English Windows.
 */
import path from 'node:path'
import { AclError } from './errors.js'

/** NT AUTHORITY\SYSTEM. */
export const SYSTEM_SID = 'S-1-5-18'
/** BUILTIN\Administrators. */
export const ADMINISTRATORS_SID = 'S-1-5-32-544'
/** NT SERVICE\TrustedInstaller: owns folders Windows itself installs; no local user can act as it. */
export const TRUSTED_INSTALLER_SID = 'S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464'

/** Runs a program (never a shell) and returns its standard output; throws when it fails. */
export type RunCommand = (program: string, args: readonly string[], env?: Record<string, string>) => string

export type AclEnv = Record<string, string | undefined>

/** A tool of Windows itself, by full path: a bare name would be looked up in the working folder (the checkout) first. */
export function systemTool(env: AclEnv, ...parts: string[]): string {
  return path.win32.join(env.SystemRoot ?? env.windir ?? 'C:\\Windows', 'System32', ...parts)
}

/** Whether `target` is `folder` or inside it (Windows paths: case-insensitive). */
export function isInside(folder: string, target: string): boolean {
  const relative = path.win32.relative(path.win32.resolve(folder), path.win32.resolve(target))
  return relative === '' || (!relative.startsWith('..') && !path.win32.isAbsolute(relative))
}

/**
 * Whether a file or folder at `target` needs explicit rules: not when it is in the account's
 * profile folder, which is already private to it (and the plain `location: home` run then
 * spawns nothing for them).
 */
export function needsAcl(target: string, env: AclEnv): boolean {
  const profile = env.USERPROFILE
  return !(profile && path.win32.isAbsolute(profile) && isInside(profile, target))
}

/** The accounts given full control: SYSTEM, Administrators and this account (once). */
export function grantedSids(userSid: string): string[] {
  return [...new Set([SYSTEM_SID, ADMINISTRATORS_SID, userSid])]
}

/**
 * icacls argv that removes inherited rules and replaces all rules by full control for the
 * three accounts. A folder's rules are inherited by the files and folders created in it, so a
 * file the action creates there is private from the moment it exists.
 */
export function icaclsArgs(target: string, userSid: string, kind: 'file' | 'folder'): string[] {
  const rights = kind === 'folder' ? '(OI)(CI)F' : 'F'
  return [target, '/inheritance:r', '/grant:r', ...grantedSids(userSid).map(sid => `*${sid}:${rights}`), '/q']
}

/** argv of whoami that prints this account's SID: `"domain\name","S-1-..."`. */
export const WHOAMI_ARGS = ['/user', '/fo', 'csv', '/nh'] as const

/** This account's SID from `whoami /user /fo csv /nh`, or undefined when it prints none. */
export function parseWhoamiSid(stdout: string): string | undefined {
  return /"(S-1-\d+(?:-\d+)+)"\s*$/m.exec(stdout)?.[1]
}

/** The environment variable that hands the folders to {@link OWNER_SCRIPT} (no quoting of paths in a script). */
export const FOLDERS_VARIABLE = 'UPM_AUTH_ACL_FOLDERS'

/**
 * Windows PowerShell script that prints this account's SID, then for each folder of
 * `UPM_AUTH_ACL_FOLDERS` (one a line) its owner's SID and name, tab-separated. icacls cannot
 * show an owner, and Node's stat has no owner on Windows.
 */
export const OWNER_SCRIPT = [
  "$ErrorActionPreference = 'Stop'",
  '[Console]::OutputEncoding = [Text.Encoding]::UTF8',
  '[Security.Principal.WindowsIdentity]::GetCurrent().User.Value',
  `foreach ($p in ($env:${FOLDERS_VARIABLE} -split "\`n")) {`,
  "  $sid = (Get-Item -LiteralPath $p -Force).GetAccessControl('Owner').GetOwner([Security.Principal.SecurityIdentifier]).Value",
  "  $name = try { ([Security.Principal.SecurityIdentifier]$sid).Translate([Security.Principal.NTAccount]).Value } catch { '' }",
  '  "$sid`t$name"',
  '}'
].join('\n')

/** powershell.exe argv for {@link OWNER_SCRIPT}. */
export const OWNER_ARGS = ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command', OWNER_SCRIPT] as const

export interface FolderOwner {
  folder: string
  sid: string
  /** Empty when the SID has no name (a deleted account). */
  name: string
}

/** The output of {@link OWNER_SCRIPT}; undefined when it is not one line per folder after the SID. */
export function parseOwners(stdout: string, folders: readonly string[]): { userSid: string; owners: FolderOwner[] } | undefined {
  const lines = stdout.split(/\r?\n/).filter(line => line.trim() !== '')
  const userSid = lines[0]?.trim()
  if (!userSid || !isSid(userSid) || lines.length !== folders.length + 1) return undefined
  const owners: FolderOwner[] = []
  for (const [i, folder] of folders.entries()) {
    const [sid = '', name = ''] = lines[i + 1].split('\t')
    if (!isSid(sid.trim())) return undefined
    owners.push({ folder, sid: sid.trim(), name: name.trim() })
  }
  return { userSid, owners }
}

function isSid(text: string): boolean {
  return /^S-1-\d+(?:-\d+)+$/.test(text)
}

/** Owners a folder holding credentials may have: none of them is a local user who could open it to others. */
export function acceptableOwners(userSid: string): string[] {
  return [userSid, SYSTEM_SID, ADMINISTRATORS_SID, TRUSTED_INSTALLER_SID]
}

/** Why a folder's owner is not acceptable, in words naming the folder and what to do; undefined when it is. */
export function ownerProblem(owner: FolderOwner, userSid: string): string | undefined {
  if (acceptableOwners(userSid).includes(owner.sid)) return undefined
  const who = owner.name ? `${owner.name} (${owner.sid})` : owner.sid
  return (
    `The folder ${owner.folder} is owned by ${who}, not by this account (${userSid}), SYSTEM or Administrators: ` +
    'its owner can change who may read the credentials in it at any time, so upm-auth writes nothing there. ' +
    `If that account is not meant to have it, have an administrator delete the folder or take it over ` +
    `(takeown /F "${owner.folder}" /A /R), then run again; or set \`config-file\` to a file under this account's profile.`
  )
}

/** The existing folders from `dir` up to, not including, its drive root (the drive root belongs to Windows). */
export function foldersUpFrom(dir: string): string[] {
  const folders: string[] = []
  for (let current = path.win32.resolve(dir); path.win32.dirname(current) !== current; current = path.win32.dirname(current)) {
    folders.push(current)
  }
  return folders
}

/**
 * The running side, over an injected {@link RunCommand}. `isWine` is asked only after a tool
 * printed nothing usable: Wine's whoami, icacls and powershell are stubs that succeed and do
 * nothing, so there the rules are skipped with one warning instead of failing every write.
 */
export class WindowsAcl {
  private userSid: string | undefined
  private skipped = false

  constructor(
    private readonly run: RunCommand,
    private readonly env: AclEnv,
    private readonly isWine: () => boolean,
    private readonly warn: (message: string) => void
  ) {}

  /** Gives the file or folder its private rules; errors name `target`. */
  protect(target: string, kind: 'file' | 'folder'): void {
    const sid = this.currentUser(target)
    if (sid === undefined) return
    this.icacls(target, icaclsArgs(target, sid, kind))
  }

  /** Throws an AclError naming the first folder whose owner is not acceptable. */
  checkOwners(folders: readonly string[]): void {
    if (folders.length === 0 || this.skipped) return
    let stdout: string
    try {
      stdout = this.run(systemTool(this.env, 'WindowsPowerShell', 'v1.0', 'powershell.exe'), OWNER_ARGS, {
        [FOLDERS_VARIABLE]: folders.join('\n')
      })
    } catch (error) {
      throw new AclError(`Cannot read who owns ${folders.join(', ')}: Windows PowerShell failed (${failure(error)}).`)
    }
    const parsed = parseOwners(stdout, folders)
    if (!parsed) {
      if (this.skipOnWine(folders[0])) return
      throw new AclError(`Cannot read who owns ${folders.join(', ')}: Windows PowerShell printed no owner for each.`)
    }
    this.userSid ??= parsed.userSid
    for (const owner of parsed.owners) {
      const problem = ownerProblem(owner, parsed.userSid)
      if (problem) throw new AclError(problem)
    }
  }

  private currentUser(target: string): string | undefined {
    if (this.skipped) return undefined
    if (this.userSid !== undefined) return this.userSid
    let stdout: string
    try {
      stdout = this.run(systemTool(this.env, 'whoami.exe'), WHOAMI_ARGS)
    } catch (error) {
      throw new AclError(`Cannot make ${target} private to this account: whoami failed (${failure(error)}).`)
    }
    const sid = parseWhoamiSid(stdout)
    if (sid === undefined) {
      if (this.skipOnWine(target)) return undefined
      throw new AclError(`Cannot make ${target} private to this account: whoami printed no SID for it.`)
    }
    this.userSid = sid
    return sid
  }

  private icacls(target: string, args: string[]): void {
    try {
      this.run(systemTool(this.env, 'icacls.exe'), args)
    } catch (error) {
      throw new AclError(
        `Cannot make ${target} private to this account: icacls failed (${failure(error)}). Check that the runner account ` +
          "may change permissions there (it owns the folder, or is an administrator), or set `config-file` to a file under the account's profile."
      )
    }
  }

  private skipOnWine(target: string): boolean {
    if (!this.isWine()) return false
    this.skipped = true
    this.warn(
      `Wine: its whoami, icacls and PowerShell are stubs, so no access rules were set on ${target} or the files after it ` +
        '(on Windows this is an error).'
    )
    return true
  }
}

/** The first line a failed tool gave, or its exit code: enough to act on, and never a file's content. */
function failure(error: unknown): string {
  const { status, stderr, stdout, message } = error as { status?: unknown; stderr?: unknown; stdout?: unknown; message?: string }
  const asText = (out: unknown): string => (typeof out === 'string' ? out : Buffer.isBuffer(out) ? out.toString('utf8') : '').trim()
  const text = [stderr, stdout].map(asText).find(out => out !== '')
  if (text) return text.split(/\r?\n/)[0]
  return typeof status === 'number' ? `exit code ${String(status)}` : (message ?? String(error))
}
