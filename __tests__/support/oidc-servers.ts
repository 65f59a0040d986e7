/**
 * Stand-ins for the OIDC parties of a secretless run, for end-to-end tests:
 *
 * - GitHub's ID token service: serves ACTIONS_ID_TOKEN_REQUEST_URL, demands the request token
 *   (ACTIONS_ID_TOKEN_REQUEST_TOKEN) as Bearer, and issues RS256 JWTs signed with a key made
 *   here, carrying GitHub's claims (iss, aud, sub, repository, exp);
 * - token exchanges shaped like JFrog Artifactory's (POST /access/api/v1/oidc/token, OAuth
 *   token exchange, `access_token` back; other paths pass on to the registry, as Artifactory
 *   serves both) and Cloudsmith's (POST /openid/<org>/, `{ oidc_token, service_slug }`,
 *   `token` back). Each verifies the JWT's signature, iss, aud and exp and an identity mapping
 *   before it hands out a real registry token, and answers refusals in its provider's format.
 */
import { createSign, createVerify, generateKeyPairSync } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import http from 'node:http'
import { listen } from './http-servers.js'

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com'

const b64url = (data: string | Buffer): string => Buffer.from(data).toString('base64url')

export interface GitHubOidc {
  /** ACTIONS_ID_TOKEN_REQUEST_URL (with a query, as GitHub's has, so `&audience=` can follow). */
  requestUrl: string
  /** ACTIONS_ID_TOKEN_REQUEST_TOKEN */
  requestToken: string
  publicKey: KeyObject
  /** Every ID token handed out, so tests can look for traces of them. */
  issued: string[]
  /** The audiences asked for, in order ('' when none). */
  audiences: string[]
  close(): Promise<void>
}

/** Starts GitHub's ID token service for a job of `repository`. */
export async function startGitHubOidc(repository: string, requestToken = 'canary-id-request-token-61f2'): Promise<GitHubOidc> {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const issued: string[] = []
  const audiences: string[] = []
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (req.headers.authorization !== `Bearer ${requestToken}`) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"bad request token"}')
      return
    }
    const audience = url.searchParams.get('audience') ?? ''
    audiences.push(audience)
    const now = Math.floor(Date.now() / 1000)
    const owner = repository.split('/')[0]
    const claims = {
      jti: `jti-${issued.length}`,
      sub: `repo:${repository}:ref:refs/heads/main`,
      aud: audience || `https://github.com/${owner}`,
      ref: 'refs/heads/main',
      repository,
      repository_owner: owner,
      iss: GITHUB_ISSUER,
      nbf: now - 5,
      iat: now - 5,
      exp: now + 300
    }
    const unsigned = `${b64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', kid: 'test-key' }))}.${b64url(JSON.stringify(claims))}`
    const signature = createSign('RSA-SHA256').update(unsigned).sign(privateKey)
    const jwt = `${unsigned}.${b64url(signature)}`
    issued.push(jwt)
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ count: 1, value: jwt }))
  })
  const { url, close } = await listen(server)
  return { requestUrl: `${url}_apis/distributedtask/token?api-version=2.0`, requestToken, publicKey, issued, audiences, close }
}

/** Verifies a JWT as a relying party does; returns its claims, or why it is refused. */
export function verifyJwt(jwt: string, publicKey: KeyObject, audience: string): { claims: Record<string, unknown> } | { refused: string } {
  const parts = jwt.split('.')
  if (parts.length !== 3) return { refused: 'the subject token is not a JWT' }
  const [header, payload, signature] = parts
  let alg: unknown
  let claims: Record<string, unknown>
  try {
    alg = (JSON.parse(Buffer.from(header, 'base64url').toString()) as { alg?: unknown }).alg
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>
  } catch {
    return { refused: 'the subject token is not a JWT' }
  }
  if (alg !== 'RS256') return { refused: 'unsupported signing algorithm' }
  if (!createVerify('RSA-SHA256').update(`${header}.${payload}`).verify(publicKey, Buffer.from(signature, 'base64url'))) {
    return { refused: 'token signature verification failed' }
  }
  if (claims.iss !== GITHUB_ISSUER) return { refused: `unexpected issuer ${String(claims.iss)}` }
  if (claims.aud !== audience) return { refused: `audience mismatch: the token is for "${String(claims.aud)}"` }
  if (typeof claims.exp !== 'number' || claims.exp <= Date.now() / 1000) return { refused: 'the token has expired' }
  return { claims }
}

export interface ExchangeOptions {
  publicKey: KeyObject
  /** The audience the integration expects. */
  audience: string
  /** The integration's name (Artifactory `provider_name`) or service slug (Cloudsmith `service_slug`). */
  name: string
  /** The identity mapping: claims the ID token must carry, as JFrog's claims JSON. */
  claims: Record<string, string>
  /** The registry token handed out. */
  token: () => string
  /** Answers that replace the exchange's own, by request number (for 5xx, broken bodies). */
  script?: (index: number) => { status: number; body: string } | undefined
}

export interface Exchange {
  /** Artifactory: the registry URL (its origin serves the exchange). Cloudsmith: the exchange URL. */
  url: string
  /** The JSON bodies it received. */
  requests: Record<string, unknown>[]
  close(): Promise<void>
}

/**
 * Artifactory's exchange on its own origin, with the npm registry behind it: requests outside
 * /access/ go on to the registry on `registryPort`.
 */
export function startArtifactoryExchange(options: ExchangeOptions, registryPort: () => number): Promise<Exchange> {
  return startExchange(
    options,
    '/access/api/v1/oidc/token',
    (body, verified) => {
      if (
        body.grant_type !== 'urn:ietf:params:oauth:grant-type:token-exchange' ||
        body.subject_token_type !== 'urn:ietf:params:oauth:token-type:id_token'
      ) {
        return {
          status: 400,
          body: JSON.stringify({ errors: [{ code: 'BAD_REQUEST', message: 'unsupported grant_type or subject_token_type' }] })
        }
      }
      if (body.provider_name !== options.name) {
        return {
          status: 401,
          body: JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: `OIDC provider '${String(body.provider_name)}' not found` }] })
        }
      }
      const refused = verified(body.subject_token)
      if (refused) return { status: 401, body: JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: refused }] }) }
      return {
        status: 200,
        body: JSON.stringify({
          access_token: options.token(),
          token_type: 'Bearer',
          expires_in: 3600,
          issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
          username: 'oidc-user'
        })
      }
    },
    registryPort
  )
}

/** Cloudsmith's exchange: POST /openid/<org>/ with `{ oidc_token, service_slug }`. */
export async function startCloudsmithExchange(options: ExchangeOptions, org: string): Promise<Exchange> {
  const exchange = await startExchange(options, `/openid/${org}/`, (body, verified) => {
    if (body.service_slug !== options.name) return { status: 401, body: JSON.stringify({ detail: 'Invalid service slug.' }) }
    const refused = verified(body.oidc_token)
    if (refused) return { status: 401, body: JSON.stringify({ detail: `Unable to authenticate: ${refused}.` }) }
    return { status: 200, body: JSON.stringify({ token: options.token() }) }
  })
  return { ...exchange, url: `${exchange.url}openid/${org}/` }
}

async function startExchange(
  options: ExchangeOptions,
  path: string,
  decide: (body: Record<string, unknown>, verified: (jwt: unknown) => string | undefined) => { status: number; body: string },
  registryPort?: () => number
): Promise<Exchange> {
  const requests: Record<string, unknown>[] = []
  const verified = (jwt: unknown): string | undefined => {
    if (typeof jwt !== 'string') return 'no subject token'
    const result = verifyJwt(jwt, options.publicKey, options.audience)
    if ('refused' in result) return result.refused
    const unmatched = Object.entries(options.claims).filter(([claim, value]) => result.claims[claim] !== value)
    return unmatched.length > 0 ? `no identity mapping matches the token's claims (${unmatched.map(([c]) => c).join(', ')})` : undefined
  }
  const server = http.createServer((req, res) => {
    if (req.url !== path && registryPort) {
      const upstream = http.request(
        { host: '127.0.0.1', port: registryPort(), method: req.method, path: req.url, headers: req.headers },
        answer => {
          res.writeHead(answer.statusCode ?? 502, answer.headers)
          answer.pipe(res)
        }
      )
      upstream.on('error', () => res.writeHead(502).end())
      req.pipe(upstream)
      return
    }
    let text = ''
    req.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk
    })
    req.on('end', () => {
      let body: Record<string, unknown> = {}
      try {
        body = JSON.parse(text) as Record<string, unknown>
      } catch {
        // An empty body is refused below like any other.
      }
      requests.push(body)
      const answer =
        req.method !== 'POST' || req.url !== path
          ? { status: 404, body: '{"detail":"Not found."}' }
          : (options.script?.(requests.length - 1) ?? decide(body, verified))
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body)
    })
  })
  const { url, close } = await listen(server)
  return { url, requests, close }
}
