/**
 * Reads the annotations (`::warning file=...,line=...::message`) that a run printed, with
 * their properties, as the runner decodes them.
 */
import type { RunResult } from './action-runner.js'

export interface Annotation {
  level: 'error' | 'warning' | 'notice'
  properties: Record<string, string>
  message: string
}

export function annotationsOf(result: RunResult, level?: Annotation['level']): Annotation[] {
  const found: Annotation[] = []
  for (const line of result.stdout.split(/\r?\n/)) {
    const match = /^::(error|warning|notice)((?: [^:]*)?)::(.*)$/.exec(line)
    if (!match) continue
    const properties: Record<string, string> = {}
    for (const pair of match[2].trimStart().split(',').filter(Boolean)) {
      const eq = pair.indexOf('=')
      properties[pair.slice(0, eq)] = decodeProperty(pair.slice(eq + 1))
    }
    found.push({ level: match[1] as Annotation['level'], properties, message: decodeData(match[3]) })
  }
  return level ? found.filter(a => a.level === level) : found
}

/** The messages of the `::error::` lines a run printed, decoded. */
export function errorsOf(result: RunResult): string[] {
  return annotationsOf(result, 'error').map(a => a.message)
}

/** The messages of the `::warning::` lines a run printed, decoded. */
export function warningsOf(result: RunResult): string[] {
  return annotationsOf(result, 'warning').map(a => a.message)
}

function decodeData(value: string): string {
  return value.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}

function decodeProperty(value: string): string {
  return decodeData(value.replace(/%3A/g, ':').replace(/%2C/g, ','))
}
