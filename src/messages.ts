/**
 * Log lines and annotations as data. The work done under the config file's lock returns what
 * it has to say instead of saying it, so the lock is held for the file work only and a merge
 * that is redone (the file changed under it) reports once.
 */
import * as core from '@actions/core'
import type { AnnotationProperties } from '@actions/core'
import { logSafe } from './log-safe.js'

export interface Message {
  level: 'info' | 'warning' | 'error'
  text: string
  /** Where an annotation points (warnings and errors only). */
  annotation?: AnnotationProperties
}

/** A warning or error annotation; without properties, the call the rest of the step makes too. */
function warn(
  annotate: (message: string, properties?: AnnotationProperties) => void,
  text: string,
  annotation: AnnotationProperties | undefined
): void {
  if (annotation === undefined) annotate(text)
  else annotate(text, annotation)
}

/** Writes the messages to the log, in order; an info line's data cannot issue a workflow command (log-safe.ts). */
export function emit(messages: readonly Message[]): void {
  // Each function by name, not core[level]: a computed member makes rollup keep all of
  // @actions/core, its OIDC and HTTP clients with it, in what every run loads.
  for (const { level, text, annotation } of messages) {
    if (level === 'info') core.info(logSafe(text))
    else if (level === 'warning') warn(core.warning, text, annotation)
    else warn(core.error, text, annotation)
  }
}
