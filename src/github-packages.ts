/**
 * Pure: GitHub Packages' npm registry, and the registry URL shape it gives Unity.
 *
 * Unity's scoped registry URL for it names the owner as an npm scope at the end of the path,
 * `https://npm.pkg.github.com/@OWNER`, so Unity's request for `com.owner.tool` is
 * `https://npm.pkg.github.com/@OWNER/com.owner.tool`: the package `@OWNER/com.owner.tool`, as
 * GitHub Packages stores it. Below such a URL, npm's `/-/whoami` and `/-/v1/search` are package
 * names in that scope, not the registry's endpoints (Verdaccio, which serves the same shape,
 * answers them as the unknown package `@OWNER/-`); docs/github-packages.md has the sources.
 */

/** The npm scope a registry URL's path ends with (`@owner` for `https://host/@owner/`), if any. */
export function urlScope(url: string): string | undefined {
  let pathname: string
  try {
    pathname = new URL(url).pathname
  } catch {
    return undefined
  }
  return /\/(@[^/@]+)\/?$/.exec(pathname)?.[1]
}

/**
 * Whether a registry URL is GitHub Packages' npm registry: `npm.pkg.github.com` (github.com),
 * `npm.SUBDOMAIN.ghe.com` (GitHub Enterprise Cloud with data residency), or, on the GitHub
 * Enterprise Server the job runs on (`serverUrl`, the runner's GITHUB_SERVER_URL), `npm.HOSTNAME`
 * or `HOSTNAME/_registry/npm/` (subdomain isolation on or off).
 */
export function isGitHubPackagesUrl(url: string, serverUrl?: string): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  const host = parsed.hostname.toLowerCase()
  if (host === 'npm.pkg.github.com' || /^npm\.[a-z0-9-]+\.ghe\.com$/.test(host)) return true
  let server: string | undefined
  try {
    server = serverUrl ? new URL(serverUrl).hostname.toLowerCase() : undefined
  } catch {
    server = undefined
  }
  if (server === undefined || server === 'github.com') return false
  return host === `npm.${server}` || (host === server && /^\/_registry\/npm(\/|$)/.test(parsed.pathname))
}
