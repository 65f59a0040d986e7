'use strict';

Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });

const main = require('./main.js');
require('os');
require('crypto');
require('fs');
require('node:path');
require('node:fs');
require('node:crypto');
require('node:os');
require('node:timers/promises');

const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
const SURELY_UNSENT_CODES = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
function surelyUnsent(error) {
    const chain = causeChain(error);
    if (chain.some(e => typeof e.message === 'string' && TUNNEL_REFUSED.test(e.message)))
        return true;
    return chain.some(e => typeof e.code === 'string' && SURELY_UNSENT_CODES.has(e.code));
}
const TRANSIENT_CODES = new Set([
    'ECONNREFUSED',
    'ECONNRESET',
    'EPIPE',
    'ETIMEDOUT',
    'EAI_AGAIN',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'UND_ERR_CONNECT_TIMEOUT',
    'UND_ERR_HEADERS_TIMEOUT',
    'UND_ERR_BODY_TIMEOUT',
    'UND_ERR_SOCKET',
    'UND_ERR_CLOSED'
]);
const CODE_TEXT = {
    ECONNREFUSED: 'the connection was refused (nothing listens at that address and port)',
    ECONNRESET: 'the connection was reset',
    EPIPE: 'the connection was closed while sending',
    ETIMEDOUT: 'the connection timed out',
    EAI_AGAIN: 'the host name could not be resolved right now (DNS)',
    ENOTFOUND: 'the host name does not resolve (DNS)',
    EHOSTUNREACH: 'the host is unreachable',
    ENETUNREACH: 'the network is unreachable',
    UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
    UND_ERR_SOCKET: 'the connection failed',
    UND_ERR_CLOSED: 'the connection was closed',
    CERT_HAS_EXPIRED: 'its TLS certificate has expired',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed and not trusted (add the CA with NODE_EXTRA_CA_CERTS)',
    SELF_SIGNED_CERT_IN_CHAIN: 'its TLS certificate chain is not trusted (add the CA with NODE_EXTRA_CA_CERTS)',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate is not trusted (add the CA with NODE_EXTRA_CA_CERTS)',
    UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its TLS certificate is not trusted (add the CA with NODE_EXTRA_CA_CERTS)',
    ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate does not name this host'
};
const TUNNEL_REFUSED = /^Proxy response \((\d{3})\) !== 200 when HTTP Tunneling$/;
function describeNetworkError(error, timeoutMs) {
    const chain = causeChain(error);
    if (chain.some(e => e.name === 'TimeoutError')) {
        return { text: `it did not answer within ${timeoutMs / 1000} s`, transient: true };
    }
    const tunnel = chain.map(e => (typeof e.message === 'string' ? TUNNEL_REFUSED.exec(e.message) : null)).find(match => match !== null);
    if (tunnel) {
        const status = Number(tunnel[1]);
        const hint = status === 407 ? ' Proxy Authentication Required: check the user name and password in the proxy URL' : '';
        return { text: `the tunnel was refused (CONNECT answered HTTP ${status}${hint})`, transient: RETRY_STATUSES.has(status) };
    }
    const codes = chain
        .map(e => e.code)
        .filter((code) => typeof code === 'string')
        .reverse();
    const known = codes.find(c => CODE_TEXT[c] !== undefined);
    const code = known ?? codes.at(0);
    if (code !== undefined)
        return { text: CODE_TEXT[code] ?? `the request failed (${code})`, transient: TRANSIENT_CODES.has(code) };
    const name = chain.at(-1)?.name;
    return { text: `the request failed (${typeof name === 'string' ? name : 'unknown error'})`, transient: true };
}
function causeChain(error) {
    const chain = [];
    for (let e = error; typeof e === 'object' && e !== null && chain.length < 5;) {
        const link = e;
        chain.push(link);
        e = link.cause;
    }
    return chain;
}

async function fetchFor(url) {
    const env = process.env;
    const direct = { send: fetch, close: () => Promise.resolve() };
    if (!(env.https_proxy || env.HTTPS_PROXY || env.http_proxy || env.HTTP_PROXY))
        return direct;
    const { getProxyUrl } = await Promise.resolve().then(() => require('./http-client.js')).then(n => n.index);
    const { checkBypass } = await Promise.resolve().then(() => require('./http-client.js')).then(n => n.proxy);
    const variable = proxyVariable(url, env);
    const proxyUrl = getProxyUrl(url);
    if (!proxyUrl) {
        if (variable !== undefined && !checkBypass(new URL(url)) && !parsesAsProxy(variable.value)) {
            throw new Error(`${variable.name.toUpperCase()} (or its lower-case form) is not a valid URL, so ${url} cannot be reached through it. ` +
                'Write the proxy as http://host:port, with a user name and password percent-encoded (a "/" in a password as %2F).');
        }
        return direct;
    }
    const { protocol } = new URL(proxyUrl);
    if (protocol !== 'http:' && protocol !== 'https:') {
        throw new Error(`${(variable?.name ?? 'HTTPS_PROXY').toUpperCase()} (or its lower-case form) is not an http:// or https:// URL, so ${url} cannot be reached through it. ` +
            'Write the proxy with its scheme, for example http://proxy.example.com:3128.');
    }
    const undici = await Promise.resolve().then(() => require('./undici.js')).then(n => n.index);
    const dispatcher = new undici.ProxyAgent(proxyUrl);
    return {
        send: (target, init) => undici.fetch(target, { ...init, dispatcher }),
        proxy: new URL(proxyUrl).host,
        close: () => dispatcher.destroy().catch(() => undefined)
    };
}
function parsesAsProxy(value) {
    if (URL.canParse(value))
        return true;
    return !/^https?:\/\//.test(value) && URL.canParse(`http://${value}`);
}
function proxyVariable(url, env) {
    const names = new URL(url).protocol === 'https:' ? ['https_proxy', 'HTTPS_PROXY'] : ['http_proxy', 'HTTP_PROXY'];
    const name = names.find(n => env[n]);
    return name === undefined ? undefined : { name, value: env[name] };
}

const DEFAULT_NETWORK = { timeoutMs: 10_000, attempts: 3, backoffMs: 1_000 };
const DEFAULT_DEADLINE_MS = 45_000;
const MAX_BODY_BYTES = 1024 * 1024;
let stepDeadline;
function networkOptionsFromEnv(env) {
    const positive = (value, fallback) => value !== undefined && /^\d+$/.test(value) && Number(value) > 0 ? Number(value) : fallback;
    if (stepDeadline === undefined) {
        const ms = positive(env.UPM_AUTH_NETWORK_DEADLINE_MS, DEFAULT_DEADLINE_MS);
        stepDeadline = { at: Date.now() + ms, ms };
    }
    return {
        ...DEFAULT_NETWORK,
        timeoutMs: positive(env.UPM_AUTH_NETWORK_TIMEOUT_MS, DEFAULT_NETWORK.timeoutMs),
        backoffMs: positive(env.UPM_AUTH_NETWORK_BACKOFF_MS, DEFAULT_NETWORK.backoffMs),
        deadlineAt: stepDeadline.at,
        deadlineMs: stepDeadline.ms,
        maxBodyBytes: MAX_BODY_BYTES
    };
}
function authorizationHeader(entry) {
    if (entry.token !== undefined)
        return `Bearer ${entry.token}`;
    if (entry._auth !== undefined)
        return `Basic ${entry._auth}`;
    throw new Error('An npmAuth entry has neither `token` nor `_auth`.');
}
function registryEndpoint(registryUrl, path) {
    return registryUrl.replace(/\/+$/, '') + path;
}
function isSendableHeaderValue(value) {
    return /^[\t\x20-\x7e\x80-\xff]*$/.test(value);
}
async function registryRequest(url, request, options) {
    for (const [name, value] of Object.entries(request.headers))
        if (!isSendableHeaderValue(value))
            throw new main.HeaderValueError(name);
    const idempotent = request.idempotent ?? request.method === 'GET';
    const maxBody = options.maxBodyBytes ?? MAX_BODY_BYTES;
    const { send, proxy, close } = await fetchFor(url);
    const via = proxy ? `through the proxy ${proxy}, ` : '';
    let failure = '';
    let httpStatus;
    try {
        for (let attempt = 1; attempt <= options.attempts; attempt++) {
            if (attempt > 1) {
                const pause = options.backoffMs * 2 ** (attempt - 2);
                if (options.deadlineAt !== undefined && Date.now() + pause >= options.deadlineAt) {
                    throw new main.UnreachableError(`${failure} (attempt ${attempt - 1} of ${options.attempts}; ${deadlineText(options)})`, httpStatus);
                }
                await sleep(pause);
            }
            let retry;
            const overall = options.deadlineAt === undefined ? undefined : options.deadlineAt - Date.now();
            if (overall !== undefined && overall <= 0)
                throw new main.UnreachableError(`${via}${deadlineText(options)}`);
            const signals = [AbortSignal.timeout(options.timeoutMs)];
            if (overall !== undefined && overall < options.timeoutMs)
                signals.push(deadlineSignal(overall));
            const signal = signals.length === 1 ? signals[0] : AbortSignal.any(signals);
            try {
                const response = await send(url, {
                    method: request.method,
                    headers: { 'user-agent': 'upm-auth', accept: 'application/json', ...request.headers },
                    body: request.body,
                    redirect: 'manual',
                    signal
                });
                const text = request.readBody === false ? await discardBody(response) : await readBody(response, maxBody);
                if (!RETRY_STATUSES.has(response.status))
                    return { status: response.status, headers: response.headers, text };
                failure = `${via}it answered HTTP ${response.status}`;
                httpStatus = response.status;
                retry = idempotent || response.status === 429;
            }
            catch (error) {
                if (error instanceof main.UnreachableError)
                    throw error;
                const reason = isDeadline(error)
                    ? { text: deadlineText(options), transient: false }
                    : describeNetworkError(error, options.timeoutMs);
                failure = via + reason.text;
                httpStatus = undefined;
                retry = reason.transient && (idempotent || surelyUnsent(error));
            }
            if (!retry) {
                throw new main.UnreachableError(`${failure}${attempt > 1 ? ` (attempt ${attempt} of ${options.attempts})` : ''}`, httpStatus);
            }
        }
        throw new main.UnreachableError(options.attempts > 1 ? `${failure} (${options.attempts} attempts)` : failure, httpStatus);
    }
    finally {
        await close();
    }
}
class DeadlineError extends Error {
    constructor() {
        super('network deadline');
        this.name = 'DeadlineError';
    }
}
function deadlineSignal(ms) {
    const controller = new AbortController();
    setTimeout(() => {
        controller.abort(new DeadlineError());
    }, ms).unref();
    return controller.signal;
}
function isDeadline(error) {
    return causeChain(error).some(e => e instanceof DeadlineError);
}
function deadlineText(options) {
    const within = options.deadlineMs === undefined ? '' : ` (all registry requests of a step must end within ${options.deadlineMs / 1000} s)`;
    return `the step's network deadline ran out${within}`;
}
async function readBody(response, limit) {
    const tooLarge = () => new main.UnreachableError(`its answer (HTTP ${response.status}) is larger than ${formatBytes(limit)}, the most a registry answer to this request may have`, response.status);
    const declared = Number(response.headers.get('content-length') ?? '');
    if (Number.isFinite(declared) && declared > limit) {
        await response.body?.cancel().catch(() => undefined);
        throw tooLarge();
    }
    if (!response.body)
        return '';
    const reader = response.body.getReader();
    const chunks = [];
    let size = 0;
    for (;;) {
        const { done, value } = await reader.read();
        if (done)
            break;
        size += value.byteLength;
        if (size > limit) {
            await reader.cancel().catch(() => undefined);
            throw tooLarge();
        }
        chunks.push(value);
    }
    return Buffer.concat(chunks).toString('utf8');
}
async function discardBody(response) {
    await response.body?.cancel().catch(() => undefined);
    return '';
}
function formatBytes(bytes) {
    return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}
function sleep(ms) {
    return new Promise(resolve => setTimeout(resolve, ms));
}

exports.DEFAULT_DEADLINE_MS = DEFAULT_DEADLINE_MS;
exports.DEFAULT_NETWORK = DEFAULT_NETWORK;
exports.MAX_BODY_BYTES = MAX_BODY_BYTES;
exports.authorizationHeader = authorizationHeader;
exports.isSendableHeaderValue = isSendableHeaderValue;
exports.networkOptionsFromEnv = networkOptionsFromEnv;
exports.registryEndpoint = registryEndpoint;
exports.registryRequest = registryRequest;
