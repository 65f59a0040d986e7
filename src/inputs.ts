/**
 * Reads the action's inputs from the runner and masks every secret the moment it is read.
 */
import * as core from '@actions/core'
import type { RegistryInputs } from './registries.js'
import { secretValues, urlSecrets } from './secrets.js'

export interface ActionInputs extends RegistryInputs {
  configFile: string
  location: string
  /** `true`/`false`: check each credential against its registry after writing. */
  verify: string
  /** `true`/`false`: fetch what UPM would for every package the project locks, after writing. */
  resolveCheck: string
  /** `true`/`false`: exchange `username` + `password` for a token, as `npm login` does. */
  login: string
  manifest: string
  manifestCheck: string
  cacheRoot: string
  maxCacheSize: string
  cleanup: string
}

const masked = new Set<string>()

/** Registers values with the runner so it replaces them with *** in every log line. */
export function mask(values: Iterable<string>): void {
  for (const value of values) {
    if (value && !masked.has(value)) {
      masked.add(value)
      core.setSecret(value)
    }
  }
}

/**
 * Reads every input as a string ('' when unset). Secret inputs, and a password that somebody
 * put into a URL input (`registry-url`, `oidc-exchange-url`), are masked before this returns, so nothing logged later can
 * show them.
 */
export function readInputs(): ActionInputs {
  const get = (name: string): string => core.getInput(name)
  const credentials = {
    token: get('token'),
    auth: get('auth'),
    email: get('email'),
    pat: get('pat'),
    username: get('username'),
    password: get('password'),
    oidc: get('oidc'),
    oidcAudience: get('oidc-audience'),
    oidcProviderName: get('oidc-provider-name'),
    oidcService: get('oidc-service'),
    oidcExchangeUrl: get('oidc-exchange-url')
  }
  const registryUrl = get('registry-url')
  mask(secretValues(credentials))
  // Every input that holds a URL: a password somebody put into one is hidden before it can be quoted.
  mask([registryUrl, credentials.oidcExchangeUrl].flatMap(urlSecrets))
  // The `|| default` fallbacks repeat action.yml's defaults on purpose: a workflow that passes
  // an empty value (an unset variable, `always-auth: ''`) gets the default, not an error.
  return {
    ...credentials,
    registryUrl,
    alwaysAuth: get('always-auth') || 'true',
    // The fragment holds secrets; they are masked one by one once it is parsed.
    registries: core.getInput('registries', { trimWhitespace: false }),
    configFile: get('config-file'),
    location: get('location') || 'home',
    verify: get('verify') || 'false',
    resolveCheck: get('resolve-check') || 'false',
    login: get('login') || 'false',
    manifest: get('manifest'),
    manifestCheck: get('manifest-check') || 'warn',
    cacheRoot: get('cache-root'),
    maxCacheSize: get('max-cache-size'),
    cleanup: get('cleanup') || 'true'
  }
}
