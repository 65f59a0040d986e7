/**
 * Pure: checks a parsed user config file against the rules Unity is known to apply to it.
 *
 * UPM validates the parsed file as a whole, and one entry that breaks its rules stops all
 * package loading, for every registry: the reported error is `"npmAuth.<url>" contains a
 * conflict between exclusive peers [token, _auth]` followed by "No packages loaded"
 * (github.com/tylearymf/UniHacker issue 55). A file the action keeps byte-identical outside
 * its own tables can be broken this way before the action runs; these findings let it say so.
 *
 * Findings name a table and a rule, never a value.
 */
import { isPlainObject } from './plain-object.js'

/** One broken rule: where (`npmAuth."URL"`, or `top level`) and what, without any value. */
export interface UnityRuleFinding {
  /** The registry URL of the table, or undefined for a top-level key. */
  url?: string
  /** The key at fault, when one is. */
  key?: string
  /** The rule, as a sentence fragment ("has both `token` and `_auth`"). */
  rule: string
  /**
   * True for keys Unity does not document: whether Unity refuses them is not known (validators
   * of this kind usually do), so the warning says "may".
   */
  undocumented?: boolean
}

/**
 * Keys of an `[npmAuth."URL"]` table that Unity documents: token, _auth, email, alwaysAuth
 * (https://docs.unity3d.com/6000.1/Documentation/Manual/upm-config-scoped.html). `username`
 * and `password`, which some tools write, are not among them.
 */
export const DOCUMENTED_TABLE_KEYS: readonly string[] = ['token', '_auth', 'email', 'alwaysAuth']

/**
 * Top-level keys Unity documents: npmAuth (upm-config-scoped.html), cacheRoot and maxCacheSize
 * (https://docs.unity3d.com/6000.0/Documentation/Manual/upm-config-cache.html), and caFile,
 * documented for the global file (https://docs.unity3d.com/6000.4/Documentation/Manual/upm-config-files.html)
 * and accepted here because nothing says the user file refuses it.
 */
export const DOCUMENTED_TOP_LEVEL_KEYS: readonly string[] = ['npmAuth', 'cacheRoot', 'maxCacheSize', 'caFile']

/** Every rule the document breaks, in document order. */
export function checkUnityRules(doc: Record<string, unknown>): UnityRuleFinding[] {
  const findings: UnityRuleFinding[] = []
  for (const key of Object.keys(doc)) {
    if (!DOCUMENTED_TOP_LEVEL_KEYS.includes(key)) {
      findings.push({
        key,
        rule: `is a top-level key Unity does not document (known keys: ${DOCUMENTED_TOP_LEVEL_KEYS.join(', ')})`,
        undocumented: true
      })
    }
  }
  // cacheRoot: an absolute path string (upm-config-cache.html).
  if ('cacheRoot' in doc && typeof doc.cacheRoot !== 'string') findings.push({ key: 'cacheRoot', rule: 'must be a string' })
  // maxCacheSize: a size in bytes, an integer (upm-config-cache.html); a negative size means nothing.
  if ('maxCacheSize' in doc) {
    const size = doc.maxCacheSize
    const ok = (typeof size === 'bigint' && size >= 0n) || (typeof size === 'number' && Number.isInteger(size) && size >= 0)
    if (!ok) findings.push({ key: 'maxCacheSize', rule: 'must be a non-negative integer (bytes)' })
  }
  if ('caFile' in doc && typeof doc.caFile !== 'string') findings.push({ key: 'caFile', rule: 'must be a string' })
  if (!('npmAuth' in doc)) return findings
  if (!isPlainObject(doc.npmAuth)) {
    findings.push({ key: 'npmAuth', rule: 'must be a table of [npmAuth."URL"] tables' })
    return findings
  }
  for (const [url, table] of Object.entries(doc.npmAuth)) {
    if (!isPlainObject(table)) {
      findings.push({ url, rule: 'is not a table' })
      continue
    }
    // Exactly one of token / _auth: the exclusive-peers error above (UniHacker issue 55) and the manual's table.
    const credentials = ['token', '_auth'].filter(k => k in table)
    if (credentials.length === 2) findings.push({ url, rule: 'has both `token` and `_auth` (Unity allows exactly one)' })
    if (credentials.length === 0) findings.push({ url, rule: 'has neither `token` nor `_auth` (Unity requires exactly one)' })
    for (const key of credentials) if (typeof table[key] !== 'string') findings.push({ url, key, rule: 'must be a string' })
    if ('email' in table && typeof table.email !== 'string') findings.push({ url, key: 'email', rule: 'must be a string' })
    if ('alwaysAuth' in table && typeof table.alwaysAuth !== 'boolean') {
      findings.push({ url, key: 'alwaysAuth', rule: 'must be true or false' })
    }
    for (const key of Object.keys(table)) {
      if (!DOCUMENTED_TABLE_KEYS.includes(key)) {
        findings.push({
          url,
          key,
          rule: `is a key Unity does not document (known keys: ${DOCUMENTED_TABLE_KEYS.join(', ')})`,
          undocumented: true
        })
      }
    }
  }
  return findings
}

/**
 * The warning for one finding: the file, the table and the rule, and what it does to Unity.
 * `describe` turns a URL into its printable form (user information hidden).
 */
export function findingMessage(finding: UnityRuleFinding, file: string, describe: (url: string) => string): string {
  const where = finding.url !== undefined ? `table [npmAuth.${JSON.stringify(describe(finding.url))}]` : 'the top level'
  const what = finding.key !== undefined ? `${where}: key \`${finding.key}\` ${finding.rule}` : `${where} ${finding.rule}`
  const effect = finding.undocumented
    ? 'Unity validates the whole file, and if it refuses this key (validators of this kind usually refuse unknown keys) it loads no package at all, from any registry.'
    : 'Unity validates the whole file, and a file breaking this rule makes it load no package at all, from any registry.'
  return `${file}, ${what}. This step did not write it and left it as it was, but ${effect.charAt(0).toLowerCase()}${effect.slice(1)} Fix or remove it.`
}
