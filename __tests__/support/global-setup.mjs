// Every temporary folder the tests make (run folders with test credentials, Verdaccio storage,
// config files) goes under one root, removed when the run ends, whether tests passed or not.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export default function globalSetup() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'upm-auth-tests-'))
  // Some tests run the action as another user (nobody), who must be able to enter it.
  fs.chmodSync(root, 0o755)
  process.env.UPM_AUTH_TEST_ROOT = root
  process.env.TMPDIR = root
  process.env.TMP = root
  process.env.TEMP = root
}
