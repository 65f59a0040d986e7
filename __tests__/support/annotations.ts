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

/** A workflow command as the runner reads it from a line of the step's output. */
export interface WorkflowCommand {
  command: string
  line: string
}

/**
 * Every line of `output` that the runner would take as a workflow command, read the way
 * actions/runner 2.336.0 does (src/Runner.Common/ActionCommand.cs): a line ends at CR, LF or CRLF (.NET's
 * ReadLine); `::name ...::data` counts after leading white space (TryParseV2), and `##[name ...]data`
 * anywhere in the line (TryParse). Any name is reported: the runner acts on the ones it knows.
 */
export function workflowCommands(output: string): WorkflowCommand[] {
  const found: WorkflowCommand[] = []
  for (const line of output.split(/\r\n|\r|\n/)) {
    const trimmed = line.trimStart()
    const v2 = trimmed.startsWith('::') ? /^::([^ :]+)[^]*?::/.exec(trimmed) : null
    const v1 = /##\[([^ \]]+)[^\]]*\]/.exec(line)
    const name = v2?.[1] ?? v1?.[1]
    if (name !== undefined) found.push({ command: name, line })
  }
  return found
}
