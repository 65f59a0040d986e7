/**
 * One change of the pair (ledger, config file), under the config file's lock, recoverable
 * from a kill at any instruction (journal.ts). The steps, and what the next run finds when the
 * step is killed right after each:
 *
 * | killed after                         | the next run finds                            | and does                                |
 * | ------------------------------------ | --------------------------------------------- | --------------------------------------- |
 * | creating the lock, before its record | an empty lock                                 | takes it over after 5 s (lock.ts)       |
 * | taking the lock                      | a lock whose process has ended                | takes it over (lock.ts)                 |
 * | writing the ledger with `pending`    | `pending`, the file's bytes as before          | puts the ledger back as it was          |
 * | replacing (or deleting) the file     | `pending`, the file's bytes as after           | finishes the ledger as the change meant |
 * | writing the ledger without `pending` | a ledger that agrees with the file             | nothing to repair                       |
 * | releasing the lock                   | nothing left                                   |                                         |
 *
 * Each write is a rename of a complete temporary file (or an unlink), so a kill inside one
 * leaves the file before or after it, and a temporary file the next run removes. A change that
 * leaves the file's bytes as they are changes the ledger alone, in one rename; so does one with no
 * job in the ledger before or after it (nothing to disagree with the file).
 */
import { updateConfigFile } from './config-file.js'
import type { ConfigFileContent } from './config-file.js'
import type { LockOptions } from './lock.js'
import { LEDGER_VERSION } from './ledger.js'
import type { Ledger } from './ledger.js'
import { fileDigest, recover } from './journal.js'
import type { Recovery, StoredLedger } from './journal.js'
import { ledgerPathOf, putLedgerBack, readLedger, writeLedger } from './ledger-file.js'

/** What a run sees: the file, and the ledger once any change in flight is settled. */
export interface PairView {
  current: ConfigFileContent
  ledger: Ledger | undefined
  /** What was done about a change a killed run left in flight. */
  recovery?: Recovery
}

/** What a run does to the pair. */
export interface PairChange<T> {
  /** The file's new text; undefined: the file stays as it is. */
  text?: string
  /** Delete the file. */
  delete?: boolean
  /** The new ledger; undefined or without items: none is left (its file is deleted). */
  ledger: Ledger | undefined
  result: T
  /** Called when the change is not made (the write failed, or the file changed under it and the change is computed again). */
  undo?: () => void
}

/**
 * Reads the pair under the lock, settles a change a killed run left in flight, computes the
 * change and makes it in the order above. `change` may run more than once (see updateConfigFile).
 */
export function changeSharedFile<T>(file: string, change: (view: PairView) => PairChange<T>, lockOptions?: LockOptions): Promise<T> {
  const ledgerFile = ledgerPathOf(file)
  return updateConfigFile<T>(
    file,
    current => {
      const stored = readLedger(ledgerFile)
      const fileBefore = fileDigest(current.exists ? current.bytes : null)
      const found = stored ? recover(stored.ledger, fileBefore, current.text) : { ledger: undefined }
      const pair = change({ current, ledger: found.ledger, recovery: found.recovery })
      const undo = (): void => {
        putLedgerBack(ledgerFile, stored)
        pair.undo?.()
      }
      const fileAfter = pair.delete ? null : pair.text === undefined ? fileBefore : fileDigest(Buffer.from(pair.text, 'utf8'))
      const after = pair.ledger && pair.ledger.items.length > 0 ? pair.ledger : undefined
      const fileChange = { text: pair.delete ? undefined : pair.text, delete: pair.delete }
      // The file stays as it is, or no job holds anything before or after (`cleanup: false`, no
      // ledger): then nothing can disagree, and the ledger alone changes, in one rename (or none).
      if (fileAfter === fileBefore || (!found.ledger && !after)) {
        if (JSON.stringify(after) !== stored?.raw) writeLedger(ledgerFile, after)
        // Same bytes are still written (the file becomes 0600 as every write makes it); nothing to journal.
        return { ...fileChange, result: pair.result, undo }
      }
      const inFlight: StoredLedger = {
        ...(after ?? { version: LEDGER_VERSION, createdFile: found.ledger?.createdFile ?? false, items: [] }),
        pending: {
          fileBefore,
          fileAfter,
          before: found.ledger ? { createdFile: found.ledger.createdFile, items: found.ledger.items } : null
        }
      }
      writeLedger(ledgerFile, inFlight)
      return {
        ...fileChange,
        result: pair.result,
        undo,
        done: () => {
          try {
            writeLedger(ledgerFile, after)
          } catch {
            // The ledger still says what was in flight, and the file shows it done: the next run finishes it.
          }
        }
      }
    },
    lockOptions
  )
}
