/**
 * The manifest check's side effects: reads the project's Packages/manifest.json and reports
 * what the final config file holds for its scoped registries as annotations on the manifest.
 */
import fs from 'node:fs'
import path from 'node:path'
import * as core from '@actions/core'
import { describeFsError, errorCode } from './fs-errors.js'
import { compareWithConfig, describeFinding, parseManifest } from './manifest.js'
import type { ManifestCheck, ManifestFinding, ScopedRegistry } from './manifest.js'

/** The `manifest` input's default: the manifest of a Unity project at the repository root. */
export const DEFAULT_MANIFEST = 'Packages/manifest.json'

export interface LoadedManifest {
  /** The path as shown to users and annotations: workspace-relative with `/`, else absolute. */
  shown: string
  /** Whether `shown` is inside the workspace, so an annotation can point at the file. */
  inWorkspace: boolean
  registries: ScopedRegistry[]
}

/**
 * Reads and parses the manifest named by the `manifest` input, relative to the workspace.
 *
 * @returns undefined when the check is off, the input is empty, or the default manifest does
 *   not exist (a repository whose Unity project is elsewhere, or that is no Unity project).
 */
export function loadManifest(input: string, check: ManifestCheck, workspace: string): LoadedManifest | undefined {
  if (check === 'off' || input === '') return undefined
  const file = path.resolve(workspace, input)
  const relative = path.relative(workspace, file)
  const inWorkspace = relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)
  const shown = inWorkspace ? relative.split(path.sep).join('/') : file
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (error) {
    if (errorCode(error) === 'ENOENT' && input === DEFAULT_MANIFEST) {
      // Debug, not info: most repositories that use the default simply have no Unity project at the root.
      core.debug(
        `No ${DEFAULT_MANIFEST} in the workspace, so the manifest check is skipped. If the Unity project is in a subfolder, ` +
          'set `manifest` to its Packages/manifest.json.'
      )
      return undefined
    }
    const why = errorCode(error) === 'ENOENT' ? 'it does not exist' : describeFsError(error)
    throw new Error(
      `Input \`manifest\` names ${file}, which cannot be read: ${why}. Set it to the Unity project's Packages/manifest.json, ` +
        "or to '' to skip the manifest check."
    )
  }
  return { shown, inWorkspace, registries: parseManifest(text, shown) }
}

/**
 * Compares the manifest with the registry URLs that have credentials in the final config
 * file and annotates the manifest: warnings, or errors with `manifest-check: error`, which then
 * throws. It runs before the file is written: `error` makes the manifest a gate, and a failed
 * step changes nothing, as with any bad input. No credential for a URL Unity will not ask for
 * is left behind, and a re-run after fixing the URL starts from the same file.
 *
 * @returns the manifest's path as shown, and the findings.
 */
export function reportManifest(
  manifest: LoadedManifest,
  configuredUrls: string[],
  check: ManifestCheck,
  configFile: string
): { file: string; findings: ManifestFinding[] } {
  const findings = compareWithConfig(manifest.registries, configuredUrls)
  let problems = 0
  for (const finding of findings) {
    const message = describeFinding(finding, manifest.shown, configFile)
    if (message === undefined) continue
    problems++
    const properties: core.AnnotationProperties = {
      title: finding.status === 'near-miss' ? 'Registry URL differs from the manifest' : 'Scoped registry without credentials'
    }
    if (manifest.inWorkspace) {
      properties.file = manifest.shown
      properties.startLine = finding.registry.line
    }
    if (check === 'error') core.error(message, properties)
    else core.warning(message, properties)
  }
  const matched = findings.filter(f => f.status === 'matched').length
  core.info(`${manifest.shown}: ${scopedRegistries(findings.length)}, ${matched} with credentials, ${problems} to look at.`)
  if (check === 'error' && problems > 0) {
    throw new Error(
      `${manifest.shown} lists ${scopedRegistries(problems)} that Unity would not ` +
        `send credentials to (see the errors above), and \`manifest-check\` is error: ${configFile} was left as it was.`
    )
  }
  return { file: manifest.shown, findings }
}

function scopedRegistries(count: number): string {
  return `${count} scoped ${count === 1 ? 'registry' : 'registries'}`
}
