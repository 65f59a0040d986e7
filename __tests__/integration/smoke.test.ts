import fs from 'node:fs'
import path from 'node:path'
import { runAction } from '../support/action-runner.js'

test('writes a token entry into the home config', async () => {
  const result = await runAction({ inputs: { 'registry-url': 'https://upm.example.com/npm/', token: 'abc' } })
  expect(result.code).toBe(0)
  const text = fs.readFileSync(path.join(result.home, '.upmconfig.toml'), 'utf8')
  expect(text).toContain('token = "abc"')
})
