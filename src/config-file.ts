/**
 * The file system side of the user config file: reading it safely and replacing it atomically.
 */
import fs from 'node:fs'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { ConfigFileError } from './toml-merge.js'

export interface ConfigFileContent {
  exists: boolean
  /** The text without a UTF-8 byte order mark. */
  text: string
  /** The file started with a UTF-8 byte order mark (it is written back without one). */
  hadBom: boolean
  /** The file's bytes as read, for telling whether anything changed. */
  bytes: Buffer
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf])

/**
 * Reads the config file. A missing file reads as empty; anything that is not a regular
 * UTF-8 file is an error that names the file and says what to do.
 */
export function readConfigFile(file: string): ConfigFileContent {
  let stat: fs.Stats
  try {
    stat = fs.lstatSync(file)
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { exists: false, text: '', hadBom: false, bytes: Buffer.alloc(0) }
    throw new ConfigFileError(`Cannot read ${file}: ${describeFsError(error)}.`)
  }
  if (stat.isSymbolicLink()) {
    throw new ConfigFileError(
      `${file} is a symbolic link. To keep credentials from being written through a link to somewhere unexpected, ` +
        'upm-auth writes only regular files: set `config-file` to the real file, or replace the link with a file.'
    )
  }
  if (stat.isDirectory()) {
    throw new ConfigFileError(`${file} is a folder, not a file. Remove or rename it, or set \`config-file\` to a file path.`)
  }
  if (!stat.isFile()) throw new ConfigFileError(`${file} is not a regular file. Set \`config-file\` to a regular file path.`)

  let bytes: Buffer
  try {
    bytes = fs.readFileSync(file)
  } catch (error) {
    throw new ConfigFileError(`Cannot read ${file}: ${describeFsError(error)}.`)
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new ConfigFileError(
      `${file} is encoded as UTF-16 (as PowerShell's Out-File and > write it); Unity and TOML need UTF-8. ` +
        'Re-save it as UTF-8 (for example Set-Content -Encoding utf8NoBOM) or delete it, then run again.'
    )
  }
  const hadBom = bytes.subarray(0, 3).equals(UTF8_BOM)
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(hadBom ? bytes.subarray(3) : bytes)
  } catch {
    throw new ConfigFileError(`${file} is not valid UTF-8 text. Re-save it as UTF-8 or delete it, then run again.`)
  }
  return { exists: true, text, hadBom, bytes }
}

/**
 * Replaces the file's content atomically: the text goes to a temporary file in the same
 * folder (mode 0600 from the start, so the secret is never readable by others), is flushed
 * to disk, then renamed over the file. A reader sees the old file or the new one, never a
 * half-written one. Parent folders are created as needed.
 */
export function writeConfigFile(file: string, text: string): void {
  const dir = path.dirname(file)
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
  } catch (error) {
    throw new ConfigFileError(`Cannot create the folder ${dir}: ${describeFsError(error)}.`)
  }
  const temp = path.join(dir, `${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  try {
    const fd = fs.openSync(temp, 'wx', 0o600)
    try {
      fs.writeFileSync(fd, text, 'utf8')
      fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
    // The mode given to open is reduced by the umask; set it explicitly.
    fs.chmodSync(temp, 0o600)
    fs.renameSync(temp, file)
  } catch (error) {
    fs.rmSync(temp, { force: true })
    throw new ConfigFileError(`Cannot write ${file}: ${describeFsError(error)}.`)
  }
}

export function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code
}

/** An fs error in words a user can act on. */
export function describeFsError(error: unknown): string {
  switch (errorCode(error)) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied (check that the runner account may write there)'
    case 'EROFS':
      return 'the file system is read-only'
    case 'ENOSPC':
      return 'the disk is full'
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder'
    case 'EISDIR':
      return 'it is a folder'
    default:
      return (error as Error)?.message ?? String(error)
  }
}
