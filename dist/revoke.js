'use strict';

Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });

const fs = require('node:fs');
const path = require('node:path');
const node_crypto = require('node:crypto');
const main = require('./main.js');
const registryHttp = require('./registry-http.js');
const revokeState = require('./revoke-state.js');
require('os');
require('crypto');
require('fs');
require('node:os');
require('node:timers/promises');

function recordMintedTokens(minted, configFile, runnerTemp) {
    if (!runnerTemp)
        throw new Error('RUNNER_TEMP is not set');
    const file = path.join(runnerTemp, `upm-auth-minted-${node_crypto.randomBytes(8).toString('hex')}.json`);
    const record = { version: 1, configFile, tokens: minted.map(e => ({ url: e.url, token: e.token ?? '' })) };
    try {
        main.writePrivateFile(file, JSON.stringify(record));
    }
    catch (error) {
        throw new Error(`cannot write ${file}: ${main.describeFsError(error)}`, { cause: error });
    }
    revokeState.saveMintedTokensFile(file);
}
function tokensInUse(configText, items) {
    let document;
    try {
        document = main.parse(configText);
    }
    catch {
        return undefined;
    }
    const used = new Set();
    const add = (entry) => {
        if (main.isPlainObject(entry) && typeof entry.token === 'string')
            used.add(entry.token);
    };
    if (main.isPlainObject(document.npmAuth))
        Object.values(document.npmAuth).forEach(add);
    for (const item of items)
        for (const holder of item.holders)
            add(holder.value);
    return used;
}
async function revokeMintedTokens(recordFile, mask) {
    let record;
    try {
        record = readRecord(recordFile);
    }
    catch (error) {
        return [warning(`Cannot read the record of the tokens \`login\` minted (${main.errorMessage(error)}), so none is revoked. ${STAYS_VALID}`)];
    }
    mask(record.tokens.map(t => t.token));
    try {
        const { configFile } = record;
        let used;
        let why = `${configFile ?? ''} is not valid TOML`;
        try {
            used = configFile === null ? new Set() : inUseBy(configFile);
        }
        catch (error) {
            why = main.errorMessage(error).replace(/\.$/, '');
        }
        const registries = record.tokens.map(t => main.redactUrl(t.url)).join(', ');
        if (used === undefined) {
            return [
                warning(`The tokens \`login\` minted (for ${registries}) are not revoked: whether a job still uses them cannot be told (${why}). ${STAYS_VALID}`)
            ];
        }
        const messages = record.tokens.flatMap(t => used.has(t.token)
            ? [
                info(`The token \`login\` minted for ${main.redactUrl(t.url)} is not revoked: after this job's cleanup, ${configFile ?? ''} or its ledger still holds it, so a job may still use it.`)
            ]
            : []);
        const network = registryHttp.networkOptionsFromEnv(process.env);
        const revoked = await Promise.all(record.tokens.filter(t => !used.has(t.token)).map(t => revoke(t.url, t.token, network)));
        return [...messages, ...revoked];
    }
    finally {
        main.removeQuietly(recordFile);
    }
}
const STAYS_VALID = 'It stays valid until it expires or is revoked on the registry.';
function inUseBy(configFile) {
    const { text } = main.readConfigFile(configFile);
    const ledger = main.readLedger(main.ledgerPathOf(configFile));
    return tokensInUse(text, ledger?.ledger.items ?? []);
}
async function revoke(url, token, network) {
    const shown = main.redactUrl(url);
    const request = 'DELETE /-/user/token/***';
    try {
        const response = await registryHttp.registryRequest(registryHttp.registryEndpoint(url, `/-/user/token/${encodeURIComponent(token)}`), { method: 'DELETE', headers: { authorization: `Bearer ${token}` }, idempotent: true }, network);
        if (response.status >= 200 && response.status < 300) {
            return info(`${shown} accepted the revocation of the token \`login\` minted for this job (${request}: HTTP ${response.status}).`);
        }
        return warning(`Could not revoke the token \`login\` minted for ${shown}: ${request} answered HTTP ${response.status}. ${STAYS_VALID}`);
    }
    catch (error) {
        const reason = error instanceof main.UnreachableError ? `cannot reach it: ${error.message}` : main.errorMessage(error);
        return warning(`Could not revoke the token \`login\` minted for ${shown}: ${reason}. ${STAYS_VALID}`);
    }
}
function readRecord(file) {
    let text;
    try {
        text = main.retrySharingViolations(() => fs.readFileSync(file, 'utf8'));
    }
    catch (error) {
        throw new Error(`${file}: ${main.describeFsError(error)}`, { cause: error });
    }
    const record = main.tryParseJson(text);
    if (!main.isPlainObject(record) ||
        record.version !== 1 ||
        !(record.configFile === null || typeof record.configFile === 'string') ||
        !Array.isArray(record.tokens) ||
        !record.tokens.every(t => main.isPlainObject(t) && typeof t.url === 'string' && typeof t.token === 'string' && t.token !== '')) {
        throw new Error(`${file} is not a record this version of upm-auth wrote`);
    }
    return record;
}
function info(text) {
    return { level: 'info', text };
}
function warning(text) {
    return { level: 'warning', text };
}

exports.recordMintedTokens = recordMintedTokens;
exports.revokeMintedTokens = revokeMintedTokens;
exports.tokensInUse = tokensInUse;
