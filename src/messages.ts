/**
 * Log lines and annotations as data. The work done under the config file's lock returns what
 * it has to say instead of saying it, so the lock is held for the file work only and a merge
 * that is redone (the file changed under it) reports once.
 */
import * as core from '@actions/core'
import type { AnnotationProperties } from '@actions/core'

export interface Message {
  level: 'info' | 'warning' | 'error'
  text: string
  /** Where an annotation points (warnings and errors only). */
  annotation?: AnnotationProperties
}

/** Writes the messages to the log, in order. */
export function emit(messages: readonly Message[]): void {
  for (const { level, text, annotation } of messages) {
    if (level === 'info') core.info(text)
    else if (annotation === undefined) core[level](text)
    else core[level](text, annotation)
  }
}
