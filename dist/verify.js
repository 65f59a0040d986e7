'use strict';

Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });

const registryHttp = require('./registry-http.js');
const main = require('./main.js');
require('node:path');
require('node:fs');
require('os');
require('crypto');
require('fs');
require('node:crypto');
require('node:os');
require('node:timers/promises');

const WHOAMI = '/-/whoami';
const SEARCH = '/-/v1/search?text=upm-auth&size=1';
function verifyEntries(entries, options) {
    return Promise.all(entries.map(entry => verifyEntry(entry, options)));
}
async function verifyEntry(entry, options) {
    const { url } = entry;
    const authorization = registryHttp.authorizationHeader(entry);
    if (!registryHttp.isSendableHeaderValue(authorization))
        throw new Error(unsendableCredential(entry));
    const request = { method: 'GET', headers: { authorization } };
    try {
        const whoami = await registryHttp.registryRequest(registryHttp.registryEndpoint(url, WHOAMI), request, options);
        const verdict = judgeWhoami(whoami.status, whoami.text);
        switch (verdict) {
            case 'ok':
                return {
                    url,
                    status: 'ok',
                    httpStatus: whoami.status,
                    message: `${url} accepted the credential (GET /-/whoami: HTTP ${whoami.status}).`
                };
            case 'rejected':
                return {
                    url,
                    status: 'rejected',
                    httpStatus: whoami.status,
                    message: `${url} rejected the credential (GET /-/whoami: HTTP ${whoami.status}).`
                };
            case 'anonymous':
                return {
                    url,
                    status: 'rejected',
                    httpStatus: whoami.status,
                    message: `${url} rejected the credential: GET /-/whoami answered HTTP ${whoami.status} without a user name, as for an anonymous request.`
                };
        }
        const search = await registryHttp.registryRequest(registryHttp.registryEndpoint(url, SEARCH), request, options);
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
            return {
                url,
                status: 'rejected',
                httpStatus: search.status,
                message: `${url} rejected the credential (GET /-/v1/search: HTTP ${search.status}; ${noWhoami}).`
            };
        }
        return {
            url,
            status: 'unverified',
            httpStatus: search.status,
            message: `${url} cannot tell whether the credential works: ${noWhoami} and no search endpoint (HTTP ${search.status}).`
        };
    }
    catch (error) {
        if (error instanceof main.UnreachableError) {
            return { url, status: 'unreachable', httpStatus: error.httpStatus, message: `Cannot reach ${url}: ${error.message}.` };
        }
        throw error;
    }
}
function unsendableCredential(entry) {
    const key = entry.form === 'auth' ? '_auth' : 'token';
    return (`The \`${key}\` for ${entry.url} holds a control character or a character above U+00FF, which an HTTP header cannot carry, ` +
        `so neither \`verify\` nor Unity can send it. Check the secret given as input \`${key === '_auth' ? 'auth' : 'token'}\` ` +
        `or as key \`${key}\` of the \`registries\` table [npmAuth."${entry.url}"] (a stray character from copying it, for example).`);
}
function judgeWhoami(status, body) {
    if (status === 401 || status === 403)
        return 'rejected';
    if (!isSuccess(status))
        return 'unsupported';
    const parsed = main.tryParseJson(body);
    if (!main.isPlainObject(parsed))
        return 'unsupported';
    const username = parsed.username;
    return typeof username === 'string' && username.length > 0 ? 'ok' : 'anonymous';
}
function verificationFailure(results) {
    const rejected = results.filter(r => r.status === 'rejected');
    const unreachable = results.filter(r => r.status === 'unreachable');
    if (rejected.length === 0 && unreachable.length === 0)
        return undefined;
    const parts = [
        `\`verify\` failed for ${rejected.length + unreachable.length} of ${results.length} ${results.length === 1 ? 'registry' : 'registries'}.`
    ];
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

exports.judgeWhoami = judgeWhoami;
exports.unsendableCredential = unsendableCredential;
exports.verificationFailure = verificationFailure;
exports.verifyEntries = verifyEntries;
exports.verifyEntry = verifyEntry;
