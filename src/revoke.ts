/**
 * `login`'s tokens end with the job. The main step records every token its login minted, with
 * its registry, in a 0600 file under RUNNER_TEMP; the post step, after cleanup, revokes each
 * one that no live job still uses, the way `npm logout` does: `DELETE <registry>/-/user/token/
 * <token, URI-encoded>` with the token as Bearer (npm 11.19.1 lib/commands/logout.js; its
 * npm-registry-fetch 19.1.1 joins the path to the registry URL and sends the Bearer header).
 *
 * Loaded on demand: by a main step whose login minted a token, and by a post step that has a
 * record. Nothing here logs: what there is to say is returned as messages. Revocation never
 * fails the job: a registry that refuses or cannot be reached is a warning that names it, and no
 * message holds a token.
 */
import fs from 'node:fs'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { parse as parseToml } from 'smol-toml'
import type { NpmAuthEntry } from './entry.js'
import type { Message } from './messages.js'
import { UnreachableError } from './errors.js'
import { errorMessage } from './error-message.js'
import { describeFsError, removeQuietly, retrySharingViolations } from './fs-errors.js'
import { tryParseJson } from './json.js'
import { isPlainObject } from './plain-object.js'
import { writePrivateFile } from './private-file.js'
import { readConfigFile } from './shared-file/config-file.js'
import { ledgerPathOf, readLedger } from './shared-file/ledger-file.js'
import { networkOptionsFromEnv, registryEndpoint, registryRequest } from './registry-http.js'
import type { NetworkOptions } from './registry-http.js'
import { redactUrl } from './secrets.js'
import { saveMintedTokensFile } from './revoke-state.js'

/** The record of the tokens a main step's `login` minted. */
export interface MintedRecord {
  version: 1
  /**
   * The config file the tokens were written to, whose text and ledger tell whether a job still
   * uses one; null for `location: job`, whose file only this job reads and the runner removes.
   */
  configFile: string | null
  tokens: { url: string; token: string }[]
}

/**
 * Writes the record of the tokens `login` minted and saves its path for the post step.
 *
 * @throws when RUNNER_TEMP is not set or the record cannot be written (the caller warns: the
 *   tokens then stay valid after the job).
 */
export function recordMintedTokens(minted: readonly NpmAuthEntry[], configFile: string | null, runnerTemp: string | undefined): void {
  if (!runnerTemp) throw new Error('RUNNER_TEMP is not set')
  const file = path.join(runnerTemp, `upm-auth-minted-${randomBytes(8).toString('hex')}.json`)
  const record: MintedRecord = { version: 1, configFile, tokens: minted.map(e => ({ url: e.url, token: e.token ?? '' })) }
  try {
    writePrivateFile(file, JSON.stringify(record))
  } catch (error) {
    throw new Error(`cannot write ${file}: ${describeFsError(error)}`, { cause: error })
  }
  saveMintedTokensFile(file)
}

/**
 * The tokens a job still uses, once this job has cleaned up: every `token` in the config file's
 * npmAuth tables, and every token a live job holds in the ledger (cleanup has just let the
 * ended jobs leave it). Undefined when the text does not parse, so nobody can tell: then
 * nothing is revoked. Pure, and typed by what it reads of the ledger's items only
 * (`holders[].value`: an entry with `token` or `_auth`, or a cache key's value), so any ledger
 * that can list its live holders' values can feed it.
 */
export function tokensInUse(configText: string, items: readonly { holders: readonly { value: unknown }[] }[]): Set<string> | undefined {
  let document: Record<string, unknown>
  try {
    document = parseToml(configText)
  } catch {
    return undefined
  }
  const used = new Set<string>()
  const add = (entry: unknown): void => {
    if (isPlainObject(entry) && typeof entry.token === 'string') used.add(entry.token)
  }
  if (isPlainObject(document.npmAuth)) Object.values(document.npmAuth).forEach(add)
  for (const item of items) for (const holder of item.holders) add(holder.value)
  return used
}

/**
 * Revokes every token of the record that no job still uses, then removes the record; never
 * throws. `mask` registers the tokens with the runner again before anything else is done.
 */
export async function revokeMintedTokens(recordFile: string, mask: (values: string[]) => void): Promise<Message[]> {
  let record: MintedRecord
  try {
    record = readRecord(recordFile)
  } catch (error) {
    return [warning(`Cannot read the record of the tokens \`login\` minted (${errorMessage(error)}), so none is revoked. ${STAYS_VALID}`)]
  }
  mask(record.tokens.map(t => t.token))
  try {
    const { configFile } = record
    let used: Set<string> | undefined
    let why = `${configFile ?? ''} is not valid TOML`
    try {
      used = configFile === null ? new Set() : inUseBy(configFile)
    } catch (error) {
      why = errorMessage(error).replace(/\.$/, '')
    }
    const registries = record.tokens.map(t => redactUrl(t.url)).join(', ')
    if (used === undefined) {
      return [
        warning(
          `The tokens \`login\` minted (for ${registries}) are not revoked: whether a job still uses them cannot be told (${why}). ${STAYS_VALID}`
        )
      ]
    }
    const messages = record.tokens.flatMap(t =>
      used.has(t.token)
        ? [
            info(
              `The token \`login\` minted for ${redactUrl(t.url)} is not revoked: after this job's cleanup, ${configFile ?? ''} or its ledger still holds it, so a job may still use it.`
            )
          ]
        : []
    )
    const network = networkOptionsFromEnv(process.env)
    const revoked = await Promise.all(record.tokens.filter(t => !used.has(t.token)).map(t => revoke(t.url, t.token, network)))
    return [...messages, ...revoked]
  } finally {
    removeQuietly(recordFile)
  }
}

const STAYS_VALID = 'It stays valid until it expires or is revoked on the registry.'

/** The tokens still in use by the jobs that share `configFile`, read after this job's cleanup. */
function inUseBy(configFile: string): Set<string> | undefined {
  // Without the lock: a decision made under it could change as soon as it is released, before
  // the revocation is sent. A job that arrives later uses the token its own login minted.
  const { text } = readConfigFile(configFile)
  const ledger = readLedger(ledgerPathOf(configFile))
  return tokensInUse(text, ledger?.ledger.items ?? [])
}

/** Sends one revocation, npm logout's; says what came of it. */
async function revoke(url: string, token: string, network: NetworkOptions): Promise<Message> {
  const shown = redactUrl(url)
  const request = 'DELETE /-/user/token/***'
  try {
    const response = await registryRequest(
      registryEndpoint(url, `/-/user/token/${encodeURIComponent(token)}`),
      // Deleting a token twice deletes it once: safe to repeat after a timeout or a 5xx.
      { method: 'DELETE', headers: { authorization: `Bearer ${token}` }, idempotent: true },
      network
    )
    if (response.status >= 200 && response.status < 300) {
      return info(`${shown} accepted the revocation of the token \`login\` minted for this job (${request}: HTTP ${response.status}).`)
    }
    return warning(`Could not revoke the token \`login\` minted for ${shown}: ${request} answered HTTP ${response.status}. ${STAYS_VALID}`)
  } catch (error) {
    const reason = error instanceof UnreachableError ? `cannot reach it: ${error.message}` : errorMessage(error)
    return warning(`Could not revoke the token \`login\` minted for ${shown}: ${reason}. ${STAYS_VALID}`)
  }
}

/** Reads a record written by {@link recordMintedTokens}; never quotes its text (it holds tokens). */
function readRecord(file: string): MintedRecord {
  let text: string
  try {
    text = retrySharingViolations(() => fs.readFileSync(file, 'utf8'))
  } catch (error) {
    throw new Error(`${file}: ${describeFsError(error)}`, { cause: error })
  }
  const record = tryParseJson(text)
  if (
    !isPlainObject(record) ||
    record.version !== 1 ||
    !(record.configFile === null || typeof record.configFile === 'string') ||
    !Array.isArray(record.tokens) ||
    !record.tokens.every(t => isPlainObject(t) && typeof t.url === 'string' && typeof t.token === 'string' && t.token !== '')
  ) {
    throw new Error(`${file} is not a record this version of upm-auth wrote`)
  }
  return record as unknown as MintedRecord
}

function info(text: string): Message {
  return { level: 'info', text }
}

function warning(text: string): Message {
  return { level: 'warning', text }
}
