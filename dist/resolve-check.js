'use strict';

Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });

const path = require('node:path');
const main = require('./main.js');
const registryHttp = require('./registry-http.js');
require('os');
require('crypto');
require('fs');
require('node:fs');
require('node:crypto');
require('node:os');
require('node:timers/promises');

const UNITY_REGISTRY = 'https://packages.unity.com';
const MAX_PACKAGES = 2000;
function parsePackagesLock(text, file) {
    const refuse = refusal(file, 'lock file', 'Unity writes this file itself: restore it from version control, or delete it and let Unity write it again');
    const doc = parseProjectJson(text, refuse);
    if (!main.isPlainObject(doc) || !main.isPlainObject(doc.dependencies))
        throw refuse('its top level has no `dependencies` object');
    const entries = Object.entries(doc.dependencies);
    if (entries.length > MAX_PACKAGES)
        throw refuse(`it lists ${entries.length} packages; a Unity project locks a few hundred at most, and at most ${MAX_PACKAGES} are checked`);
    const packages = [];
    for (const [name, entry] of entries) {
        checkName(name, refuse);
        if (!main.isPlainObject(entry))
            throw refuse(`the entry of ${quoted(name)} is not an object`);
        if (entry.source !== 'registry')
            continue;
        const { version, url } = entry;
        if (typeof version !== 'string' || !isVersion(version)) {
            throw refuse(`the entry of ${quoted(name)} has no SemVer \`version\` (${describe(version)})`);
        }
        if (typeof url !== 'string' || !isRegistryUrl(url))
            throw refuse(`the entry of ${quoted(name)} has no http(s) \`url\` (${describe(url)})`);
        packages.push({ name, version, url });
    }
    return packages;
}
function parseManifestPackages(text, file) {
    const refuse = refusal(file, 'manifest', 'Fix the manifest (Unity cannot resolve packages with it either)');
    const doc = parseProjectJson(text, refuse);
    if (!main.isPlainObject(doc))
        throw refuse('its top level is not a JSON object');
    const main$1 = doc.registry === undefined ? UNITY_REGISTRY : doc.registry;
    if (typeof main$1 !== 'string' || !isRegistryUrl(main$1))
        throw refuse(`its \`registry\` is not an http(s) URL (${describe(main$1)})`);
    const registries = scopedRegistries(doc.scopedRegistries, refuse);
    const dependencies = doc.dependencies ?? {};
    if (!main.isPlainObject(dependencies))
        throw refuse('its `dependencies` is not an object');
    const entries = Object.entries(dependencies);
    if (entries.length > MAX_PACKAGES)
        throw refuse(`it lists ${entries.length} dependencies; at most ${MAX_PACKAGES} are checked`);
    const packages = [];
    for (const [name, version] of entries) {
        checkName(name, refuse);
        if (typeof version !== 'string' || !isVersion(version))
            continue;
        const registry = main.scopedRegistryFor(name, registries);
        packages.push(registry ? { name, version, url: registry.url } : { name, version, url: main$1, unscoped: true });
    }
    return packages;
}
function isPackageName(name) {
    return name.length <= 214 && /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name);
}
function isVersion(version) {
    const ids = '[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*';
    return version.length <= 256 && new RegExp(`^\\d+\\.\\d+\\.\\d+(?:-${ids})?(?:\\+${ids})?$`).test(version);
}
function isRegistryUrl(url) {
    if (url.length > 2048 || !/^[\x21-\x7e]+$/.test(url) || !URL.canParse(url))
        return false;
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:';
}
function quoted(value) {
    const safe = main.logSafe(value);
    return JSON.stringify(safe.length > 80 ? `${safe.slice(0, 80)}…` : safe);
}
function describe(value) {
    if (typeof value === 'string')
        return quoted(value);
    return value === undefined ? 'none' : `a ${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}`;
}
function scopedRegistries(list, refuse) {
    if (list === undefined)
        return [];
    if (!Array.isArray(list))
        throw refuse('its `scopedRegistries` is not an array');
    return list.map((entry, index) => {
        if (!main.isPlainObject(entry) || typeof entry.url !== 'string' || !isRegistryUrl(entry.url)) {
            throw refuse(`scopedRegistries[${index}] has no http(s) \`url\``);
        }
        const scopes = entry.scopes ?? [];
        if (!Array.isArray(scopes) || !scopes.every((s) => typeof s === 'string' && isPackageName(s))) {
            throw refuse(`scopedRegistries[${index}].scopes is not a list of package name prefixes`);
        }
        return { url: entry.url, scopes };
    });
}
function checkName(name, refuse) {
    if (!isPackageName(name)) {
        throw refuse(`the package name ${quoted(name)} is not one Unity writes (letters, digits, "-", "_" and ".", starting with a letter or digit, at most 214 characters)`);
    }
}
function parseProjectJson(text, refuse) {
    try {
        return main.parseJson(text.replace(/^\uFEFF/, ''));
    }
    catch (error) {
        if (!(error instanceof main.JsonSyntaxError))
            throw error;
        throw refuse(`it is not valid JSON (${error.message})`);
    }
}
function refusal(file, kind, fix) {
    return why => new Error(`\`resolve-check\` cannot use the ${kind} ${file}: ${why}. No request was made for it. ${fix}, or set \`resolve-check: false\`.`);
}

const UNREACHABLE_ADVICE = "Check the registry URL, and the runner's network and proxy settings (HTTPS_PROXY, NO_PROXY).";
function subject(pkg) {
    return `${main.logSafe(pkg.name)}@${pkg.version} from ${shownUrl(pkg.url)}`;
}
function unreachableVerdict(pkg, why, httpStatus) {
    return { pkg, status: 'unreachable', httpStatus, message: `${subject(pkg)}: cannot be fetched: ${why}.`, advice: UNREACHABLE_ADVICE };
}
function readPackument(status, body, version) {
    if (status === 401 || status === 403)
        return { kind: 'refused', status };
    if (status === 404)
        return { kind: 'no-package', status };
    if (status < 200 || status > 299) {
        const why = status >= 300 && status < 400 ? 'a redirect, which the check does not follow with the credential' : 'no answer UPM can use';
        return { kind: 'unusable', status, why };
    }
    const doc = main.tryParseJson(body);
    if (!main.isPlainObject(doc) || !main.isPlainObject(doc.versions)) {
        return { kind: 'unusable', status, why: 'not npm package metadata (a login page of a proxy in front of the registry, perhaps)' };
    }
    const entry = Object.hasOwn(doc.versions, version) ? doc.versions[version] : undefined;
    if (entry === undefined) {
        const tags = doc['dist-tags'];
        const latest = main.isPlainObject(tags) && typeof tags.latest === 'string' && isVersion(tags.latest) ? tags.latest : undefined;
        return { kind: 'no-version', latest };
    }
    const tarball = main.isPlainObject(entry) && main.isPlainObject(entry.dist) ? entry.dist.tarball : undefined;
    if (typeof tarball !== 'string' || !isPlainHttpUrl(tarball)) {
        return { kind: 'unusable', status, why: `no plain http(s) \`dist.tarball\` for version ${version}` };
    }
    return { kind: 'found', tarball };
}
function isPlainHttpUrl(url) {
    if (typeof url === 'string' && !URL.canParse(url))
        return false;
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.username === '' && parsed.password === '';
}
function sendsCredential(tarballUrl, registryUrl, alwaysAuth) {
    return alwaysAuth || new URL(tarballUrl).origin === new URL(registryUrl).origin;
}
function judgeTarball(probe) {
    const { status, sentCredential } = probe;
    if ((status >= 200 && status <= 299) || status === 416)
        return 'resolves';
    if (status === 401 || status === 403 || status === 404)
        return sentCredential ? (status === 404 ? 'missing' : 'refused') : 'no-credential';
    return 'unreachable';
}
function packumentVerdict(pkg, finding, credential) {
    const at = subject(pkg);
    const request = `GET ${shownUrl(registryHttp.registryEndpoint(pkg.url, `/${pkg.name}`))}`;
    switch (finding.kind) {
        case 'refused':
            return {
                pkg,
                status: 'refused',
                httpStatus: finding.status,
                message: `${at}: the registry refused the credential (${request}: HTTP ${finding.status}).`,
                advice: `${refusedAdvice(credential, pkg.url)}${githubPackagesHint(pkg.url)}`
            };
        case 'no-package':
            return {
                pkg,
                status: 'missing',
                httpStatus: finding.status,
                message: `${at}: the registry has no package ${main.logSafe(pkg.name)} (${request}: HTTP ${finding.status}).`,
                advice: 'Either a scope in the manifest sends it to the wrong registry, the registry URL is wrong, it was never published there' +
                    `${isGitHubPackages(pkg.url) ? ', or this repository has not been granted access to it on GitHub Packages (the package\'s settings, "Manage Actions access")' : ''}.` +
                    ' Private registries also answer 404 to a credential that may not read the package.'
            };
        case 'no-version':
            return {
                pkg,
                status: 'missing',
                httpStatus: 200,
                message: `${at}: the registry has ${main.logSafe(pkg.name)}, but not version ${pkg.version}${finding.latest ? ` (its latest is ${finding.latest})` : ''}.`,
                advice: 'The version was unpublished, or never published to this registry: publish it again, or update the package in Unity, which rewrites packages-lock.json.'
            };
        case 'unusable':
            return {
                pkg,
                status: 'unreachable',
                httpStatus: finding.status,
                message: `${at}: ${request} answered HTTP ${finding.status}, ${finding.why}.`,
                advice: UNREACHABLE_ADVICE
            };
    }
}
function tarballVerdict(pkg, probe, credential) {
    const at = subject(pkg);
    const status = judgeTarball(probe);
    const answered = `its tarball on ${probe.origin} answered HTTP ${probe.status}`;
    const base = { pkg, status, httpStatus: probe.status };
    switch (status) {
        case 'resolves':
            return { ...base, message: `${at} resolves: the registry lists the version, and ${answered}.` };
        case 'refused':
            return { ...base, message: `${at}: ${answered} with the credential.`, advice: refusedAdvice(credential, pkg.url) };
        case 'missing':
            return {
                ...base,
                message: `${at}: the registry lists the version, but ${answered}.`,
                advice: 'The tarball is gone from the registry: publish the version again.'
            };
        case 'no-credential': {
            const why = probe.redirectedAway
                ? 'the registry redirected the download to another host, which gets no credential'
                : `it lives on another host than the registry, and alwaysAuth is false there, so Unity sends it no credential`;
            return {
                ...base,
                message: `${at}: ${why}; without one, ${answered}.`,
                advice: probe.redirectedAway
                    ? 'The registry must hand out a download link that needs no credential; ask its administrator.'
                    : `Set \`always-auth: true\` (or \`alwaysAuth = true\` in the [npmAuth."${shownUrl(pkg.url)}"] table) so Unity sends the credential to the tarball's host too.`
            };
        }
        case 'unreachable':
            return { ...base, message: `${at}: ${answered}, which UPM cannot use.`, advice: UNREACHABLE_ADVICE };
    }
}
function refusedAdvice(credential, url) {
    const inputs = {
        token: 'the secret given as `token`',
        auth: 'the secret given as `auth` (`_auth`)',
        'email+pat': 'the secrets given as `email` and `pat`',
        'username+password': 'the secrets given as `username` and `password`',
        login: 'the secrets given as `username` and `password` (`login` made the token)',
        oidc: "the OIDC settings (the registry's trust of this repository and workflow, the `oidc-*` inputs)"
    };
    const which = credential.entry
        ? `${inputs[credential.entry.form]}, or as that key of the [npmAuth."${shownUrl(url)}"] table in \`registries\``
        : `the [npmAuth."${shownUrl(url)}"] table that was already in the config file (this step did not write it)`;
    return `Check ${which}: that it is current, belongs to this registry, and may read this package.`;
}
const GITHUB_PACKAGES_HOST = 'npm.pkg.github.com';
function isGitHubPackages(url) {
    return new URL(url).hostname === GITHUB_PACKAGES_HOST;
}
function githubPackagesHint(url) {
    return isGitHubPackages(url)
        ? ' On GitHub Packages, the token needs read:packages, and a GITHUB_TOKEN reads only packages that grant this repository access (the package\'s settings, "Manage Actions access").'
        : '';
}
function shownUrl(url) {
    return main.logSafe(main.redactUrl(url));
}
function notCheckedGroups(packages, unusable, configFile) {
    const groups = new Map();
    for (const pkg of packages) {
        const reason = pkg.unscoped
            ? 'no scoped registry in the manifest covers them, so Unity asks its main registry, without credentials'
            : (unusable.get(pkg.url) ?? `${configFile} has no credentials for it, so Unity asks it without any (fine for a public registry)`);
        const key = `${pkg.url}\n${reason}`;
        const group = groups.get(key) ?? { url: pkg.url, reason, names: [] };
        group.names.push(pkg.name);
        groups.set(key, group);
    }
    return [...groups.values()];
}
const LABELS = {
    resolves: 'resolves',
    refused: 'credential refused',
    missing: 'not in that registry',
    'no-credential': 'tarball host gets no credential',
    unreachable: 'cannot fetch'
};
function buildReport(project, verdicts, notChecked, configFile) {
    const failed = verdicts.filter(v => v.status !== 'resolves');
    const messages = verdicts.filter(v => v.status === 'resolves').map(v => ({ level: 'info', text: v.message }));
    for (const group of notChecked) {
        messages.push({
            level: 'info',
            text: `Not checked: ${countOf(group.names.length)} from ${shownUrl(group.url)}: ${group.reason} (${namesText(group.names)}).`
        });
    }
    const total = project.packages.length;
    if (total === 0) {
        messages.push({
            level: 'info',
            text: `\`resolve-check\`: ${project.file} lists no package that Unity fetches from a registry; nothing to check.`
        });
    }
    else if (verdicts.length === 0) {
        messages.push({
            level: 'warning',
            text: `\`resolve-check\` checked nothing: none of the ${countOf(total)} in ${project.file} comes from a registry that ${configFile} has a usable credential for. ` +
                'If one of them is private, the manifest check names the URL to configure.'
        });
    }
    const result = { verdicts, notChecked, messages, summary: renderSection(project, verdicts, notChecked, configFile) };
    if (failed.length > 0) {
        result.failure = [
            `\`resolve-check\`: ${failed.length} of ${countOf(verdicts.length)} checked in ${project.file} cannot be fetched with the credentials in ${configFile}.`,
            ...failed.map(v => v.message),
            ...new Set(failed.flatMap(v => (v.advice === undefined ? [] : [v.advice])))
        ].join(' ');
    }
    return result;
}
function renderSection(project, verdicts, notChecked, configFile) {
    const lines = [
        '### Packages Unity will fetch (`resolve-check`)',
        '',
        `From ${main.code(project.file)}, with the credentials in ${main.code(configFile)}:`,
        ''
    ];
    if (verdicts.length > 0) {
        lines.push('| Package | Version | Registry | Result | What to do |', '| --- | --- | --- | --- | --- |');
        for (const v of verdicts) {
            const result = v.httpStatus === undefined ? LABELS[v.status] : `${LABELS[v.status]} (HTTP ${v.httpStatus})`;
            const cells = [main.code(main.logSafe(v.pkg.name)), main.code(v.pkg.version), main.code(shownUrl(v.pkg.url)), main.text(result), main.text(v.advice ?? '')];
            lines.push(`| ${cells.join(' | ')} |`);
        }
    }
    else {
        lines.push('No package comes from a registry the file has a usable credential for.');
    }
    if (notChecked.length > 0)
        lines.push('', 'Not checked:', '');
    for (const group of notChecked) {
        lines.push(`- ${main.code(shownUrl(group.url))}: ${countOf(group.names.length)}: ${main.text(group.reason)} (${main.text(namesText(group.names))})`);
    }
    return lines.join('\n') + '\n';
}
function countOf(n) {
    return `${n} ${n === 1 ? 'package' : 'packages'}`;
}
function namesText(names) {
    const shown = names.slice(0, 5).map(main.logSafe).join(', ');
    return names.length > 5 ? `${shown} and ${names.length - 5} more` : shown;
}

const LOCK_FILE = 'packages-lock.json';
const LOCK_LIMIT = { bytes: 4 * 1024 * 1024, typical: 'a Unity lock file holds some tens of kilobytes' };
const PACKUMENT_MAX_BYTES = 8 * 1024 * 1024;
const CONCURRENCY = 4;
const MAX_REDIRECTS = 5;
const PACKUMENT_ACCEPT = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';
function readProject(manifestInput, workspace) {
    if (manifestInput === '') {
        throw new Error("Input `resolve-check` is true, but `manifest` is empty: the check reads the packages-lock.json beside the manifest. Set `manifest` to the Unity project's Packages/manifest.json.");
    }
    const manifest = main.projectFilePath(manifestInput, workspace);
    const lock = main.projectFilePath(path.join(path.dirname(manifest.file), LOCK_FILE), workspace);
    const lockText = readIfThere(lock, workspace, LOCK_LIMIT);
    if (lockText !== undefined)
        return { file: lock.shown, from: 'lock', packages: parsePackagesLock(lockText, lock.shown) };
    const manifestText = readIfThere(manifest, workspace, main.MANIFEST_LIMIT);
    if (manifestText === undefined) {
        throw new Error(`Input \`resolve-check\` is true, but there is neither ${lock.shown} nor ${manifest.shown}. Set \`manifest\` to the Unity project's Packages/manifest.json.`);
    }
    return { file: manifest.shown, from: 'manifest', packages: parseManifestPackages(manifestText, manifest.shown) };
}
function readIfThere(where, workspace, limit) {
    try {
        return main.readProjectFile(where, workspace, limit);
    }
    catch (error) {
        if (main.errorCode(error) === 'ENOENT')
            return undefined;
        const why = error instanceof main.ProjectFileError ? error.message : `cannot be read: ${main.describeFsError(error)}`;
        throw new Error(`\`resolve-check\` cannot use ${where.shown}, which ${why}. No request was made for it.`, { cause: error });
    }
}
async function resolvePackages(project, context) {
    const usable = new Map();
    const unusable = new Map();
    const npmAuth = main.isPlainObject(context.final.npmAuth) ? context.final.npmAuth : {};
    for (const url of new Set(project.packages.map(p => p.url))) {
        if (!Object.hasOwn(npmAuth, url))
            continue;
        const credential = credentialOf(npmAuth[url], context.entries.find(e => e.url === url));
        if (typeof credential === 'string')
            unusable.set(url, credential);
        else
            usable.set(url, credential);
    }
    const checked = project.packages.filter(p => usable.has(p.url));
    const verdicts = await mapLimited(checked, CONCURRENCY, pkg => checkPackage(pkg, usable.get(pkg.url), context.network));
    const notChecked = notCheckedGroups(project.packages.filter(p => !usable.has(p.url)), unusable, context.configFile);
    return buildReport(project, verdicts, notChecked, context.configFile);
}
function credentialOf(table, entry) {
    if (!main.isPlainObject(table))
        return 'its npmAuth entry is not a table';
    const token = typeof table.token === 'string' && table.token !== '' ? table.token : undefined;
    const auth = typeof table._auth === 'string' && table._auth !== '' ? table._auth : undefined;
    if ((token === undefined) === (auth === undefined))
        return 'its table has no single `token` or `_auth` (Unity refuses such a table)';
    const authorization = registryHttp.authorizationHeader({ token, _auth: auth });
    if (!registryHttp.isSendableHeaderValue(authorization))
        return 'its credential holds a character an HTTP header cannot carry, so Unity cannot send it either';
    return { authorization, alwaysAuth: table.alwaysAuth === true, entry };
}
async function checkPackage(pkg, credential, network) {
    try {
        const answer = await registryHttp.registryRequest(registryHttp.registryEndpoint(pkg.url, `/${pkg.name}`), { method: 'GET', headers: { authorization: credential.authorization, accept: PACKUMENT_ACCEPT } }, { ...network, maxBodyBytes: PACKUMENT_MAX_BYTES });
        const packument = readPackument(answer.status, answer.text, pkg.version);
        if (packument.kind !== 'found')
            return packumentVerdict(pkg, packument, credential);
        const sends = sendsCredential(packument.tarball, pkg.url, credential.alwaysAuth);
        const tarball = await probeTarball(packument.tarball, sends ? credential.authorization : undefined, network);
        return tarballVerdict(pkg, tarball, credential);
    }
    catch (error) {
        if (error instanceof main.UnreachableError)
            return unreachableVerdict(pkg, error.message, error.httpStatus);
        throw error;
    }
}
async function probeTarball(url, authorization, network) {
    let target = new URL(url);
    let credential = authorization;
    let redirectedAway = false;
    for (let hop = 0;; hop++) {
        const headers = { accept: '*/*', range: 'bytes=0-0' };
        if (credential !== undefined)
            headers.authorization = credential;
        const answer = await registryHttp.registryRequest(target.href, { method: 'GET', headers, readBody: false }, network);
        const location = answer.headers.get('location');
        const next = location !== null && URL.canParse(location, target.href) ? new URL(location, target) : undefined;
        if (answer.status < 300 || answer.status > 399 || next === undefined || !isPlainHttpUrl(next) || hop === MAX_REDIRECTS) {
            return { status: answer.status, origin: target.origin, sentCredential: credential !== undefined, redirectedAway };
        }
        if (next.origin !== target.origin) {
            credential = undefined;
            redirectedAway = true;
        }
        target = next;
    }
}
async function mapLimited(items, limit, work) {
    const results = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const index = next++;
            results[index] = await work(items[index]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
}

exports.CONCURRENCY = CONCURRENCY;
exports.LOCK_FILE = LOCK_FILE;
exports.LOCK_LIMIT = LOCK_LIMIT;
exports.PACKUMENT_MAX_BYTES = PACKUMENT_MAX_BYTES;
exports.readProject = readProject;
exports.resolvePackages = resolvePackages;
