/**
 * The one way this action creates a file only its account may read: the config file's
 * temporary file, the ledger's, the lock and its guard, the restore record. Created
 * exclusively (`wx`, never through an existing file or link), mode 0600, and on Windows, outside
 * the account's profile, given private access rules before a byte is written (windows-acl.ts).
 *
 * The access-rule code is a chunk of its own, loaded by {@link loadPlatformAcl} on Windows only:
 * runners on Linux and macOS do not parse it.
 */
import fs from 'node:fs'
import path from 'node:path'
import * as core from '@actions/core'
import { retrySharingViolations } from './fs-errors.js'
import { AclError, PrivateFileWriteError } from './errors.js'
import type { RunCommand, WindowsAcl } from './windows-acl.js'

type WindowsAclModule = typeof import('./windows-acl.js')
let windowsAclModule: WindowsAclModule | undefined

/**
 * Loads the access-rule code on Windows (a no-op elsewhere). The main and post steps await it
 * before anything else, so the synchronous writers below can use it.
 */
export async function loadPlatformAcl(): Promise<void> {
  if (process.platform === 'win32') windowsAclModule ??= await import('./windows-acl.js')
}

function windowsAclCode(): WindowsAclModule {
  if (!windowsAclModule) throw new Error('Internal error: loadPlatformAcl() was not awaited before a private file was written.')
  return windowsAclModule
}

/**
 * libuv's UV_FS_O_EXLOCK: opened with share mode 0, no other process can open the file while
 * this step has it, so none can get a handle in the moment before its access rules are set.
 * Node does not name it on Windows.
 */
const UV_FS_O_EXLOCK = 0x10000000

/** Windows only, and loaded only there: no other runner pays for child_process. */
const runCommand: RunCommand = (program, args, env) => {
  const { execFileSync } = process.getBuiltinModule('node:child_process')
  return execFileSync(program, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
    env: env ? { ...process.env, ...env } : process.env
  })
}

let windowsAcl: WindowsAcl | undefined

/**
 * This process's access rules on Windows. An object (not bare functions) so that tests that
 * pretend to be on Windows can replace what it does.
 */
export const platformAcl = {
  /** Whether files and folders at `target` get explicit rules here. */
  needed(target: string): boolean {
    return process.platform === 'win32' && windowsAclCode().needsAcl(target, process.env)
  },
  protect(target: string, kind: 'file' | 'folder'): void {
    acl().protect(target, kind)
  },
  /** Checks the owner of `dir` and of every folder above it, up to the drive root. */
  checkOwnersUpFrom(dir: string): void {
    acl().checkOwners(windowsAclCode().foldersUpFrom(dir))
  },
  /** Checks the owner of one file (an AclError when it is not acceptable, or cannot be read). */
  checkOwner(target: string): void {
    acl().checkOwners([target])
  }
}

function acl(): WindowsAcl {
  const code = windowsAclCode()
  windowsAcl ??= new code.WindowsAcl(
    runCommand,
    process.env,
    () => fs.existsSync(code.systemTool(process.env, 'winecfg.exe')),
    message => {
      core.warning(message)
    }
  )
  return windowsAcl
}

export interface PrivateFileOptions {
  /** Flush to disk before closing. */
  durable?: boolean
  /** False for a file that holds no secret (the lock): mode 0600, but no access rules to pay for. */
  secret?: boolean
  /** Retry Windows sharing violations on open (false: the caller tells them apart itself). */
  retryOpen?: boolean
}

/**
 * Creates `file` (it must not exist), writes `text`, closes it. An error from creating it is
 * thrown as it is (EEXIST and the like, for the caller to tell apart); anything after that
 * removes the file and throws a {@link PrivateFileWriteError}, or the AclError naming the file.
 */
export function writePrivateFile(
  file: string,
  text: string,
  { durable = false, secret = true, retryOpen = true }: PrivateFileOptions = {}
): void {
  const withAcl = secret && platformAcl.needed(file)
  const flags = withAcl ? fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | UV_FS_O_EXLOCK : 'wx'
  const open = (): number => fs.openSync(file, flags, 0o600)
  const fd = retryOpen ? retrySharingViolations(open) : open()
  try {
    try {
      if (withAcl) platformAcl.protect(file, 'file')
      if (text !== '') fs.writeFileSync(fd, text, 'utf8')
      if (durable) fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
    // The mode given to open is reduced by the umask; set it explicitly.
    fs.chmodSync(file, 0o600)
  } catch (error) {
    try {
      retrySharingViolations(() => {
        fs.unlinkSync(file)
      })
    } catch {
      // Left for the next run's cleanup of leftovers.
    }
    if (error instanceof AclError) throw error
    throw new PrivateFileWriteError(`cannot write ${path.basename(file)}`, { cause: error })
  }
}
