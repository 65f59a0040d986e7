/** The text of a caught value, which may be anything a library threw. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
