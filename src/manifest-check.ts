/**
 * The manifest check's file side: reads the project's Packages/manifest.json, and says what
 * the final config file holds for its scoped registries, as annotations on the manifest.
 */
import fs from 'node:fs'
import path from 'node:path'
import * as core from '@actions/core'
import type { AnnotationProperties } from '@actions/core'
import { ProjectFileError } from './errors.js'
import { describeFsError, errorCode } from './fs-errors.js'
import { compareWithConfig, describeFinding, parseManifest } from './manifest.js'
import type { ManifestCheck, ManifestFinding, ProjectManifest } from './manifest.js'
import type { Message } from './messages.js'
import { projectFilePath, readProjectFile } from './project-file.js'
import type { ProjectFileLimit } from './project-file.js'
import { refusePathWithControlCharacters } from './log-safe.js'

/** The `manifest` input's default: the manifest of a Unity project at the repository root. */
export const DEFAULT_MANIFEST = 'Packages/manifest.json'

export interface LoadedManifest extends ProjectManifest {
  /** The path as shown to users and annotations: workspace-relative with `/`, else absolute. */
  shown: string
  /** Whether `shown` is inside the workspace, so an annotation can point at the file. */
  inWorkspace: boolean
}

/**
 * Reads and parses the manifest named by the `manifest` input, relative to the workspace.
 *
 * @returns undefined when the check is off, the input is empty, or the default manifest does
 *   not exist (a repository whose Unity project is elsewhere, or that is no Unity project).
 */
export function loadManifest(input: string, check: ManifestCheck, workspace: string): LoadedManifest | undefined {
  refusePathWithControlCharacters(
    input,
    'Input `manifest`',
    "Set it to the Unity project's Packages/manifest.json, or to '' to skip the manifest check."
  )
  if (check === 'off' || input === '') return undefined
  const where = projectFilePath(input, workspace)
  const { file, shown, inWorkspace } = where
  let text: string
  try {
    text = readProjectFile(where, workspace, MANIFEST_LIMIT)
  } catch (error) {
    if (error instanceof ProjectFileError) {
      throw new Error(
        `Input \`manifest\` names ${shown}, which ${error.message}. Set it to the Unity project's Packages/manifest.json, or to '' to skip the manifest check.`,
        { cause: error }
      )
    }
    if (errorCode(error) === 'ENOENT' && input === DEFAULT_MANIFEST) {
      const found = findManifests(workspace)
      const skipped = `No ${DEFAULT_MANIFEST} at the root of the workspace, so the manifest check was skipped.`
      if (found.length === 0) {
        // Debug, not a notice: the repository has no Unity project near its root, so there is nothing to point at.
        core.debug(
          `${skipped} None within ${MANIFEST_SEARCH_DEPTH} folders below it either; for a project deeper down, set \`manifest\` to its Packages/manifest.json.`
        )
      } else if (found.length === 1) {
        core.notice(`${skipped} Found ${found[0]}: set \`manifest: ${found[0]}\` to check it (or \`manifest: ''\` for no check).`)
      } else {
        const listed = found.length > 5 ? `${found.slice(0, 5).join(', ')} and ${found.length - 5} more` : found.join(', ')
        core.notice(`${skipped} Found ${found.length}: ${listed}. Set \`manifest\` to the one of the project Unity opens.`)
      }
      return undefined
    }
    const why = errorCode(error) === 'ENOENT' ? 'it does not exist' : describeFsError(error)
    throw new Error(
      `Input \`manifest\` names ${file}, which cannot be read: ${why}. Set it to the Unity project's Packages/manifest.json, ` +
        "or to '' to skip the manifest check.",
      { cause: error }
    )
  }
  return { shown, inWorkspace, ...parseManifest(text, shown) }
}

/** How many folders below the workspace a Unity project is looked for when the default manifest is missing. */
export const MANIFEST_SEARCH_DEPTH = 3

/** Folders the search reads at most: it runs on every plain run of a repository without a root manifest. */
export const MANIFEST_SEARCH_FOLDERS = 128

/** Folders no Unity project lives in: hidden ones, npm's, and Unity's own generated ones. */
const NOT_A_PROJECT = /^(\.|node_modules$|Library$|Temp$|Logs$|obj$|Packages$|Assets$)/

/**
 * The `Packages/manifest.json` of Unity projects within MANIFEST_SEARCH_DEPTH folders below the
 * workspace (not its root), as workspace-relative paths with `/`, in name order, level by level.
 * Links are not followed, a project's own folders are not searched, and at most
 * MANIFEST_SEARCH_FOLDERS folders are read, so the cost is bounded in any repository.
 */
export function findManifests(workspace: string): string[] {
  const found: string[] = []
  let level = [workspace]
  let read = 0
  for (let depth = 0; depth <= MANIFEST_SEARCH_DEPTH && level.length > 0; depth++) {
    const next: string[] = []
    for (const folder of level) {
      if (read++ >= MANIFEST_SEARCH_FOLDERS) return found
      let entries: fs.Dirent[]
      try {
        entries = fs.readdirSync(folder, { withFileTypes: true })
      } catch {
        continue
      }
      const manifest = path.join(folder, 'Packages', 'manifest.json')
      if (depth > 0 && entries.some(e => e.name === 'Packages' && e.isDirectory()) && isRegularFile(manifest)) {
        found.push(path.relative(workspace, manifest).split(path.sep).join('/'))
        continue
      }
      if (depth === MANIFEST_SEARCH_DEPTH) continue
      const children = entries.filter(e => e.isDirectory() && !NOT_A_PROJECT.test(e.name)).map(e => e.name)
      for (const name of children.sort()) next.push(path.join(folder, name))
    }
    level = next
  }
  return found
}

function isRegularFile(file: string): boolean {
  try {
    return fs.lstatSync(file).isFile()
  } catch {
    return false
  }
}

/**
 * A manifest is a few kilobytes (Unity's own projects: 1 to 10 kB); 1 MiB leaves room for any
 * real one and keeps a hostile file (a link to /dev/zero grew the process to 12 GB) harmless.
 */
export const MANIFEST_LIMIT: ProjectFileLimit = { bytes: 1024 * 1024, typical: 'a Unity manifest holds a few kilobytes' }

/** What the manifest check found, for the log, the job summary and the gate. */
export interface ManifestReport {
  /** The manifest's path as shown. */
  file: string
  findings: ManifestFinding[]
  /** An annotation on the manifest for each finding that deserves one, then a line that counts them. */
  messages: Message[]
  /** With `manifest-check: error` and findings: the error that fails the step before the file is written. */
  failure?: string
}

/**
 * Compares the manifest with the registry URLs that have credentials in the final config
 * file, and says what to annotate the manifest with: warnings, or errors with
 * `manifest-check: error`, which then fails the step. It runs before the file is written:
 * `error` makes the manifest a gate, and a failed step changes nothing, as with any bad input.
 * No credential for a URL Unity will not ask for is left behind, and a re-run after fixing the
 * URL starts from the same file.
 */
export function checkManifest(
  manifest: LoadedManifest,
  configuredUrls: string[],
  check: ManifestCheck,
  configFile: string
): ManifestReport {
  const findings = compareWithConfig(manifest.registries, configuredUrls)
  const messages: Message[] = []
  let problems = 0
  for (const finding of findings) {
    const text = describeFinding(finding, manifest.shown, configFile)
    if (text === undefined) continue
    problems++
    const annotation: AnnotationProperties = {
      title: finding.status === 'near-miss' ? 'Registry URL differs from the manifest' : 'Scoped registry without credentials'
    }
    if (manifest.inWorkspace) {
      annotation.file = manifest.shown
      annotation.startLine = finding.registry.line
    }
    messages.push({ level: check === 'error' ? 'error' : 'warning', text, annotation })
  }
  const matched = findings.filter(f => f.status === 'matched').length
  messages.push({
    level: 'info',
    text: `${manifest.shown}: ${scopedRegistries(findings.length)}, ${matched} with credentials, ${problems} to look at.`
  })
  const report: ManifestReport = { file: manifest.shown, findings, messages }
  if (check === 'error' && problems > 0) {
    report.failure =
      `${manifest.shown} lists ${scopedRegistries(problems)} that Unity would not ` +
      `send credentials to (see the errors above), and \`manifest-check\` is error: ${configFile} was left as it was.`
  }
  return report
}

function scopedRegistries(count: number): string {
  return `${count} scoped ${count === 1 ? 'registry' : 'registries'}`
}
