/**
 * The action's error classes, in a leaf module (it imports nothing), so a module can throw or
 * recognise one without depending on the module that happens to raise it most often.
 *
 * Each message names the input or file at fault and says what to do, never a secret.
 */

/** Raised when the existing file cannot be parsed or edited in place; names the file. */
export class ConfigFileError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ConfigFileError'
  }
}

/** Raised when a registry has no credential at all: the caller may explain why (forks, Dependabot). */
export class MissingCredentialError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'MissingCredentialError'
  }
}

/** Raised when the manifest cannot be read as a Unity project manifest; names the file. */
export class ManifestError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'ManifestError'
  }
}

/**
 * A project file (the manifest, the lock file) is not a file this action will read: a link out of
 * the workspace, a folder, a device, too large. The message completes "<file>, which …".
 */
export class ProjectFileError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ProjectFileError'
  }
}

/** A registry could not be reached, or kept failing (5xx, 429) on every attempt. */
export class UnreachableError extends Error {
  constructor(
    message: string,
    /** The last HTTP status, when the registry answered at all. */
    readonly httpStatus?: number
  ) {
    super(message)
    this.name = 'UnreachableError'
  }
}

/** A header value that HTTP cannot carry (a control character, or a character above U+00FF). */
export class HeaderValueError extends Error {
  constructor(readonly header: string) {
    super(`The ${header} header cannot be sent: its value holds a control character or a character HTTP headers cannot carry.`)
    this.name = 'HeaderValueError'
  }
}

/** A Windows access rule could not be set or checked: the message names the file or folder and what to do. */
export class AclError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'AclError'
  }
}

/** A private file was created but writing it failed (it has been removed again); `cause` is the fs error. */
export class PrivateFileWriteError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'PrivateFileWriteError'
  }
}
