/**
 * The job summary: a table of what this step configured. It holds no secret: only URLs
 * (without user information), credential kinds, paths and settings.
 */
import fs from 'node:fs'
import * as core from '@actions/core'
import type { CacheSettings } from './cache-settings.js'
import type { ManifestFinding } from './manifest.js'
import { manifestMatch } from './manifest.js'
import type { CredentialForm } from './entry.js'
import { OIDC_PROVIDER_NAMES } from './entry.js'
import type { OidcProvider } from './entry.js'
import { redactUrl } from './secrets.js'
import type { VerifyResult } from './verify.js'
import { errorMessage } from './error-message.js'

/** One configured registry. */
export interface SummaryRow {
  url: string
  form: CredentialForm
  alwaysAuth: boolean
  /** For `oidc`: the registry that exchanged the job's identity for the token. */
  oidcProvider?: OidcProvider
  /** Whether the registry accepted the credential: 'yes', 'rejected', ...; 'not checked' when absent. */
  verified?: string
  configFile: string
}

export interface Summary {
  rows: SummaryRow[]
  /** The cache settings this step wrote. */
  cache?: CacheSettings
  /** The manifest check, when it ran: the manifest's path as shown to users, and the findings. */
  manifest?: { file: string; findings: ManifestFinding[] }
  /** Markdown sections of checks that render their own (`resolve-check`), appended in order. */
  sections?: string[]
}

const AUTH_KINDS: Record<CredentialForm, string> = {
  token: 'Bearer token',
  auth: 'Basic (`_auth` given)',
  'email+pat': 'Basic (email + PAT)',
  'username+password': 'Basic (username + password)',
  login: 'Bearer token (from login)',
  oidc: 'Bearer token (OIDC)'
}

/** The summary's "Verified" cell for a registry's verify result (none: verify was off). */
export function verifiedLabel(result: VerifyResult | undefined): string {
  if (!result) return 'not checked'
  const http = result.httpStatus !== undefined ? ` (HTTP ${result.httpStatus})` : ''
  const labels: Record<VerifyResult['status'], string> = {
    ok: 'yes',
    rejected: 'rejected',
    unreachable: 'cannot reach',
    unverified: 'cannot tell'
  }
  return labels[result.status] + http
}

/** Renders the summary as GitHub-flavoured Markdown. */
export function renderSummary(summary: Summary): string {
  const lines = [
    '### Unity Package Manager credentials',
    '',
    '| Registry | Auth | alwaysAuth | Verified | In the manifest | Config file |',
    '| --- | --- | --- | --- | --- | --- |'
  ]
  for (const row of summary.rows) {
    const cells = [
      code(redactUrl(row.url)),
      row.oidcProvider ? `Bearer token (OIDC, ${OIDC_PROVIDER_NAMES[row.oidcProvider]})` : AUTH_KINDS[row.form],
      String(row.alwaysAuth),
      text(row.verified ?? 'not checked'),
      text(summary.manifest ? manifestMatch(row.url, summary.manifest.findings) : 'not checked'),
      code(row.configFile)
    ]
    lines.push(`| ${cells.join(' | ')} |`)
  }
  const { cacheRoot, maxCacheSize } = summary.cache ?? {}
  if (cacheRoot !== undefined || maxCacheSize !== undefined) lines.push('', 'Global cache:', '')
  if (cacheRoot !== undefined) lines.push(`- \`cacheRoot\` = ${code(cacheRoot)}`)
  if (maxCacheSize !== undefined) lines.push(`- \`maxCacheSize\` = ${maxCacheSize} bytes (${decimalSize(maxCacheSize)})`)
  const { file, findings } = summary.manifest ?? { file: '', findings: [] }
  const unmatched = findings.filter(f => f.status === 'missing' || f.status === 'near-miss')
  if (unmatched.length > 0) lines.push('', `Scoped registries in ${code(file)} that Unity will not send credentials to:`, '')
  for (const { registry, status, configured } of unmatched) {
    const name = registry.name ? `**${text(registry.name)}** ` : ''
    const why =
      status === 'missing' ? 'no credentials' : `credentials only for ${code(redactUrl(configured ?? ''))}, which is not the same string`
    lines.push(`- ${name}${code(redactUrl(registry.url))}: ${why}`)
  }
  return [lines.join('\n') + '\n', ...(summary.sections ?? [])].join('\n')
}

/**
 * Appends the summary to the job's summary file. A summary that cannot be written is worth a
 * warning, not a failed step: the credentials are in place by then.
 */
export function writeSummary(summary: Summary): void {
  const file = process.env.GITHUB_STEP_SUMMARY
  if (!file) return
  try {
    // What core.summary.write() does, without its asynchronous file calls: their first use
    // starts libuv's thread pool, which every run would wait for (BENCHMARKS.md has the figure).
    fs.appendFileSync(file, renderSummary(summary))
  } catch (error) {
    core.warning(`Could not write the job summary: ${errorMessage(error)}`)
  }
}

/** A value as an inline code span, so backslashes in Windows paths stay as they are. */
export function code(value: string): string {
  const oneLine = value.replace(/[\r\n]+/g, ' ').replace(/\|/g, '\\|')
  const longestRun = Math.max(0, ...(oneLine.match(/`+/g) ?? []).map(run => run.length))
  const fence = '`'.repeat(longestRun + 1)
  const pad = oneLine.startsWith('`') || oneLine.endsWith('`') ? ' ' : ''
  return `${fence}${pad}${oneLine}${pad}${fence}`
}

/** Plain text for a table cell: one line, Markdown and HTML characters escaped. */
export function text(value: string): string {
  return value.replace(/[\r\n]+/g, ' ').replace(/([\\`*_[\]<>|#])/g, '\\$1')
}

function decimalSize(bytes: number): string {
  const units: [number, string][] = [
    [1e12, 'TB'],
    [1e9, 'GB'],
    [1e6, 'MB'],
    [1e3, 'KB']
  ]
  const [size, unit] = units.find(([size]) => bytes >= size) ?? [1, 'bytes']
  return `${Number((bytes / size).toFixed(2))} ${unit}`
}
