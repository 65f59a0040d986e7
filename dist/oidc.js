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

const NOT_WITH_OIDC = ['token', 'auth', 'pat', 'username', 'password'];
function settle(url, request) {
    const { fields } = request;
    const label = (field) => request.name(field);
    const key = (field) => request.key(field);
    const provider = fields.oidc ?? '';
    if (provider !== 'artifactory' && provider !== 'cloudsmith') {
        throw new Error(`${capital(label('oidc'))} must be artifactory or cloudsmith (or empty for no OIDC exchange), not "${provider}".`);
    }
    const extra = NOT_WITH_OIDC.filter(field => fields[field]);
    if (extra.length > 0) {
        throw new Error(`${request.where} has ${label('oidc')} and also ${extra.map(label).join(', ')}. With OIDC the registry hands out the token, ` +
            `so no stored credential is needed: drop ${extra.map(f => `\`${key(f)}\``).join(', ')}.`);
    }
    const [needed, other] = provider === 'artifactory' ? ['oidcProviderName', 'oidcService'] : ['oidcService', 'oidcProviderName'];
    const what = provider === 'artifactory'
        ? "the name of the OIDC integration in JFrog's Administration > General Management > Integrations"
        : 'the slug of the Cloudsmith service account';
    if (!fields[needed])
        throw new Error(`${capital(label('oidc'))} is ${provider}, which needs ${label(needed)}: set it to ${what}.`);
    if (fields[other])
        throw new Error(`${capital(label(other))} does not apply to ${provider}: remove it.`);
    const labels = { name: label(needed), audience: label('oidcAudience'), exchangeUrl: label('oidcExchangeUrl') };
    const endpoint = exchangeUrl(url, provider, fields.oidcExchangeUrl ?? '', labels.exchangeUrl);
    const exchange = {
        provider,
        name: fields[needed] ?? '',
        audience: fields.oidcAudience || defaultAudience(provider),
        endpoint,
        labels
    };
    const warning = endpointWarning(url, exchange);
    if (warning)
        exchange.warning = warning;
    return exchange;
}
const EXCHANGE_HOSTS = { artifactory: [], cloudsmith: ['api.cloudsmith.io'] };
function endpointWarning(registryUrl, exchange) {
    const endpoint = new URL(exchange.endpoint);
    if (endpoint.protocol === 'http:' && !main.isLoopback(endpoint.hostname)) {
        throw new Error(`\`oidc\`: the token exchange for ${registryUrl}, ${main.redactUrl(exchange.endpoint)}, is plain http to another machine: the job's ` +
            `GitHub ID token would cross the network unencrypted. Set ${exchange.labels.exchangeUrl} to the exchange's https URL ` +
            '(unset, the exchange is taken from the registry URL).');
    }
    const registry = new URL(registryUrl).hostname;
    const documented = EXCHANGE_HOSTS[exchange.provider];
    if (endpoint.hostname === registry || documented.includes(endpoint.hostname))
        return undefined;
    const provider = main.OIDC_PROVIDER_NAMES[exchange.provider];
    const expected = documented.length > 0
        ? `neither the registry's host (${registry}) nor ${provider}'s (${documented.join(', ')})`
        : `not the registry's host (${registry})`;
    return (`\`oidc\`: the job's GitHub ID token for ${registryUrl} goes to ${endpoint.hostname}, which is ${expected}. ` +
        `Check ${exchange.labels.exchangeUrl}: whoever runs that host can use the ID token until it expires.`);
}
function defaultAudience(provider, env = process.env) {
    return provider === 'artifactory' ? '' : `https://github.com/${env.GITHUB_REPOSITORY_OWNER ?? ''}`;
}
function exchangeUrl(url, provider, given, label) {
    if (given)
        return given;
    const registry = new URL(url);
    if (provider === 'artifactory')
        return `${registry.origin}/access/api/v1/oidc/token`;
    const match = /^\/([^/]+)\/[^/]+\/?$/.exec(registry.pathname);
    if (registry.hostname !== 'npm.cloudsmith.io' || !match) {
        throw new Error(`${url} is not of the form https://npm.cloudsmith.io/<org>/<repo>/, so the Cloudsmith exchange endpoint cannot be told from it: ` +
            `set ${label} (for example https://api.cloudsmith.io/openid/<org>/).`);
    }
    return `https://api.cloudsmith.io/openid/${match[1]}/`;
}
async function exchangeEntries(entries, options) {
    const exchanges = new Map(entries.flatMap(e => (e.oidc ? [[e, settle(e.url, e.oidc)]] : [])));
    if (exchanges.size === 0)
        return entries;
    for (const { warning } of exchanges.values())
        if (warning)
            options.warn(warning);
    const service = { url: process.env.ACTIONS_ID_TOKEN_REQUEST_URL ?? '', token: process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN ?? '' };
    if (!service.url || !service.token) {
        throw new Error("`oidc` needs the job's OIDC ID token, but GitHub gave this job none (ACTIONS_ID_TOKEN_REQUEST_URL is not set). Add " +
            '`permissions: id-token: write` to the job (or the workflow). Pull requests from forks get no ID token even then: ' +
            'skip this step for them (if: github.event.pull_request.head.repo.full_name == github.repository).');
    }
    const idTokens = new Map();
    const idTokenFor = (audience) => {
        let pending = idTokens.get(audience);
        if (!pending)
            idTokens.set(audience, (pending = requestIdToken(audience, service, options)));
        return pending;
    };
    const settled = await Promise.allSettled(entries.map(async (e) => {
        const exchange = exchanges.get(e);
        if (!exchange)
            return e;
        return exchangeEntry(e, exchange, await idTokenFor(exchange.audience), options);
    }));
    const failures = [...new Set(settled.flatMap(s => (s.status === 'rejected' ? [main.errorMessage(s.reason)] : [])))];
    if (failures.length > 0)
        throw new Error(failures.join(' '));
    return settled.map(s => s.value);
}
async function requestIdToken(audience, service, options) {
    const url = `${service.url}${audience ? `&audience=${encodeURIComponent(audience)}` : ''}`;
    const refused = (reason, cause) => new Error(`\`oidc\`: GitHub did not give the job an ID token for ${audience ? `the audience "${audience}"` : "GitHub's default audience"} (${reason}). Check that the job has \`permissions: id-token: write\`.`, { cause });
    let response;
    try {
        response = await registryHttp.registryRequest(url, { method: 'GET', headers: { authorization: `Bearer ${service.token}` } }, options.network);
    }
    catch (error) {
        if (error instanceof main.UnreachableError)
            throw refused(`cannot reach its ID token service: ${error.message}`, error);
        throw error;
    }
    if (response.status < 200 || response.status >= 300)
        throw refused(`HTTP ${response.status}: ${errorText(response.text)}`);
    const parsed = main.tryParseJson(response.text);
    const idToken = main.isPlainObject(parsed) ? parsed.value : undefined;
    if (typeof idToken !== 'string' || idToken === '')
        throw refused(`its answer, HTTP ${response.status}, holds no ID token`);
    options.mask([idToken]);
    return idToken;
}
async function exchangeEntry(entry, oidc, idToken, options) {
    const { endpoint } = oidc;
    const provider = main.OIDC_PROVIDER_NAMES[oidc.provider];
    const body = oidc.provider === 'artifactory'
        ?
            {
                grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
                subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
                subject_token: idToken,
                provider_name: oidc.name,
                gh_job_id: process.env.GITHUB_JOB ?? '',
                gh_run_id: process.env.GITHUB_RUN_ID ?? '',
                gh_repo: process.env.GITHUB_REPOSITORY ?? ''
            }
        : { oidc_token: idToken, service_slug: oidc.name };
    let response;
    try {
        const request = {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
            idempotent: true
        };
        response = await registryHttp.registryRequest(endpoint, request, options.network);
    }
    catch (error) {
        if (error instanceof main.UnreachableError)
            throw new Error(`\`oidc\`: cannot reach the ${provider} token exchange ${main.redactUrl(endpoint)} for ${entry.url}: ${error.message}.`, {
                cause: error
            });
        throw error;
    }
    const sent = `${oidc.labels.name} "${oidc.name}"`;
    if (response.status === 401 || response.status === 403) {
        throw new Error(`\`oidc\`: ${provider} refused the exchange for ${entry.url} with ${sent} (HTTP ${response.status}: ${errorText(response.text)}). ` +
            `The usual cause is the identity mapping: the claims it requires (such as \`repository\`, \`ref\` or the audience) must match this job's ID token. ` +
            `Check the ${oidc.provider === 'artifactory' ? "OIDC integration's identity mappings" : "service account's OIDC claims"} and ${oidc.labels.audience}.`);
    }
    if (response.status < 200 || response.status >= 300) {
        throw new Error(`\`oidc\`: the ${provider} token exchange ${main.redactUrl(endpoint)} answered HTTP ${response.status} for ${entry.url} with ${sent}: ${errorText(response.text)}.`);
    }
    const field = oidc.provider === 'artifactory' ? 'access_token' : 'token';
    const parsed = main.tryParseJson(response.text);
    if (parsed === undefined) {
        throw new Error(`\`oidc\`: the ${provider} token exchange ${main.redactUrl(endpoint)} answered HTTP ${response.status} with something that is not JSON. Check ${oidc.labels.exchangeUrl}.`);
    }
    const token = main.isPlainObject(parsed) ? parsed[field] : undefined;
    if (typeof token !== 'string' || !/^[\x21-\x7e]+$/.test(token)) {
        throw new Error(`\`oidc\`: the ${provider} token exchange ${main.redactUrl(endpoint)} answered HTTP ${response.status} without a usable \`${field}\`. Check ${oidc.labels.exchangeUrl}.`);
    }
    options.mask([token]);
    const exchanged = { url: entry.url, token, alwaysAuth: entry.alwaysAuth, form: 'oidc', oidcProvider: oidc.provider };
    if (entry.email !== undefined)
        exchanged.email = entry.email;
    return exchanged;
}
function errorText(body) {
    let text = body;
    const parsed = main.tryParseJson(body);
    if (main.isPlainObject(parsed)) {
        const errors = Array.isArray(parsed.errors) ? parsed.errors : [];
        const messages = errors.map(e => (main.isPlainObject(e) ? e.message : undefined)).filter(m => typeof m === 'string');
        const first = [messages.join('; '), parsed.detail, parsed.message, parsed.error_description, parsed.error].find(v => typeof v === 'string' && v !== '');
        if (typeof first === 'string')
            text = first;
    }
    text = text.replace(/\s+/g, ' ').trim();
    if (text === '')
        return 'no error text';
    return text.length > 300 ? `${text.slice(0, 300)}...` : text;
}
function capital(text) {
    return text.charAt(0).toUpperCase() + text.slice(1);
}

exports.EXCHANGE_HOSTS = EXCHANGE_HOSTS;
exports.defaultAudience = defaultAudience;
exports.errorText = errorText;
exports.exchangeEntries = exchangeEntries;
exports.exchangeUrl = exchangeUrl;
exports.settle = settle;
