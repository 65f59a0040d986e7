/**
 * Small HTTP servers for tests. In front of a real Verdaccio (end-to-end tests):
 *
 * - a front on a second port that passes requests on to the registry (a second origin for
 *   tarballs, a registry with some endpoints missing, or the registry over https with the
 *   test-only certificate in `TEST_TLS`), recording what it saw;
 * - a forward proxy (CONNECT and absolute-form requests) that sends every host to 127.0.0.1,
 *   as a corporate proxy would route the runner's traffic, and may demand credentials;
 * - a silent server that accepts connections and never answers, like a registry that hangs.
 *
 * For unit tests of the network code: a scripted server that answers each request as a
 * function says, for answers Verdaccio never gives (a registry that answers 503, redirects,
 * or lacks endpoints the way Azure Artifacts does).
 */
import fs from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import net from 'node:net'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'

const TLS_FIXTURES = fileURLToPath(new URL('../fixtures/tls/', import.meta.url))

/**
 * A test-only CA and a certificate it signed for `registry.test`, `localhost`, 127.0.0.1 and ::1,
 * valid 2020 to 2125 (see __tests__/fixtures/tls/README.md). A process trusts the CA through
 * `NODE_EXTRA_CA_CERTS: TEST_TLS.caFile`, as a runner trusts a company's private CA.
 */
export const TEST_TLS = {
  caFile: `${TLS_FIXTURES}test-only-ca.pem`,
  cert: (): Buffer => fs.readFileSync(`${TLS_FIXTURES}test-only-registry.pem`),
  key: (): Buffer => fs.readFileSync(`${TLS_FIXTURES}test-only-registry-key.pem`)
}

export interface SeenRequest {
  method: string
  path: string
  /** Whether the request carried an Authorization header (never its value). */
  authorized: boolean
}

export interface Front extends Listening {
  seen: SeenRequest[]
}

export interface FrontOptions {
  /** The registry's port; a function, so the front can be started before the registry. */
  targetPort: () => number
  /** Paths answered with 404, as by a registry that lacks those endpoints. */
  missing?: RegExp
  /** Serve https with this key and certificate (TLS ends here; the registry behind is plain http). */
  tls?: { key: Buffer; cert: Buffer }
}

/** Starts a reverse front on 127.0.0.1 and a free port. */
export async function startFront(options: FrontOptions): Promise<Front> {
  const seen: SeenRequest[] = []
  const handle: http.RequestListener = (req, res) => {
    const path = req.url ?? '/'
    seen.push({ method: req.method ?? 'GET', path, authorized: req.headers.authorization !== undefined })
    if (options.missing?.test(path)) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}')
      return
    }
    const upstream = http.request(
      { host: '127.0.0.1', port: options.targetPort(), method: req.method, path, headers: req.headers },
      answer => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      }
    )
    upstream.on('error', () => res.writeHead(502).end())
    req.pipe(upstream)
  }
  return { ...(await listen(options.tls ? https.createServer(options.tls, handle) : http.createServer(handle))), seen }
}

export interface ForwardProxyOptions {
  /** Credentials the proxy demands in `Proxy-Authorization` (Basic); others get HTTP 407. */
  credentials?: { user: string; password: string }
}

export interface ForwardProxy extends Front {
  /** `host:port` of every tunnel or request it carried. */
  targets: string[]
  /** Every CONNECT it was asked for, with the status it answered (200: tunnel open). */
  connects: { target: string; status: number }[]
}

/** Starts a forward proxy on 127.0.0.1 that connects every target host name to 127.0.0.1. */
export async function startForwardProxy(options: ForwardProxyOptions = {}): Promise<ForwardProxy> {
  const targets: string[] = []
  const connects: ForwardProxy['connects'] = []
  const expected =
    options.credentials && `Basic ${Buffer.from(`${options.credentials.user}:${options.credentials.password}`).toString('base64')}`
  const authorized = (req: http.IncomingMessage): boolean => expected === undefined || req.headers['proxy-authorization'] === expected
  const server = http.createServer((req, res) => {
    if (!authorized(req)) {
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test proxy"' }).end()
      return
    }
    // Absolute-form request: GET http://host:port/path
    const target = new URL(req.url ?? '')
    targets.push(target.host)
    const upstream = http.request(
      {
        host: '127.0.0.1',
        port: Number(target.port || 80),
        method: req.method,
        path: target.pathname + target.search,
        headers: req.headers
      },
      answer => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      }
    )
    upstream.on('error', () => res.writeHead(502).end())
    req.pipe(upstream)
  })
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const target = req.url ?? ''
    client.on('error', () => undefined)
    if (!authorized(req)) {
      connects.push({ target, status: 407 })
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test proxy"\r\n\r\n')
      return
    }
    targets.push(target)
    const port = Number(target.slice(target.lastIndexOf(':') + 1))
    const upstream = net.connect(port, '127.0.0.1', () => {
      connects.push({ target, status: 200 })
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
      // The tunnel ends with either side, so closing the proxy leaves no socket open.
      upstream.on('close', () => client.destroy())
    })
    upstream.on('error', () => {
      connects.push({ target, status: 502 })
      client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n')
    })
    client.on('close', () => upstream.destroy())
  })
  return { ...(await listen(server)), seen: [], targets, connects }
}

export interface RecordedRequest {
  method: string
  path: string
  headers: http.IncomingHttpHeaders
  body: string
}

export interface ScriptedAnswer {
  status: number
  body?: string
  headers?: Record<string, string>
}

/** Starts a server on 127.0.0.1 that answers each request with `answer(request, index)`. */
export async function startScriptedServer(
  answer: (request: RecordedRequest, index: number) => ScriptedAnswer
): Promise<{ url: string; requests: RecordedRequest[]; close(): Promise<void> }> {
  const requests: RecordedRequest[] = []
  const server = http.createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8').on('data', (chunk: string) => {
      body += chunk
    })
    req.on('end', () => {
      const request = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body }
      requests.push(request)
      const reply = answer(request, requests.length - 1)
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers }).end(reply.body ?? '')
    })
  })
  const front = await listen(server)
  return { url: front.url, requests, close: front.close }
}

/**
 * Starts a server that accepts connections and never answers (a hung registry, or as a proxy,
 * one that never answers CONNECT). `open()` counts the connections the client has not closed.
 */
export async function startSilentServer(): Promise<{ url: string; port: number; open(): number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>()
  const server = net.createServer(socket => {
    sockets.add(socket)
    socket.on('error', () => undefined)
    socket.on('close', () => sockets.delete(socket))
    // Reads (and drops) what arrives, so the client's close is seen; a paused socket never sees it.
    socket.resume()
  })
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    open: () => sockets.size,
    close: () =>
      new Promise<void>(resolve => {
        for (const socket of sockets) socket.destroy()
        server.close(() => {
          resolve()
        })
      })
  }
}

/**
 * Starts a server on 127.0.0.1 that answers every request with HTTP 200 and a body that does not
 * end (no content-length, chunks as fast as the client reads), as a hostile or broken registry
 * might. It stops by itself after `maxBytes` (64 MiB by default), so a test stays bounded even if
 * the client reads everything. `sent()` is the bytes written so far.
 */
export async function startEndlessServer(maxBytes = 64 * 1024 * 1024): Promise<{ url: string; sent(): number; close(): Promise<void> }> {
  let sent = 0
  const chunk = Buffer.alloc(64 * 1024, 0x20)
  const server = http.createServer((req, res) => {
    req.resume()
    res.writeHead(200, { 'content-type': 'application/json' })
    res.write('{"username":"')
    const pump = (): void => {
      while (sent < maxBytes && !res.destroyed) {
        sent += chunk.length
        if (!res.write(chunk)) return void res.once('drain', pump)
      }
      res.end('"}')
    }
    pump()
  })
  const front = await listen(server)
  return { url: front.url, sent: () => sent, close: front.close }
}

/** A port nothing listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise<void>(resolve =>
    server.close(() => {
      resolve()
    })
  )
  return port
}

/** A server listening on 127.0.0.1 at a port the OS picked. */
export interface Listening {
  url: string
  port: number
  /** Ends open connections too, so a test never waits on a socket a client left open. */
  close: () => Promise<void>
}

/** Starts `server` on 127.0.0.1 at a free port, tracking its sockets so `close` ends them. */
export async function listen(server: http.Server | https.Server): Promise<Listening> {
  const sockets = new Set<net.Socket>()
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `${server instanceof https.Server ? 'https' : 'http'}://127.0.0.1:${port}/`,
    port,
    close: () =>
      new Promise<void>(resolve => {
        for (const socket of sockets) socket.destroy()
        server.close(() => {
          resolve()
        })
      })
  }
}
