export const id = 538;
export const ids = [538,941];
export const modules = {

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


/***/ }),

/***/ 5538:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   judgeWhoami: () => (/* binding */ judgeWhoami),
/* harmony export */   verificationFailure: () => (/* binding */ verificationFailure),
/* harmony export */   verifyEntries: () => (/* binding */ verifyEntries),
/* harmony export */   verifyEntry: () => (/* binding */ verifyEntry)
/* harmony export */ });
/* harmony import */ var _registry_http_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2941);

const WHOAMI = '/-/whoami';
const SEARCH = '/-/v1/search?text=upm-auth&size=1';
/** Verifies every entry at once; each verdict is bounded in time by the network options. */
function verifyEntries(entries, options) {
    return Promise.all(entries.map(entry => verifyEntry(entry, options)));
}
/** Verifies one entry against its registry with the header Unity would send. */
async function verifyEntry(entry, options) {
    const { url } = entry;
    const request = { method: 'GET', headers: { authorization: (0,_registry_http_js__WEBPACK_IMPORTED_MODULE_0__/* .authorizationHeader */ .bc)(entry) } };
    try {
        const whoami = await (0,_registry_http_js__WEBPACK_IMPORTED_MODULE_0__/* .registryRequest */ .zy)((0,_registry_http_js__WEBPACK_IMPORTED_MODULE_0__/* .registryEndpoint */ .Fh)(url, WHOAMI), request, options);
        const verdict = judgeWhoami(whoami.status, whoami.text);
        switch (verdict) {
            case 'ok':
                return { url, status: 'ok', httpStatus: whoami.status, message: `${url} accepted the credential (GET /-/whoami: HTTP ${whoami.status}).` };
            case 'rejected':
                return { url, status: 'rejected', httpStatus: whoami.status, message: `${url} rejected the credential (GET /-/whoami: HTTP ${whoami.status}).` };
            case 'anonymous':
                return {
                    url,
                    status: 'rejected',
                    httpStatus: whoami.status,
                    message: `${url} rejected the credential: GET /-/whoami answered HTTP ${whoami.status} without a user name, as for an anonymous request.`
                };
        }
        const search = await (0,_registry_http_js__WEBPACK_IMPORTED_MODULE_0__/* .registryRequest */ .zy)((0,_registry_http_js__WEBPACK_IMPORTED_MODULE_0__/* .registryEndpoint */ .Fh)(url, SEARCH), request, options);
        const noWhoami = `it has no /-/whoami (HTTP ${whoami.status})`;
        if (isSuccess(search.status)) {
            return {
                url,
                status: 'ok',
                httpStatus: search.status,
                message: `${url} accepted the credential on its search endpoint (GET /-/v1/search: HTTP ${search.status}); ${noWhoami}, so this shows that the credential is not refused rather than what it may read.`
            };
        }
        if (search.status === 401 || search.status === 403) {
            return { url, status: 'rejected', httpStatus: search.status, message: `${url} rejected the credential (GET /-/v1/search: HTTP ${search.status}; ${noWhoami}).` };
        }
        return {
            url,
            status: 'unverified',
            httpStatus: search.status,
            message: `${url} cannot tell whether the credential works: ${noWhoami} and no search endpoint (HTTP ${search.status}).`
        };
    }
    catch (error) {
        if (error instanceof _registry_http_js__WEBPACK_IMPORTED_MODULE_0__/* .UnreachableError */ .Jk) {
            return { url, status: 'unreachable', httpStatus: error.httpStatus, message: `Cannot reach ${url}: ${error.message}.` };
        }
        throw error;
    }
}
/**
 * Reads npm's whoami answer. A 2xx answer counts only with a user name in it: Verdaccio, for one,
 * answers `{}` with HTTP 200 to a request whose credential it does not know.
 */
function judgeWhoami(status, body) {
    if (status === 401 || status === 403)
        return 'rejected';
    if (!isSuccess(status))
        return 'unsupported';
    let parsed;
    try {
        parsed = JSON.parse(body);
    }
    catch {
        return 'unsupported';
    }
    if (typeof parsed !== 'object' || parsed === null)
        return 'unsupported';
    const username = parsed.username;
    return typeof username === 'string' && username.length > 0 ? 'ok' : 'anonymous';
}
/**
 * The error that fails the step when a registry rejected its credential or could not be reached,
 * with what to do; `undefined` when every registry is fine.
 */
function verificationFailure(results) {
    const rejected = results.filter(r => r.status === 'rejected');
    const unreachable = results.filter(r => r.status === 'unreachable');
    if (rejected.length === 0 && unreachable.length === 0)
        return undefined;
    const parts = [`\`verify\` failed for ${rejected.length + unreachable.length} of ${results.length} ${results.length === 1 ? 'registry' : 'registries'}.`];
    if (rejected.length > 0) {
        parts.push(...rejected.map(r => r.message), 'Check that the secret is current, belongs to that registry, and is passed in the right input (a token as `token`, a password with `username`).');
    }
    if (unreachable.length > 0) {
        parts.push(...unreachable.map(r => r.message), "Check the URL, and the runner's network and proxy settings (HTTPS_PROXY, NO_PROXY).");
    }
    return parts.join(' ');
}
function isSuccess(status) {
    return status >= 200 && status < 300;
}


/***/ })

};
