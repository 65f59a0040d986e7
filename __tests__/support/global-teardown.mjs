import fs from 'node:fs'

export default function globalTeardown() {
  const root = process.env.UPM_AUTH_TEST_ROOT
  if (root) fs.rmSync(root, { recursive: true, force: true })
}
