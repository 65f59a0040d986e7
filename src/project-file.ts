/**
 * Reads a file of the Unity project (Packages/manifest.json, Packages/packages-lock.json) as
 * anyone who can push a branch may have made it: only a regular file (a FIFO would hang the
 * step, a device never ends), at most a given number of bytes, and, when it is named inside the
 * workspace, only if links keep it there.
 */
import fs from 'node:fs'
import path from 'node:path'
import { ProjectFileError } from './errors.js'

/** How much of a kind of file is read, and how to say what such a file usually holds. */
export interface ProjectFileLimit {
  bytes: number
  /** Completes "…; ": e.g. "a Unity manifest holds a few kilobytes". */
  typical: string
}

/** Where a project file named by an input is, and how to show it. */
export interface ProjectFilePath {
  /** Absolute. */
  file: string
  /** As shown to users and annotations: workspace-relative with `/`, else absolute. */
  shown: string
  /** Whether it is inside the workspace, so an annotation can point at it and links must stay there. */
  inWorkspace: boolean
}

/** Resolves a path given relative to the workspace. */
export function projectFilePath(input: string, workspace: string): ProjectFilePath {
  const file = path.resolve(workspace, input)
  const relative = path.relative(workspace, file)
  const inWorkspace = relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)
  return { file, shown: inWorkspace ? relative.split(path.sep).join('/') : file, inWorkspace }
}

/**
 * Reads a project file. Links inside the workspace are followed: a monorepo may link one
 * project's Packages folder into another, and that is still the branch's own content. A link out
 * of it (to the runner's .upmconfig.toml, /dev/zero, /proc) is refused. A path named outside the
 * workspace is the workflow's explicit choice and is read where it points, with the same file and
 * size checks.
 *
 * @throws ProjectFileError (its message completes "<file>, which …") when the file is not one
 *   this action will read; the fs error (ENOENT and the like) when it cannot be read at all.
 */
export function readProjectFile(where: Pick<ProjectFilePath, 'file' | 'inWorkspace'>, workspace: string, limit: ProjectFileLimit): string {
  const real = fs.realpathSync(where.file)
  if (where.inWorkspace) {
    const relative = path.relative(fs.realpathSync(workspace), real)
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
      throw new ProjectFileError('is a link that leads out of the workspace (only links within it are followed)')
    }
  }
  // O_NONBLOCK: opening a FIFO must not wait for a writer. O_NOFOLLOW: the resolved path must
  // not have become a link since. Neither exists on Windows (Node's types say otherwise), where 0 leaves them out.
  const { O_NONBLOCK = 0, O_NOFOLLOW = 0 } = fs.constants as Partial<Pick<typeof fs.constants, 'O_NONBLOCK' | 'O_NOFOLLOW'>>
  const flags = fs.constants.O_RDONLY | O_NONBLOCK | O_NOFOLLOW
  const fd = fs.openSync(real, flags)
  const most = `${limit.bytes / 1024 / 1024} MiB`
  try {
    const stat = fs.fstatSync(fd)
    if (stat.isDirectory()) throw new ProjectFileError('cannot be read: it is a folder')
    if (!stat.isFile()) throw new ProjectFileError('is not a regular file (a named pipe, socket or device)')
    if (stat.size > limit.bytes) {
      throw new ProjectFileError(`is ${(stat.size / 1e6).toFixed(1)} MB; ${limit.typical}, and at most ${most} is read`)
    }
    // Read to the limit, not to the size stat gave: a file can grow, and some report size 0.
    const buffer = Buffer.alloc(limit.bytes + 1)
    let length = 0
    for (let n; length < buffer.length && (n = fs.readSync(fd, buffer, length, buffer.length - length, null)) > 0;) length += n
    if (length > limit.bytes) throw new ProjectFileError(`grew past ${most} while it was read; ${limit.typical}`)
    return buffer.toString('utf8', 0, length)
  } finally {
    fs.closeSync(fd)
  }
}
