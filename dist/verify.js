'use strict';

Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });

const registryHttp = require('./registry-http.js');
const main = require('./main.js');
require('os');
require('crypto');
require('fs');
require('node:path');
require('node:fs');
require('node:crypto');
require('node:os');
require('node:timers/promises');

const WHOAMI = '/-/whoami';
const SEARCH = '/-/v1/search?text=upm-auth&size=1';
const MAX_PACKUMENT_BYTES = 32 * 1024 * 1024;
const PACKAGE_NAME = /^[a-z0-9][a-z0-9._-]*$/;
function verifyEntries(entries, options, manifest) {
    return Promise.all(entries.map(entry => verifyEntry(entry, options, manifest)));
}
async function verifyEntry(entry, options, manifest) {
    const { url } = entry;
    const authorization = registryHttp.authorizationHeader(entry);
    if (!registryHttp.isSendableHeaderValue(authorization))
        throw new Error(unsendableCredential(entry));
    const request = { method: 'GET', headers: { authorization } };
    try {
        const scope = main.urlScope(url);
        if (scope !== undefined)
            return await verifyScoped(url, scope, authorization, options, manifest);
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
async function verifyScoped(url, scope, authorization, options, manifest) {
    const why = `below a URL that ends in an npm scope (${scope}), /-/whoami and the search endpoint would be package names`;
    const name = manifest && main.packagesFrom(url, manifest).find(n => PACKAGE_NAME.test(n));
    if (!manifest || name === undefined) {
        const where = manifest
            ? `${manifest.shown} takes none from this registry (no dependency under its scopes)`
            : 'no manifest was read (see the inputs `manifest` and `manifest-check`)';
        return {
            url,
            status: 'unverified',
            message: `${url} cannot be checked: ${why}, so \`verify\` reads a package the manifest takes from the registry, and ${where}.`
        };
    }
    const read = `GET /${name}`;
    const response = await registryHttp.registryRequest(`${registryHttp.registryEndpoint(url, '/')}${name}`, { method: 'GET', headers: { authorization, accept: 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8' } }, { ...options, maxBodyBytes: MAX_PACKUMENT_BYTES });
    const status = response.status;
    if (isSuccess(status) && main.isPlainObject(main.tryParseJson(response.text))) {
        return {
            url,
            status: 'ok',
            httpStatus: status,
            message: `${url} let the credential read ${name}, which ${manifest.shown} takes from it (${read}: HTTP ${status}).`
        };
    }
    if (status === 401 || status === 403) {
        return { url, status: 'rejected', httpStatus: status, message: `${url} rejected the credential (${read}: HTTP ${status}).` };
    }
    if (status === 404) {
        const github = main.isGitHubPackagesUrl(url, process.env.GITHUB_SERVER_URL)
            ? ' On GitHub Packages: give this repository read access to the package (package settings, Manage Actions access), ' +
                'check the owner in the URL, and use a token that may read packages (GITHUB_TOKEN with `permissions: packages: read`, ' +
                'or a personal access token (classic) with read:packages: GitHub Packages accepts no fine-grained token).'
            : '';
        return {
            url,
            status: 'rejected',
            httpStatus: status,
            message: `${url} has no ${name} that the credential may read (${read}: HTTP 404), and ${manifest.shown} takes it from there, so Unity will not get it either.${github}`
        };
    }
    return {
        url,
        status: 'unverified',
        httpStatus: status,
        message: `${url} cannot tell whether the credential works: ${why}, and reading ${name} (${read}) answered HTTP ${status}${isSuccess(status) ? ' with something that is not a package document' : ''}.`
    };
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
