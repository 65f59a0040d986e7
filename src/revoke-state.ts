/**
 * What the main step hands to the post step about the tokens its `login` minted: the path of
 * their record, a 0600 file under RUNNER_TEMP (saved state is plain text in the runner's files,
 * so it never holds a token). Apart from revoke.ts, so the post step can ask whether there is
 * anything to revoke without loading the revocation code.
 */
import * as core from '@actions/core'

const MINTED_TOKENS_FILE = 'mintedTokensFile'

/** The record of the tokens `login` minted, or '' when it minted none (or recorded none). */
export function mintedTokensFile(): string {
  return core.getState(MINTED_TOKENS_FILE)
}

/** Tells the post step where the record of the minted tokens is. */
export function saveMintedTokensFile(file: string): void {
  core.saveState(MINTED_TOKENS_FILE, file)
}
