/**
 * The module behind `@actions/core`'s `getIDToken`. Its package exports only the main module, so
 * the build resolves this path itself (rollup.config.mjs): importing `getIDToken` from
 * `@actions/core` would put the OIDC client, and with it the HTTP client, into the chunk every
 * run loads.
 */
declare module '@actions/core/lib/oidc-utils.js' {
  // eslint-disable-next-line @typescript-eslint/no-extraneous-class -- declares the toolkit's class as it is
  export class OidcClient {
    /** Requests the job's ID token for `audience` and masks it before returning it. */
    static getIDToken(audience?: string): Promise<string>
  }
}
