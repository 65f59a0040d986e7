/**
 * The domain's shared types, and the OIDC providers' names: what a registry's credential is, as
 * given and as Unity reads it.
 *
 * A leaf: it imports nothing of ours, so the TOML engine, the secrets module and the steps can
 * all use these types without depending on the module that builds entries from inputs.
 */

/**
 * How a credential was handed to the action; `login` is a token from `username` + `password`
 * (input `login`), `oidc` a token the registry gave for the job's OIDC identity (input `oidc`).
 */
export type CredentialForm = 'token' | 'auth' | 'email+pat' | 'username+password' | 'login' | 'oidc'

/** The fields of the credential inputs (or of one `registries` table), as strings. */
export interface CredentialFields {
  token?: string
  auth?: string
  email?: string
  pat?: string
  username?: string
  password?: string
  oidc?: string
  oidcAudience?: string
  oidcProviderName?: string
  oidcService?: string
  oidcExchangeUrl?: string
}

/**
 * An `oidc` entry's settings as the user gave them, checked and used by src/oidc.ts (loaded
 * only for such entries), with how to name each field where the user wrote it.
 */
export interface OidcRequest {
  fields: CredentialFields
  /** e.g. "input `oidc-service`" or "`registries` table [npmAuth."URL"] key `oidc-service`" */
  name: (field: keyof CredentialFields) => string
  /** The field as the user spelled it: the input, or the table key. */
  key: (field: keyof CredentialFields) => string
  /** e.g. "Input `registry-url`" or "`registries` table [npmAuth."URL"]" */
  where: string
}

/** What Unity reads of an entry: what the file (and the ledger) hold of it. */
export type UnityEntry = Pick<NpmAuthEntry, 'url' | 'token' | '_auth' | 'email' | 'alwaysAuth'>

/** One `[npmAuth."URL"]` table as Unity reads it. Exactly one of `token` / `_auth` is set. */
export interface NpmAuthEntry {
  /** The registry URL, exactly as given: it must equal the manifest's `url` byte for byte. */
  url: string
  /** Bearer token (`Authorization: Bearer <token>`). */
  token?: string
  /** Basic credential (`Authorization: Basic <_auth>`), base64 of `user:secret`. */
  _auth?: string
  email?: string
  alwaysAuth: boolean
  form: CredentialForm
  /** For `oidc`: the exchange that gives the token. */
  oidc?: OidcRequest
  /** For `oidc`, once exchanged: the registry that gave the token. */
  oidcProvider?: OidcProvider
}

/** How a field is called where the user wrote it: an input, or a key of a `registries` table. */
export interface Origin {
  /** e.g. "input `token`" or "`registries` table [npmAuth."URL"] key `_auth`" */
  name: (field: keyof CredentialFields) => string
  /** e.g. "input `registry-url`" or "`registries` table [npmAuth."URL"]" */
  where: string
  /** Describes "no credential" for this origin. */
  credentialHint: string
}

/** The registries whose OIDC token exchange this action speaks. */
export type OidcProvider = 'artifactory' | 'cloudsmith'

/**
 * The provider as users know it, for messages and the job summary. Here, not in oidc.ts, so the
 * summary can name it without loading the OIDC chunk.
 */
export const OIDC_PROVIDER_NAMES: Record<OidcProvider, string> = { artifactory: 'JFrog Artifactory', cloudsmith: 'Cloudsmith' }
