/** Shared test data: the credential inputs as action.yml defaults them, with some set. */
import type { RegistryInputs } from '../../src/registries.js'

/** Every credential input empty (as action.yml defaults them), with `overrides` set. */
export function registryInputs(overrides: Partial<RegistryInputs>): RegistryInputs {
  return {
    registryUrl: '',
    token: '',
    auth: '',
    email: '',
    pat: '',
    username: '',
    password: '',
    oidc: '',
    oidcAudience: '',
    oidcProviderName: '',
    oidcService: '',
    oidcExchangeUrl: '',
    alwaysAuth: 'true',
    registries: '',
    ...overrides
  }
}
