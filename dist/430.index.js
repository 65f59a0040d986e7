export const id = 430;
export const ids = [430,941];
export const modules = {

/***/ 2430:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   loginEntries: () => (/* binding */ loginEntries)
/* harmony export */ });
/* unused harmony exports loginEntry, decodeBasicAuth, tokenOf, loginFailure */
/* harmony import */ var _registry_http_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2941);

/**
 * Logs in for every entry that has `username` + `password` and returns the entries with those
 * turned into token entries; the others are returned as they are. Every registry is tried; the
 * error lists each one that failed.
 */
async function loginEntries(entries, options) {
    if (!entries.some(e => e.form === 'username+password')) {
        throw new Error('Input `login` is true, but no registry has `username` + `password` to log in with. Set them (for `registry-url`, ' +
            'or in a `registries` table), or set `login: false`.');
    }
    const settled = await Promise.allSettled(entries.map(e => (e.form === 'username+password' ? loginEntry(e, options) : e)));
    const failures = settled.flatMap(s => (s.status === 'rejected' ? [s.reason.message] : []));
    if (failures.length > 0)
        throw new Error(failures.join(' '));
    return settled.map(s => s.value);
}
/** Logs in for one username + password entry and returns its token entry. */
async function loginEntry(entry, options) {
    if (entry._auth === undefined)
        throw new Error(`The entry for ${entry.url} has no user name and password to log in with.`);
    const { user, password } = decodeBasicAuth(entry._auth);
    const body = JSON.stringify({ _id: `org.couchdb.user:${user}`, name: user, password, type: 'user', roles: [], date: new Date().toISOString() });
    let response;
    try {
        // npm sends the Basic header only on its second attempt, after a 409; sending it at once
        // lets the registry authenticate the existing user in one request (Verdaccio answers the
        // bare first attempt for an existing user with 409).
        response = await (0,_registry_http_js__WEBPACK_IMPORTED_MODULE_0__/* .registryRequest */ .zy)((0,_registry_http_js__WEBPACK_IMPORTED_MODULE_0__/* .registryEndpoint */ .Fh)(entry.url, `/-/user/org.couchdb.user:${encodeURIComponent(user)}`), { method: 'PUT', headers: { authorization: `Basic ${entry._auth}`, 'content-type': 'application/json' }, body }, options.network);
    }
    catch (error) {
        if (error instanceof _registry_http_js__WEBPACK_IMPORTED_MODULE_0__/* .UnreachableError */ .Jk)
            throw new Error(`\`login\` cannot reach ${entry.url}: ${error.message}.`);
        throw error;
    }
    const token = response.status >= 200 && response.status < 300 ? tokenOf(response.text) : undefined;
    if (token === undefined)
        throw new Error(loginFailure(entry.url, user, response));
    // The token is a new secret: the runner must know it before any line can show it.
    options.mask([token]);
    const loggedIn = { url: entry.url, token, alwaysAuth: entry.alwaysAuth, form: 'login' };
    if (entry.email !== undefined)
        loggedIn.email = entry.email;
    return loggedIn;
}
/** Splits an `_auth` value (base64 of `user:password`; the user has no colon) into its parts. */
function decodeBasicAuth(auth) {
    const decoded = Buffer.from(auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
/** The token of a login answer, when it holds one Unity can send in a header. */
function tokenOf(body) {
    let parsed;
    try {
        parsed = JSON.parse(body);
    }
    catch {
        return undefined;
    }
    const token = parsed?.token;
    return typeof token === 'string' && /^[\x21-\x7e]+$/.test(token) ? token : undefined;
}
/** Why a login failed, from the status npm clients know, with what to do. Never quotes the answer. */
function loginFailure(url, user, response) {
    const { status } = response;
    const useToken = 'Create an access token on the registry and pass it as `token`, or set `login: false` to write `username` + `password` as Basic auth.';
    if (status >= 200 && status < 300) {
        return `\`login\` to ${url}: the registry answered HTTP ${status} without a token, so it does not hand out tokens this way. ${useToken}`;
    }
    if (status === 401 && /otp/i.test(response.headers.get('www-authenticate') ?? '')) {
        return `\`login\` to ${url} as ${user}: the registry asks for a one-time password (two-factor authentication, HTTP 401), which a workflow cannot give. ${useToken}`;
    }
    if (status === 401) {
        return `\`login\` to ${url} as ${user}: the registry rejected the user name or password (HTTP 401). Check the \`username\` and \`password\` secrets.`;
    }
    if (status === 409) {
        return (`\`login\` to ${url} as ${user}: the registry refused (HTTP 409, which npm-style registries answer when the user exists ` +
            'and the password does not match). Check the `password` secret.');
    }
    if (status === 400) {
        return `\`login\` to ${url} as ${user}: the registry refused (HTTP 400, which npm reads as "there is no user with this name"). Check the \`username\` secret.`;
    }
    if (status === 403) {
        return `\`login\` to ${url} as ${user}: the registry forbids it (HTTP 403): the account may be locked or not allowed to log in this way. ${useToken}`;
    }
    if (status === 404 || status === 405 || status === 501 || (status >= 300 && status < 400)) {
        return `\`login\` to ${url}: the registry does not support npm's login (PUT /-/user/org.couchdb.user:NAME answered HTTP ${status}). ${useToken}`;
    }
    return `\`login\` to ${url} as ${user}: the registry refused (HTTP ${status}). ${useToken}`;
}


/***/ }),

/***/ 2941:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Fh: () => (/* binding */ registryEndpoint),
/* harmony export */   Jk: () => (/* binding */ UnreachableError),
/* harmony export */   bc: () => (/* binding */ authorizationHeader),
/* harmony export */   networkOptionsFromEnv: () => (/* binding */ networkOptionsFromEnv),
/* harmony export */   zy: () => (/* binding */ registryRequest)
/* harmony export */ });
/* unused harmony exports DEFAULT_NETWORK, describeNetworkError */
/** A registry that does not answer is given up after at most 3 x 10 s plus 1 s + 2 s of pauses. */
const DEFAULT_NETWORK = { timeoutMs: 10_000, attempts: 3, backoffMs: 1_000 };
/**
 * The network settings, with two internal knobs that let tests finish in milliseconds:
 * `UPM_AUTH_NETWORK_TIMEOUT_MS` (per attempt) and `UPM_AUTH_NETWORK_BACKOFF_MS` (first pause).
 * They are not inputs: users never need them. Values that are not positive integers are ignored.
 */
function networkOptionsFromEnv(env) {
    const positive = (value, fallback) => value !== undefined && /^\d+$/.test(value) && Number(value) > 0 ? Number(value) : fallback;
    return {
        ...DEFAULT_NETWORK,
        timeoutMs: positive(env.UPM_AUTH_NETWORK_TIMEOUT_MS, DEFAULT_NETWORK.timeoutMs),
        backoffMs: positive(env.UPM_AUTH_NETWORK_BACKOFF_MS, DEFAULT_NETWORK.backoffMs)
    };
}
/** The `Authorization` header Unity sends for an entry: Bearer for `token`, Basic for `_auth`. */
function authorizationHeader(entry) {
    if (entry.token !== undefined)
        return `Bearer ${entry.token}`;
    if (entry._auth !== undefined)
        return `Basic ${entry._auth}`;
    throw new Error('An npmAuth entry has neither `token` nor `_auth`.');
}
/**
 * An endpoint below the registry URL. npm clients join `/-/...` to the registry URL whether or
 * not it ends with a slash, so `https://host/npm` and `https://host/npm/` give the same endpoint.
 */
function registryEndpoint(registryUrl, path) {
    return registryUrl.replace(/\/+$/, '') + path;
}
/** A registry could not be reached, or kept failing (5xx, 429) on every attempt. */
class UnreachableError extends Error {
    httpStatus;
    constructor(message, 
    /** The last HTTP status, when the registry answered at all. */
    httpStatus) {
        super(message);
        this.httpStatus = httpStatus;
        this.name = 'UnreachableError';
    }
}
/** Answers worth another attempt: the registry or a proxy in front of it is busy or failing. */
const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
/**
 * Sends one request to a registry, with a timeout per attempt and a few retries with backoff.
 * Redirects are not followed, so the credential never travels to another address.
 *
 * @throws UnreachableError when no attempt got a usable answer.
 */
async function registryRequest(url, request, options) {
    const { send, proxy } = await fetchFor(url);
    const via = proxy ? ` through the proxy ${proxy}` : '';
    let failure = '';
    let httpStatus;
    for (let attempt = 1; attempt <= options.attempts; attempt++) {
        if (attempt > 1)
            await sleep(options.backoffMs * 2 ** (attempt - 2));
        let retry;
        try {
            const response = await send(url, {
                method: request.method,
                headers: { 'user-agent': 'upm-auth', accept: 'application/json', ...request.headers },
                body: request.body,
                redirect: 'manual',
                signal: AbortSignal.timeout(options.timeoutMs)
            });
            const text = await response.text();
            if (!RETRY_STATUSES.has(response.status))
                return { status: response.status, headers: response.headers, text };
            failure = `it answered HTTP ${response.status}${via}`;
            httpStatus = response.status;
            retry = true;
        }
        catch (error) {
            const reason = describeNetworkError(error, options.timeoutMs);
            failure = reason.text + via;
            httpStatus = undefined;
            retry = reason.transient;
        }
        if (!retry) {
            throw new UnreachableError(`${failure}${attempt > 1 ? ` (attempt ${attempt} of ${options.attempts})` : ''}`, httpStatus);
        }
    }
    throw new UnreachableError(`${failure} (${options.attempts} attempts)`, httpStatus);
}
/**
 * Node's own `fetch`, or, when the runner's proxy variables send this URL through a proxy,
 * undici's `fetch` with a `ProxyAgent`. The decision (HTTPS_PROXY / HTTP_PROXY, NO_PROXY with
 * host, domain-suffix and port entries, loopback always direct) is `@actions/http-client`'s, the
 * one every official action uses. undici's own `fetch` goes with its `ProxyAgent` because a
 * dispatcher is not guaranteed to work with the different undici copy inside Node's `fetch`.
 */
async function fetchFor(url) {
    const env = process.env;
    if (!(env.https_proxy || env.HTTPS_PROXY || env.http_proxy || env.HTTP_PROXY))
        return { send: fetch };
    const { getProxyUrl } = await Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 4942));
    const proxyUrl = getProxyUrl(url);
    if (!proxyUrl)
        return { send: fetch };
    const undici = await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 6752, 19));
    const dispatcher = new undici.ProxyAgent(proxyUrl);
    return {
        send: (target, init) => undici.fetch(target, { ...init, dispatcher }),
        // Only the host: the proxy URL may carry a password.
        proxy: new URL(proxyUrl).host
    };
}
function sleep(ms) {
    return new Promise(resolve => setTimeout(resolve, ms));
}
/** Error codes of failures that may pass on a second try. */
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
    ERR_TLS_CERT_ALTNAME_INVALID: "its TLS certificate does not name this host"
};
/**
 * Describes why a request failed, from error names and codes only: an error's own message may
 * quote a proxy URL with its password.
 */
function describeNetworkError(error, timeoutMs) {
    const err = error;
    if (err?.name === 'TimeoutError' || err?.cause?.name === 'TimeoutError') {
        return { text: `it did not answer within ${timeoutMs / 1000} s`, transient: true };
    }
    const code = err?.cause?.code ?? err?.code;
    if (code !== undefined && CODE_TEXT[code] !== undefined)
        return { text: CODE_TEXT[code], transient: TRANSIENT_CODES.has(code) };
    if (code !== undefined)
        return { text: `the request failed (${code})`, transient: TRANSIENT_CODES.has(code) };
    return { text: `the request failed (${err?.cause?.name ?? err?.name ?? 'unknown error'})`, transient: true };
}


/***/ })

};
