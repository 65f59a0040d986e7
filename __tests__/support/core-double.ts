/**
 * One stand-in for `@actions/core` in unit tests: inputs and saved state come from plain
 * objects, and every logging or runner call is recorded in order, so a test can check what was
 * said and when (a secret masked before anything else is logged, say).
 *
 *   const core = coreDouble()
 *   jest.unstable_mockModule('@actions/core', () => core.module)
 *   const { run } = await import('../../src/main.js')
 */

/** One recorded call: the function's name, then its arguments. */
export type CoreCall = [string, ...unknown[]]

export interface CoreDouble {
  /** Every call but getInput and getState, in order. */
  readonly calls: CoreCall[]
  /** The names getInput was asked for, in order, repeats included. */
  readonly inputsRead: string[]
  /** What getInput returns by name ('' for one not set, as the runner gives). */
  inputs: Record<string, string>
  /** What getState returns by name (the state a main step saved, in a post step). */
  state: Record<string, string>
  /** Called with each recorded call as it is made, for a test that looks at the moment of a call. */
  onCall: ((call: CoreCall) => void) | undefined
  /** The module to hand to jest.unstable_mockModule. */
  readonly module: Record<string, unknown>
  /** Forgets the calls, the inputs read and onCall (inputs and state stay). */
  reset(): void
}

export function coreDouble(): CoreDouble {
  const double: CoreDouble = {
    calls: [],
    inputsRead: [],
    inputs: {},
    state: {},
    onCall: undefined,
    module: {},
    reset() {
      double.calls.length = 0
      double.inputsRead.length = 0
      double.onCall = undefined
    }
  }
  const record =
    (name: string) =>
    (...args: unknown[]): void => {
      const call: CoreCall = [name, ...args]
      double.calls.push(call)
      double.onCall?.(call)
    }
  Object.assign(double.module, {
    getInput: (name: string): string => {
      double.inputsRead.push(name)
      return double.inputs[name] ?? ''
    },
    getState: (name: string): string => double.state[name] ?? '',
    // As on the runner, what a step saves is for the post step: getState does not see it.
    saveState: record('saveState'),
    isDebug: (): boolean => false,
    setSecret: record('setSecret'),
    info: record('info'),
    debug: record('debug'),
    notice: record('notice'),
    warning: record('warning'),
    error: record('error'),
    setFailed: record('setFailed'),
    setOutput: record('setOutput'),
    exportVariable: record('exportVariable'),
    startGroup: record('startGroup'),
    endGroup: record('endGroup')
  })
  return double
}
