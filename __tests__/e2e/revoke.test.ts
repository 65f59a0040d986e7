/**
 * End to end: the post step revokes the token its `login` minted, the way `npm logout` does
 * (DELETE <registry>/-/user/token/<token>), against a real Verdaccio behind a front that records
 * every request. Verdaccio answers that call with HTTP 200 and revokes nothing (its handler only
 * says "Logged out": verdaccio 6.8.0, src/api/endpoint/api/user.ts), so its tokens stay valid
 * after the job by design; these tests show both the call and that, with a request to whoami.
 */
import fs from 'node:fs'
import path from 'node:path'
import { leakedSecrets, makeRunnerDir, runAction, runPost } from '../support/action-runner.js'
import type { RunResult } from '../support/action-runner.js'
import { errorsOf, warningsOf } from '../support/annotations.js'
import { startFront } from '../support/http-servers.js'
import type { Front } from '../support/http-servers.js'
import { startRegistryFixture } from '../support/verdaccio.js'
import type { RegistryFixture } from '../support/verdaccio.js'

const FAST = { UPM_AUTH_NETWORK_TIMEOUT_MS: '2000', UPM_AUTH_NETWORK_BACKOFF_MS: '50' }

let f: RegistryFixture
let front: Front
let noRevoke: Front

beforeAll(async () => {
  let port = 0
  front = await startFront({ targetPort: () => port })
  noRevoke = await startFront({ targetPort: () => port, missing: /^\/-\/user\/token\// })
  f = await startRegistryFixture()
  port = f.registry.port
}, 90_000)

afterAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
  await Promise.all([f?.registry.stop(), front?.close(), noRevoke?.close()])
})

function logIn(url: string, inputs: Record<string, string> = {}, dir?: string): Promise<RunResult> {
  return runAction({
    dir,
    inputs: { 'registry-url': url, username: f.basicUser.name, password: f.basicUser.password, login: 'true', ...inputs },
    env: FAST
  })
}

/** The token the main step wrote for `url` (the file is gone after cleanup: read it before). */
function writtenToken(result: RunResult, file = path.join(result.home, '.upmconfig.toml')): string {
  const token = /^token = "(.+)"$/m.exec(fs.readFileSync(file, 'utf8'))?.[1]
  if (!token) throw new Error('no token in the file')
  return token
}

/** Whether the registry still takes the token: whoami with it, straight to Verdaccio. */
async function whoami(token: string): Promise<{ status: number; username?: string }> {
  const response = await fetch(`${f.registry.url}-/whoami`, { headers: { authorization: `Bearer ${token}` } })
  return { status: response.status, ...((await response.json()) as { username?: string }) }
}

const deletes = (seen: Front['seen'], from: number): Front['seen'] => seen.slice(from).filter(r => r.method === 'DELETE')

test("the post step sends npm logout's DELETE for the token login minted; Verdaccio answers 200 and keeps the token valid", async () => {
  const main = await logIn(front.url)
  expect(errorsOf(main)).toEqual([])
  const token = writtenToken(main)
  expect(await whoami(token)).toEqual({ status: 200, username: f.basicUser.name })
  const before = front.seen.length

  const post = await runPost(main, { env: { RUNNER_DEBUG: '1' } })

  expect(post.code).toBe(0)
  expect(deletes(front.seen, before)).toEqual([{ method: 'DELETE', path: `/-/user/token/${encodeURIComponent(token)}`, authorized: true }])
  expect(post.stdout).toContain(
    `${front.url} accepted the revocation of the token \`login\` minted for this job (DELETE /-/user/token/***: HTTP 200).`
  )
  expect(warningsOf(post)).toEqual([])
  // Verdaccio's design: the call revokes nothing (a legacy token is the user and password
  // encrypted with the server's secret; a JWT lasts until it expires).
  expect(await whoami(token)).toEqual({ status: 200, username: f.basicUser.name })
  // The runner learns the token again first; nothing else shows it, and state holds only a path.
  expect(post.stdout).toContain(`::add-mask::${token}`)
  expect(leakedSecrets(main, [token, f.basicUser.password])).toEqual([])
  expect(leakedSecrets(post, [token, f.basicUser.password])).toEqual([])
  expect(Object.values(main.state).join('\n')).not.toContain(token)
  expect(fs.readdirSync(main.runnerTemp).filter(name => name.startsWith('upm-auth-minted-'))).toEqual([])
})

test('a registry without the endpoint: a warning naming it, and the job does not fail', async () => {
  const main = await logIn(noRevoke.url)
  const token = writtenToken(main)
  const post = await runPost(main)

  expect(post.code).toBe(0)
  expect(warningsOf(post)).toEqual([
    `Could not revoke the token \`login\` minted for ${noRevoke.url}: DELETE /-/user/token/*** answered HTTP 404. It stays valid until it expires or is revoked on the registry.`
  ])
  expect(leakedSecrets(post, [token])).toEqual([])
})

test('a token minted before the step failed is revoked all the same', async () => {
  const before = front.seen.length
  // Two registries: the login to the first works, the second refuses; the step fails and writes nothing.
  const main = await runAction({
    inputs: {
      login: 'true',
      registries: [
        `[npmAuth."${front.url}"]`,
        `username = "${f.basicUser.name}"`,
        `password = "${f.basicUser.password}"`,
        `[npmAuth."${noRevoke.url}"]`,
        `username = "${f.basicUser.name}"`,
        'password = "canary-wrong-password-6d1a"'
      ].join('\n')
    },
    env: FAST
  })
  expect(main.code).toBe(1)
  expect(fs.existsSync(path.join(main.home, '.upmconfig.toml'))).toBe(false)
  const minted = front.seen.slice(before).filter(r => r.method === 'PUT')
  expect(minted).toHaveLength(1)

  const post = await runPost(main)

  expect(post.code).toBe(0)
  const revoked = deletes(front.seen, before)
  expect(revoked.map(r => [r.method, r.authorized])).toEqual([['DELETE', true]])
  expect(revoked[0].path).toMatch(/^\/-\/user\/token\/.+/)
})

test('location: job revokes too; cleanup: false keeps the token valid after the job, as it keeps the entries', async () => {
  const beforeJob = front.seen.length
  const job = await logIn(front.url, { location: 'job' })
  expect(job.code).toBe(0)
  await runPost(job)
  expect(deletes(front.seen, beforeJob)).toHaveLength(1)

  const beforeKept = front.seen.length
  const kept = await logIn(front.url, { cleanup: 'false' })
  expect(kept.code).toBe(0)
  expect(kept.state).toEqual({})
  const post = await runPost(kept)
  expect(post.code).toBe(0)
  expect(deletes(front.seen, beforeKept)).toEqual([])
  expect(fs.readFileSync(path.join(kept.home, '.upmconfig.toml'), 'utf8')).toContain(writtenToken(kept))
})

test('two jobs sharing a home: a token another live job still uses is not revoked', async () => {
  const dir = makeRunnerDir()
  const a = await logIn(front.url, {}, dir)
  const token = writtenToken(a)
  // Job B (another runner instance, same home) writes the same token for another registry URL.
  const dirB = makeRunnerDir()
  const homeFile = path.join(dir, 'home', '.upmconfig.toml')
  const b = await runAction({
    dir: dirB,
    inputs: { registries: `[npmAuth."${noRevoke.url}"]\ntoken = "${token}"\n`, 'config-file': homeFile },
    env: FAST
  })
  expect(errorsOf(b)).toEqual([])
  const before = front.seen.length

  const postA = await runPost(a)

  expect(postA.code).toBe(0)
  expect(deletes(front.seen, before)).toEqual([])
  expect(postA.stdout).toContain(
    `The token \`login\` minted for ${front.url} is not revoked: after this job's cleanup, ${homeFile} or its ledger still holds it`
  )
  // B's entry is still in the file, and still works.
  expect(fs.readFileSync(homeFile, 'utf8')).toContain(token)
})
