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

async function loginEntries(entries, options) {
    if (!entries.some(e => e.form === 'username+password')) {
        throw new Error('Input `login` is true, but no registry has `username` + `password` to log in with. Set them (for `registry-url`, ' +
            'or in a `registries` table), or set `login: false`.');
    }
    const settled = await Promise.allSettled(entries.map(e => (e.form === 'username+password' ? loginEntry(e, options) : Promise.resolve(e))));
    const failures = settled.flatMap(s => (s.status === 'rejected' ? [main.errorMessage(s.reason)] : []));
    if (failures.length > 0)
        throw new Error(failures.join(' '));
    return settled.map(s => s.value);
}
async function loginEntry(entry, options) {
    if (entry._auth === undefined)
        throw new Error(`The entry for ${entry.url} has no user name and password to log in with.`);
    const { user, password } = decodeBasicAuth(entry._auth);
    const body = JSON.stringify({
        _id: `org.couchdb.user:${user}`,
        name: user,
        password,
        type: 'user',
        roles: [],
        date: new Date().toISOString()
    });
    let response;
    try {
        response = await registryHttp.registryRequest(registryHttp.registryEndpoint(entry.url, `/-/user/org.couchdb.user:${encodeURIComponent(user)}`), { method: 'PUT', headers: { authorization: `Basic ${entry._auth}`, 'content-type': 'application/json' }, body }, options.network);
    }
    catch (error) {
        if (error instanceof main.UnreachableError)
            throw new Error(`\`login\` cannot reach ${entry.url}: ${error.message}.`, { cause: error });
        throw error;
    }
    const token = response.status >= 200 && response.status < 300 ? tokenOf(response.text) : undefined;
    if (token === undefined)
        throw new Error(loginFailure(entry.url, user, response));
    options.mask([token]);
    const loggedIn = { url: entry.url, token, alwaysAuth: entry.alwaysAuth, form: 'login' };
    if (entry.email !== undefined)
        loggedIn.email = entry.email;
    options.minted(loggedIn);
    return loggedIn;
}
function decodeBasicAuth(auth) {
    const decoded = Buffer.from(auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
function tokenOf(body) {
    const parsed = main.tryParseJson(body);
    const token = main.isPlainObject(parsed) ? parsed.token : undefined;
    return typeof token === 'string' && /^[\x21-\x7e]+$/.test(token) ? token : undefined;
}
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

exports.decodeBasicAuth = decodeBasicAuth;
exports.loginEntries = loginEntries;
exports.loginEntry = loginEntry;
exports.loginFailure = loginFailure;
exports.tokenOf = tokenOf;
