'use strict';

const os = require('os');
const crypto = require('crypto');
const fs = require('fs');
const path = require('node:path');
const fs$1 = require('node:fs');
const node_crypto = require('node:crypto');
const os$1 = require('node:os');
const promises = require('node:timers/promises');

function _interopNamespaceDefault(e) {
    const n = Object.create(null, { [Symbol.toStringTag]: { value: 'Module' } });
    if (e) {
        for (const k in e) {
            if (k !== 'default') {
                const d = Object.getOwnPropertyDescriptor(e, k);
                Object.defineProperty(n, k, d.get ? d : {
                    enumerable: true,
                    get: () => e[k]
                });
            }
        }
    }
    n.default = e;
    return Object.freeze(n);
}

const os__namespace = /*#__PURE__*/_interopNamespaceDefault(os);
const crypto__namespace = /*#__PURE__*/_interopNamespaceDefault(crypto);
const fs__namespace = /*#__PURE__*/_interopNamespaceDefault(fs);

// We use any as a valid input type
/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * Sanitizes an input into a string so it can be passed into issueCommand safely
 * @param input input to sanitize into a string
 */
function toCommandValue(input) {
    if (input === null || input === undefined) {
        return '';
    }
    else if (typeof input === 'string' || input instanceof String) {
        return input;
    }
    return JSON.stringify(input);
}
/**
 *
 * @param annotationProperties
 * @returns The command properties to send with the actual annotation command
 * See IssueCommandProperties: https://github.com/actions/runner/blob/main/src/Runner.Worker/ActionCommandManager.cs#L646
 */
function toCommandProperties(annotationProperties) {
    if (!Object.keys(annotationProperties).length) {
        return {};
    }
    return {
        title: annotationProperties.title,
        file: annotationProperties.file,
        line: annotationProperties.startLine,
        endLine: annotationProperties.endLine,
        col: annotationProperties.startColumn,
        endColumn: annotationProperties.endColumn
    };
}

/**
 * Issues a command to the GitHub Actions runner
 *
 * @param command - The command name to issue
 * @param properties - Additional properties for the command (key-value pairs)
 * @param message - The message to include with the command
 * @remarks
 * This function outputs a specially formatted string to stdout that the Actions
 * runner interprets as a command. These commands can control workflow behavior,
 * set outputs, create annotations, mask values, and more.
 *
 * Command Format:
 *   ::name key=value,key=value::message
 *
 * @example
 * ```typescript
 * // Issue a warning annotation
 * issueCommand('warning', {}, 'This is a warning message');
 * // Output: ::warning::This is a warning message
 *
 * // Set an environment variable
 * issueCommand('set-env', { name: 'MY_VAR' }, 'some value');
 * // Output: ::set-env name=MY_VAR::some value
 *
 * // Add a secret mask
 * issueCommand('add-mask', {}, 'secretValue123');
 * // Output: ::add-mask::secretValue123
 * ```
 *
 * @internal
 * This is an internal utility function that powers the public API functions
 * such as setSecret, warning, error, and exportVariable.
 */
function issueCommand(command, properties, message) {
    const cmd = new Command(command, properties, message);
    process.stdout.write(cmd.toString() + os__namespace.EOL);
}
const CMD_STRING = '::';
class Command {
    constructor(command, properties, message) {
        if (!command) {
            command = 'missing.command';
        }
        this.command = command;
        this.properties = properties;
        this.message = message;
    }
    toString() {
        let cmdStr = CMD_STRING + this.command;
        if (this.properties && Object.keys(this.properties).length > 0) {
            cmdStr += ' ';
            let first = true;
            for (const key in this.properties) {
                if (this.properties.hasOwnProperty(key)) {
                    const val = this.properties[key];
                    if (val) {
                        if (first) {
                            first = false;
                        }
                        else {
                            cmdStr += ',';
                        }
                        cmdStr += `${key}=${escapeProperty(val)}`;
                    }
                }
            }
        }
        cmdStr += `${CMD_STRING}${escapeData(this.message)}`;
        return cmdStr;
    }
}
function escapeData(s) {
    return toCommandValue(s)
        .replace(/%/g, '%25')
        .replace(/\r/g, '%0D')
        .replace(/\n/g, '%0A');
}
function escapeProperty(s) {
    return toCommandValue(s)
        .replace(/%/g, '%25')
        .replace(/\r/g, '%0D')
        .replace(/\n/g, '%0A')
        .replace(/:/g, '%3A')
        .replace(/,/g, '%2C');
}

// For internal use, subject to change.
// We use any as a valid input type
/* eslint-disable @typescript-eslint/no-explicit-any */
function issueFileCommand(command, message) {
    const filePath = process.env[`GITHUB_${command}`];
    if (!filePath) {
        throw new Error(`Unable to find environment variable for file command ${command}`);
    }
    if (!fs__namespace.existsSync(filePath)) {
        throw new Error(`Missing file at path: ${filePath}`);
    }
    fs__namespace.appendFileSync(filePath, `${toCommandValue(message)}${os__namespace.EOL}`, {
        encoding: 'utf8'
    });
}
function prepareKeyValueMessage(key, value) {
    const delimiter = `ghadelimiter_${crypto__namespace.randomUUID()}`;
    const convertedValue = toCommandValue(value);
    // These should realistically never happen, but just in case someone finds a
    // way to exploit uuid generation let's not allow keys or values that contain
    // the delimiter.
    if (key.includes(delimiter)) {
        throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
    }
    if (convertedValue.includes(delimiter)) {
        throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
    }
    return `${key}<<${delimiter}${os__namespace.EOL}${convertedValue}${os__namespace.EOL}${delimiter}`;
}

var commonjsGlobal = typeof globalThis !== 'undefined' ? globalThis : typeof window !== 'undefined' ? window : typeof global !== 'undefined' ? global : typeof self !== 'undefined' ? self : {};

function getDefaultExportFromCjs (x) {
	return x && x.__esModule && Object.prototype.hasOwnProperty.call(x, 'default') ? x['default'] : x;
}

(undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};
/**
 * The code to exit an action
 */
var ExitCode;
(function (ExitCode) {
    /**
     * A code indicating that the action was successful
     */
    ExitCode[ExitCode["Success"] = 0] = "Success";
    /**
     * A code indicating that the action was a failure
     */
    ExitCode[ExitCode["Failure"] = 1] = "Failure";
})(ExitCode || (ExitCode = {}));
//-----------------------------------------------------------------------
// Variables
//-----------------------------------------------------------------------
/**
 * Sets env variable for this action and future actions in the job
 * @param name the name of the variable to set
 * @param val the value of the variable. Non-string values will be converted to a string via JSON.stringify
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function exportVariable(name, val) {
    const convertedVal = toCommandValue(val);
    process.env[name] = convertedVal;
    const filePath = process.env['GITHUB_ENV'] || '';
    if (filePath) {
        return issueFileCommand('ENV', prepareKeyValueMessage(name, val));
    }
    issueCommand('set-env', { name }, convertedVal);
}
/**
 * Registers a secret which will get masked from logs
 *
 * @param secret - Value of the secret to be masked
 * @remarks
 * This function instructs the Actions runner to mask the specified value in any
 * logs produced during the workflow run. Once registered, the secret value will
 * be replaced with asterisks (***) whenever it appears in console output, logs,
 * or error messages.
 *
 * This is useful for protecting sensitive information such as:
 * - API keys
 * - Access tokens
 * - Authentication credentials
 * - URL parameters containing signatures (SAS tokens)
 *
 * Note that masking only affects future logs; any previous appearances of the
 * secret in logs before calling this function will remain unmasked.
 *
 * @example
 * ```typescript
 * // Register an API token as a secret
 * const apiToken = "abc123xyz456";
 * setSecret(apiToken);
 *
 * // Now any logs containing this value will show *** instead
 * console.log(`Using token: ${apiToken}`); // Outputs: "Using token: ***"
 * ```
 */
function setSecret(secret) {
    issueCommand('add-mask', {}, secret);
}
/**
 * Gets the value of an input.
 * Unless trimWhitespace is set to false in InputOptions, the value is also trimmed.
 * Returns an empty string if the value is not defined.
 *
 * @param     name     name of the input to get
 * @param     options  optional. See InputOptions.
 * @returns   string
 */
function getInput(name, options) {
    const val = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '';
    if (options && options.required && !val) {
        throw new Error(`Input required and not supplied: ${name}`);
    }
    if (options && options.trimWhitespace === false) {
        return val;
    }
    return val.trim();
}
/**
 * Sets the value of an output.
 *
 * @param     name     name of the output to set
 * @param     value    value to store. Non-string values will be converted to a string via JSON.stringify
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function setOutput(name, value) {
    const filePath = process.env['GITHUB_OUTPUT'] || '';
    if (filePath) {
        return issueFileCommand('OUTPUT', prepareKeyValueMessage(name, value));
    }
    process.stdout.write(os__namespace.EOL);
    issueCommand('set-output', { name }, toCommandValue(value));
}
//-----------------------------------------------------------------------
// Results
//-----------------------------------------------------------------------
/**
 * Sets the action status to failed.
 * When the action exits it will be with an exit code of 1
 * @param message add error issue message
 */
function setFailed(message) {
    process.exitCode = ExitCode.Failure;
    error(message);
}
/**
 * Writes debug message to user log
 * @param message debug message
 */
function debug(message) {
    issueCommand('debug', {}, message);
}
/**
 * Adds an error issue
 * @param message error issue message. Errors will be converted to string via toString()
 * @param properties optional properties to add to the annotation.
 */
function error(message, properties = {}) {
    issueCommand('error', toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
/**
 * Adds a warning issue
 * @param message warning issue message. Errors will be converted to string via toString()
 * @param properties optional properties to add to the annotation.
 */
function warning(message, properties = {}) {
    issueCommand('warning', toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
/**
 * Adds a notice issue
 * @param message notice issue message. Errors will be converted to string via toString()
 * @param properties optional properties to add to the annotation.
 */
function notice(message, properties = {}) {
    issueCommand('notice', toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
/**
 * Writes info to log with console.log.
 * @param message info message
 */
function info$1(message) {
    process.stdout.write(message + os__namespace.EOL);
}
//-----------------------------------------------------------------------
// Wrapper action state
//-----------------------------------------------------------------------
/**
 * Saves state for current action, the state can only be retrieved by this action's post job execution.
 *
 * @param     name     name of the state to store
 * @param     value    value to store. Non-string values will be converted to a string via JSON.stringify
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function saveState(name, value) {
    const filePath = process.env['GITHUB_STATE'] || '';
    if (filePath) {
        return issueFileCommand('STATE', prepareKeyValueMessage(name, value));
    }
    issueCommand('save-state', { name }, toCommandValue(value));
}
/**
 * Gets the value of an state set by this action's main execution.
 *
 * @param     name     name of the state to get
 * @returns   string
 */
function getState(name) {
    return process.env[`STATE_${name}`] || '';
}

const SECRET_FIELDS = ['token', 'auth', 'pat', 'password'];
function secretValues(fields) {
    return SECRET_FIELDS.map(f => fields[f]).filter((v) => !!v);
}
function tableSecrets(table) {
    return [...secretValues(table.fields), ...table.fromEnv, ...[table.url, table.fields.oidcExchangeUrl ?? ''].flatMap(urlSecrets)];
}
function entrySecrets(entry) {
    return [entry.token ?? '', entry._auth ?? ''].filter(v => v.length > 0);
}
function urlSecrets(url) {
    const span = userInfoSpan(url);
    if (!span)
        return [];
    const userinfo = url.slice(span.start, span.end);
    const colon = userinfo.indexOf(':');
    return [userinfo, colon >= 0 ? userinfo.slice(colon + 1) : ''].filter(v => v.length > 0);
}
function authorityStart(url) {
    return /^(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?[\\/]*/.exec(url)?.[0].length ?? 0;
}
const HOST_AND_PATH = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::\d+)?(?:[\\/][^@\\/?#]*)*$/;
function userInfoSpan(url) {
    const start = authorityStart(url);
    for (let end = url.lastIndexOf('@'); end >= start; end = url.lastIndexOf('@', end - 1)) {
        if (!beginsScope(url, start, end))
            return { start, end };
    }
    return undefined;
}
function beginsScope(url, start, at) {
    if (at === 0 || !'/\\'.includes(url[at - 1]))
        return false;
    const before = url.slice(start, at - 1);
    const userInfoEnd = before.lastIndexOf('@');
    return HOST_AND_PATH.test(userInfoEnd >= 0 ? before.slice(userInfoEnd + 1) : before);
}
function redactUrl(url) {
    const span = userInfoSpan(url);
    return span ? `${url.slice(0, span.start)}***${url.slice(span.end)}` : url;
}
function quotableUrl(url) {
    const span = userInfoSpan(url);
    const rest = url.slice(span ? span.end + 1 : authorityStart(url));
    const scheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:/.exec(url)?.[0] ?? '';
    const host = /^[A-Za-z0-9.-]*(?::\d+)?/.exec(rest)?.[0] ?? '';
    return `${scheme}//${host}${host.length < rest.length ? '/…' : ''}`;
}

const masked = new Set();
function mask(values) {
    for (const value of values) {
        if (value && !masked.has(value)) {
            masked.add(value);
            setSecret(value);
        }
    }
}
function readInputs() {
    const get = (name) => getInput(name);
    const credentials = {
        token: get('token'),
        auth: get('auth'),
        email: get('email'),
        pat: get('pat'),
        username: get('username'),
        password: get('password'),
        oidc: get('oidc'),
        oidcAudience: get('oidc-audience'),
        oidcProviderName: get('oidc-provider-name'),
        oidcService: get('oidc-service'),
        oidcExchangeUrl: get('oidc-exchange-url')
    };
    const registryUrl = get('registry-url');
    mask(secretValues(credentials));
    mask([registryUrl, credentials.oidcExchangeUrl].flatMap(urlSecrets));
    return {
        ...credentials,
        registryUrl,
        alwaysAuth: get('always-auth') || 'true',
        registries: getInput('registries', { trimWhitespace: false }),
        configFile: get('config-file'),
        location: get('location') || 'home',
        verify: get('verify') || 'false',
        resolveCheck: get('resolve-check') || 'false',
        login: get('login') || 'false',
        manifest: get('manifest'),
        manifestCheck: get('manifest-check') || 'warn',
        cacheRoot: get('cache-root'),
        maxCacheSize: get('max-cache-size'),
        cleanup: get('cleanup') || 'true'
    };
}

function urlScope(url) {
    let pathname;
    try {
        pathname = new URL(url).pathname;
    }
    catch {
        return undefined;
    }
    return /\/(@[^/@]+)\/?$/.exec(pathname)?.[1];
}
function isGitHubPackagesUrl(url, serverUrl) {
    let parsed;
    try {
        parsed = new URL(url);
    }
    catch {
        return false;
    }
    const host = parsed.hostname.toLowerCase();
    if (host === 'npm.pkg.github.com' || /^npm\.[a-z0-9-]+\.ghe\.com$/.test(host))
        return true;
    let server;
    try {
        server = serverUrl ? new URL(serverUrl).hostname.toLowerCase() : undefined;
    }
    catch {
        server = undefined;
    }
    if (server === undefined || server === 'github.com')
        return false;
    return host === `npm.${server}` || (host === server && /^\/_registry\/npm(\/|$)/.test(parsed.pathname));
}

/*!
 * Copyright (c) Squirrel Chat et al., All rights reserved.
 * SPDX-License-Identifier: BSD-3-Clause
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions are met:
 *
 * 1. Redistributions of source code must retain the above copyright notice, this
 *    list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright notice,
 *    this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. Neither the name of the copyright holder nor the names of its contributors
 *    may be used to endorse or promote products derived from this software without
 *    specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
 * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
 * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
 * SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
 * CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
 * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
 * OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 */
function getLineColFromPtr(string, ptr) {
    let lines = string.slice(0, ptr).split(/\r?\n/);
    return [lines.length, lines.pop().length + 1];
}
function makeCodeBlock(string, line, column) {
    let lines = string.split(/\r?\n/);
    let codeblock = '';
    let numberLen = (Math.log10(line + 1) | 0) + 1;
    for (let i = line - 1; i <= line + 1; i++) {
        let l = lines[i - 1];
        if (!l)
            continue;
        codeblock += i.toString().padEnd(numberLen, ' ');
        codeblock += ':  ';
        codeblock += l;
        codeblock += '\n';
        if (i === line) {
            codeblock += ' '.repeat(numberLen + column + 2);
            codeblock += '^\n';
        }
    }
    return codeblock;
}
class TomlError extends Error {
    line;
    column;
    codeblock;
    constructor(message, options) {
        const [line, column] = getLineColFromPtr(options.toml, options.ptr);
        const codeblock = makeCodeBlock(options.toml, line, column);
        super(`Invalid TOML document: ${message}\n\n${codeblock}`, options);
        this.line = line;
        this.column = column;
        this.codeblock = codeblock;
    }
    /** @internal */
    static x(message, ctx, ptr) {
        throw new TomlError(message, { toml: ctx.s, ptr: ptr ?? ctx.p });
    }
}

/*!
 * Copyright (c) Squirrel Chat et al., All rights reserved.
 * SPDX-License-Identifier: BSD-3-Clause
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions are met:
 *
 * 1. Redistributions of source code must retain the above copyright notice, this
 *    list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright notice,
 *    this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. Neither the name of the copyright holder nor the names of its contributors
 *    may be used to endorse or promote products derived from this software without
 *    specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
 * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
 * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
 * SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
 * CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
 * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
 * OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 */
/** @internal */
function parseString(ctx) {
    let startPtr = ctx.p;
    let c = ctx.s.charCodeAt(ctx.p++);
    let first = c;
    let isLiteral = c === 0x27; /* ' */
    let isMultiline = c === ctx.s.charCodeAt(ctx.p) && c === ctx.s.charCodeAt(ctx.p + 1);
    if (isMultiline) {
        // Trim initial newline
        if ((c = ctx.s.charCodeAt(ctx.p += 2)) === 0xa /* \n */)
            ctx.p++;
        else if (c === 0xd /* \r */ && ctx.s.charCodeAt(ctx.p + 1) === 0xa /* \n */)
            ctx.p += 2;
    }
    // For the record: it is not worth it to use a fast-path for literal strings using `indexOf`.
    // Doing a char-by-char iteration ends up dispatching less instructions, for the same wall-clock runtime.
    let parsed = '';
    let sliceStart = ctx.p;
    // states:
    //   0 - decoding
    //   1 - decoding escape
    //   2 - whitespace escape (no newline encountered yet, must fail on non-whitespace)
    //   3 - whitespace escape (newline encountered, allowed to transition back to normal decode)
    let state = 0;
    for (; ctx.p < ctx.s.length; ctx.p++) {
        c = ctx.s.charCodeAt(ctx.p);
        // Deal with newlines first, since that simplifies control character checking and handling across all states
        if (isMultiline && (c === 0xa /* \n */ || (c === 0xd /* \r */ && ctx.s.charCodeAt(ctx.p + 1) === 0xa /* \n */))) {
            state = state && 3;
        }
        // Control characters are banned in TOML, so we throw an error if we encounter them
        else if ((c < 0x20 && c !== 0x9 /* \t */) || c === 0x7f) {
            TomlError.x('control characters are not allowed in strings', ctx);
        }
        // The string might terminate while we're parsing through a newline escape.
        // It must have encountered a newline; otherwise, it'll simply fail in another branch.
        else if ((!state || state === 3) && c === first && (!isMultiline || (ctx.s.charCodeAt(ctx.p + 1) === first && ctx.s.charCodeAt(ctx.p + 2) === first))) {
            if (isMultiline) {
                // If the string ends with 4-5 quotes, then the first 1-2 are part of the string
                if (ctx.s.charCodeAt(ctx.p + 3) === first)
                    ctx.p++;
                if (ctx.s.charCodeAt(ctx.p + 3) === first)
                    ctx.p++;
            }
            // If we're in a newline escape still, then there's nothing to add.
            if (!state) {
                // Avoid a useless concat operation if the string can be used as-is.
                let s = ctx.s.slice(sliceStart, ctx.p);
                parsed = parsed ? parsed + s : s;
            }
            ctx.p += isMultiline ? 3 : 1;
            return parsed;
        }
        // Baseline state; keep moving forward unless an escape sequence starts
        else if (!state) {
            if (!isLiteral && c === 0x5c /* \ */) {
                parsed += ctx.s.slice(sliceStart, (sliceStart = ctx.p));
                state = 1;
            }
        }
        else if (state === 1) {
            if (c === 0x78 /* x */ || c === 0x75 /* u */ || c === 0x55 /* U */) { // Unicode escape
                let errPtr = ctx.p++ - 1;
                let value = 0;
                let len = c === 0x78 /* x */ ? 2 : c === 0x75 /* u */ ? 4 : 8;
                for (let j = 0; j < len; j++, ctx.p++) {
                    let hex = ctx.s.charCodeAt(ctx.p);
                    let digit = 
                    /* 0-9 */ hex >= 0x30 && hex <= 0x39 ? hex - 0x30 :
                        /* A-F */ hex >= 0x41 && hex <= 0x46 ? hex - 0x41 + 10 :
                            /* a-f */ hex >= 0x61 && hex <= 0x66 ? hex - 0x61 + 10 : -1;
                    if (digit < 0)
                        TomlError.x('invalid non-hex character in unicode escape', ctx);
                    value = (value << 4) | digit;
                }
                // Because JS does bitwise on signed 32bit integers, all 0xfzzzzzzz values are actually seen as negative
                if (value < 0 || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) {
                    TomlError.x('invalid unicode escape', ctx, errPtr);
                }
                parsed += String.fromCodePoint(value);
                sliceStart = ctx.p--;
                state = 0;
            }
            // Newline escape sequence. We only need to care about spaces and tabs; newlines are dealt with earlier
            else if (isMultiline && (c === 0x20 || c === 0x9 /* \t */)) {
                state = 2;
            }
            // Basic escape sequence
            else {
                if (c === 0x62 /* b */)
                    parsed += '\b';
                else if (c === 0x74 /* t */)
                    parsed += '\t';
                else if (c === 0x6e /* n */)
                    parsed += '\n';
                else if (c === 0x66 /* f */)
                    parsed += '\f';
                else if (c === 0x72 /* r */)
                    parsed += '\r';
                else if (c === 0x65 /* e */)
                    parsed += '\x1b';
                else if (c === 0x22 /* " */)
                    parsed += '"';
                else if (c === 0x5c /* \ */)
                    parsed += '\\';
                else
                    TomlError.x('unrecognised escape sequence', ctx);
                sliceStart = ctx.p + 1;
                state = 0;
            }
        }
        // Newline escape continuation: keep moving forward until the first non-whitespace char
        else if (c !== 0x20 && c !== 0x9 /* \t */) {
            if (state === 2)
                TomlError.x('invalid escape: only line-ending whitespace may be escaped', ctx, sliceStart);
            // State cannot be zero, or we'd have branched earlier already.
            // If it's a backslash, immediately transition to the escape state so it can be processed.
            state = !isLiteral && c === 0x5c /* \ */ ? 1 : 0;
            sliceStart = ctx.p;
        }
    }
    TomlError.x('unfinished string', ctx, startPtr);
}

/*!
 * Copyright (c) Squirrel Chat et al., All rights reserved.
 * SPDX-License-Identifier: BSD-3-Clause
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions are met:
 *
 * 1. Redistributions of source code must retain the above copyright notice, this
 *    list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright notice,
 *    this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. Neither the name of the copyright holder nor the names of its contributors
 *    may be used to endorse or promote products derived from this software without
 *    specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
 * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
 * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
 * SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
 * CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
 * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
 * OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 */
let DATE_TIME_RE = /^(\d{4}-\d{2}-\d{2})?[Tt ]?(?:(\d{2}):\d{2}(?::\d{2}(?:\.\d+)?)?)?(Z|z|[-+]\d{2}:\d{2})?$/i;
class TomlDate extends Date {
    #hasDate = false;
    #hasTime = false;
    #offset = null;
    constructor(date, fasttype, unsafeDelim) {
        let hasDate = true;
        let hasTime = true;
        let offset = 'Z';
        let c;
        if (typeof date === 'string') {
            if (fasttype)
                prep: {
                    // Date-time
                    if (fasttype < 3) {
                        if (+date.slice(11, 13) > 23) {
                            date = '';
                            break prep;
                        }
                        // Local
                        if (fasttype === 2) {
                            offset = null;
                            date += 'Z';
                        }
                        // Offset; keep track of offset if not Z
                        else if ((c = date.charCodeAt(date.length - 1)) !== 0x5a /* Z */ && c !== 0x7a /* z */) {
                            offset = date.slice(date.length - 6);
                        }
                        if (unsafeDelim)
                            date = date.slice(0, 10) + 'T' + date.slice(11);
                    }
                    // Time
                    else if (fasttype === 4) {
                        date = +date.slice(0, 2) > 23 ? '' : `0000-01-01T${date}Z`;
                    }
                    hasDate = fasttype !== 4;
                    hasTime = fasttype !== 3;
                }
            else {
                let match = date.match(DATE_TIME_RE);
                if (match) {
                    if (!match[1]) {
                        hasDate = false;
                        date = `0000-01-01T${date}`;
                    }
                    hasTime = !!match[2];
                    // Make sure to use T instead of a space. Breaks in case of extreme values otherwise.
                    hasTime && date[10] === ' ' && (date = date.replace(' ', 'T'));
                    // Do not allow rollover hours.
                    if (match[2] && +match[2] > 23) {
                        date = '';
                    }
                    else {
                        offset = match[3] || null;
                        if (!offset && hasTime)
                            date += 'Z';
                    }
                }
                else {
                    date = '';
                }
            }
        }
        super(date);
        if (!isNaN(this.getTime())) {
            this.#hasDate = hasDate;
            this.#hasTime = hasTime;
            this.#offset = offset;
        }
    }
    isDateTime() {
        return this.#hasDate && this.#hasTime;
    }
    isLocal() {
        return !this.#hasDate || !this.#hasTime || !this.#offset;
    }
    isDate() {
        return this.#hasDate && !this.#hasTime;
    }
    isTime() {
        return this.#hasTime && !this.#hasDate;
    }
    isValid() {
        return this.#hasDate || this.#hasTime;
    }
    toISOString() {
        let iso = super.toISOString();
        // Local Date
        if (this.isDate())
            return iso.slice(0, 10);
        // Local Time
        if (this.isTime())
            return iso.slice(11, 23);
        // Local DateTime
        if (this.#offset === null)
            return iso.slice(0, -1);
        // Offset DateTime
        if (this.#offset === 'Z' || this.#offset === 'z')
            return iso;
        // This part is quite annoying: JS strips the original timezone from the ISO string representation
        // Instead of using a "modified" date and "Z", we restore the representation "as authored"
        let offset = (+(this.#offset.slice(1, 3)) * 60) + +(this.#offset.slice(4, 6));
        offset = this.#offset[0] === '-' ? offset : -offset;
        let offsetDate = new Date(this.getTime() - (offset * 60e3));
        return offsetDate.toISOString().slice(0, -1) + this.#offset;
    }
    static wrapAsOffsetDateTime(jsDate, offset = 'Z') {
        let date = new TomlDate(jsDate);
        date.#offset = offset;
        return date;
    }
    static wrapAsLocalDateTime(jsDate) {
        let date = new TomlDate(jsDate);
        date.#offset = null;
        return date;
    }
    static wrapAsLocalDate(jsDate) {
        let date = new TomlDate(jsDate);
        date.#hasTime = false;
        date.#offset = null;
        return date;
    }
    static wrapAsLocalTime(jsDate) {
        let date = new TomlDate(jsDate);
        date.#hasDate = false;
        date.#offset = null;
        return date;
    }
}

/*!
 * Copyright (c) Squirrel Chat et al., All rights reserved.
 * SPDX-License-Identifier: BSD-3-Clause
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions are met:
 *
 * 1. Redistributions of source code must retain the above copyright notice, this
 *    list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright notice,
 *    this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. Neither the name of the copyright holder nor the names of its contributors
 *    may be used to endorse or promote products derived from this software without
 *    specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
 * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
 * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
 * SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
 * CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
 * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
 * OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 */
function isDigit(char, base = 10) {
    return base === 16
        ? (char > 0x2f && char < 0x3a) || (char > 0x40 && char < 0x47) || (char > 0x60 && char < 0x67)
        : (char > 0x2f && char < 0x30 + base);
}
function isEndOfValue(char, delim) {
    // Whitespace -- we're permissive on `\r` for performance; it'll be dealt with later anyway
    return char === 0x20 || char === 0x9 /* \t */ || char === 0xa /* \n */ || char === 0xd /* \r */ ||
        // Structure end or next value delimiter
        (delim && (char === delim || char === 0x2c /* , */)) ||
        // Comment
        char === 0x23; /* # */
}
/** @internal */
function extractValue(ctx, end) {
    let errPtr = ctx.p;
    let c = ctx.s.charCodeAt(ctx.p);
    // Structs
    if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
        ctx.d-- || TomlError.x('document contains excessively nested structures. aborting.', ctx);
        let value = c === 0x5b /* [ */
            ? parseArray(ctx)
            : parseInlineTable(ctx);
        ctx.d++;
        return value;
    }
    // Strings
    if (c === 0x22 /* " */ || c === 0x27 /* ' */) {
        return parseString(ctx);
    }
    // Booleans
    // We can fast-path because the first character is enough to know the only possible value
    if (c === 0x74 /* t */) { // Only possible valid value is `true`
        if (ctx.s.charCodeAt(++ctx.p) !== 0x72 || ctx.s.charCodeAt(++ctx.p) !== 0x75 || ctx.s.charCodeAt(++ctx.p) !== 0x65)
            TomlError.x('invalid value', ctx, errPtr);
        return ctx.p++, true;
    }
    if (c === 0x66 /* f */) { // Only possible valid value is `false`
        if (ctx.s.charCodeAt(++ctx.p) !== 0x61 || ctx.s.charCodeAt(++ctx.p) !== 0x6c || ctx.s.charCodeAt(++ctx.p) !== 0x73 || ctx.s.charCodeAt(++ctx.p) !== 0x65)
            TomlError.x('invalid value', ctx, errPtr);
        return ctx.p++, false;
    }
    if (c === 0x2b /* + */ || c === 0x2d /* - */) {
        return parseNumber(ctx, ctx.p, ctx.s.charCodeAt(++ctx.p), 0x2c - c, end);
    }
    // Rough heuristic, but `parseDate` falls back to number parsing if it's a false positive.
    // e.g.: `a = 1\n-------------- = 1` would match this heuristic, but gracefully fallback to numbers.
    if (ctx.s.charCodeAt(ctx.p + 4) === 0x2d /* - */ && ctx.s.charCodeAt(ctx.p + 7) === 0x2d /* - */) {
        return parseDate(ctx, c, end);
    }
    // Same logic as above; `parseTime` falls back to number parsing if it's a false positive.
    if (ctx.s.charCodeAt(ctx.p + 2) === 0x3a /* : */) {
        return parseTime(ctx, c, end);
    }
    return parseNumber(ctx, ctx.p, c, 0, end);
}
// State:
// 0: init
// 1: integer
// 2: fractional dot
// 3: fractional
// 4: exponent letter
// 5: exponent
// 6: exponent sign
// 7: exponent with sign
// >9: underscore; see below
//     -> 12: was integer
//     -> 14: was fractional
//     -> 16: was exponent
// states 2-5, 14, 16 are ONLY permitted iif base === 10
function parseNumber(ctx, startPtr, startChr, sign, endChr) {
    let c = startChr;
    let state = 0;
    let hasUnderscores = false;
    // (+/-)inf
    if (c === 0x69 /* i */) {
        if (ctx.s.charCodeAt(++ctx.p) !== 0x6e || ctx.s.charCodeAt(++ctx.p) !== 0x66)
            TomlError.x('invalid value', ctx, startPtr);
        return ctx.p++, (sign || 1) / 0;
    }
    // (+/-)nan
    if (c === 0x6e /* n */) {
        if (ctx.s.charCodeAt(++ctx.p) !== 0x61 || ctx.s.charCodeAt(++ctx.p) !== 0x6e)
            TomlError.x('invalid value', ctx, startPtr);
        return ctx.p++, NaN;
    }
    // Leading zero
    // Only allowed cases: `0<EOV>`, `0.(...)`, `0e(...)`, `0x(...)`, `0b(...)`, `0o(...)`
    // FWIW, `0e(...)` is a stupid case, but it's not banned per-se so we have to parse it
    if (c === 0x30 /* 0 */) {
        if (++ctx.p >= ctx.s.length || isEndOfValue(c = ctx.s.charCodeAt(ctx.p), endChr))
            return ctx.bi === true ? 0n : 0; // note: conveniently deals with `-0`
        if (!sign) {
            if (c === 0x78 /* x */)
                return parseIntegerBaseN(ctx, startPtr, 16, endChr);
            else if (c === 0x62 /* b */)
                return parseIntegerBaseN(ctx, startPtr, 2, endChr);
            else if (c === 0x6f /* o */)
                return parseIntegerBaseN(ctx, startPtr, 8, endChr);
        }
        if (c === 0x2e /* . */)
            state = 2;
        else if (c === 0x65 /* e */ || c === 0x45 /* E */)
            state = 4;
        else
            TomlError.x('illegal leading zero', ctx, startPtr);
    }
    // If the 1st char is not a digit by now, then it's not a valid TOML value at all
    else if (!isDigit(c))
        TomlError.x('invalid value', ctx, startPtr);
    while (++ctx.p < ctx.s.length && (c = ctx.s.charCodeAt(ctx.p), !isEndOfValue(c, endChr))) {
        if (!state)
            state = 1; // Detects single-digit numbers we can use a fast parse path for
        // The way the states are numbered is not random: underscores are always permitted in odd-numbered states and
        // never permitted in even-numbered ones.
        if (c === 0x5f /* _ */) {
            if (!(state & 1))
                TomlError.x('illegal underscore', ctx);
            state += 11; // 11 is a marker that makes the state even and greater than 9; see the numbering + rationale above
            hasUnderscores = true;
        }
        // Transition to fractional part.
        else if (state === 1 && c === 0x2e /* . */)
            state = 2;
        // Transition to exponent part.
        else if ((state === 1 || state === 3) && (c === 0x65 /* e */ || c === 0x45 /* E */))
            state = 4;
        // + and - are permitted in state 4 only (handled before entering the function for state 0)
        else if (state === 4 && (c === 0x2b /* + */ || c === 0x2d /* - */)) {
            state = 6;
        }
        // All special cases have been handled; only digits are allowed here
        else if (!isDigit(c))
            TomlError.x(`illegal character in numeric literal`, ctx);
        // Clear state flags
        else if (state > 9)
            state -= 11;
        else if (!(state & 1))
            state++;
    }
    // Single-char number; we can fast-path these very easily.
    if (!state) {
        let val = (startChr - 0x30 /* 0 */) * (sign || 1);
        return ctx.bi === true ? BigInt(val) : val;
    }
    // Even-numbered states absolutely require a digit next; not even end of value is permitted
    if (!(state & 1))
        TomlError.x('unfinished numeric value', ctx, startPtr);
    let str = ctx.s.slice(startPtr, ctx.p);
    if (hasUnderscores)
        str = str.replaceAll('_', ''); // perf: replaceAll 1.25x faster than replace with a regex
    return state > 1
        ? parseFloat(str)
        : parseInteger(ctx, str, 10, startPtr);
}
function parseIntegerBaseN(ctx, startPtr, base, endChr) {
    let c, underscore = 1;
    while (++ctx.p < ctx.s.length && (c = ctx.s.charCodeAt(ctx.p), !isEndOfValue(c, endChr))) {
        if (c === 0x5f /* _ */) {
            if (underscore & 1)
                TomlError.x('illegal underscore', ctx);
            underscore = 3;
        }
        // We only need to check if the number is a valid digit, nothing else is permitted
        else if (!isDigit(c, base))
            TomlError.x(`illegal character in numeric literal`, ctx);
        // Clear underscore flag
        else if (underscore & 1)
            underscore--;
    }
    // Trailing underscore is not allowed
    if (underscore & 1)
        TomlError.x('unfinished numeric value', ctx);
    let str = ctx.s.slice(startPtr + 2, ctx.p);
    if (underscore)
        str = str.replaceAll('_', ''); // perf: replaceAll 1.25x faster than replace with a regex
    return parseInteger(ctx, str, base, startPtr);
}
function parseInteger(ctx, str, base, startPtr) {
    if (ctx.bi !== true)
        int: {
            let val = parseInt(str, base);
            if (!Number.isSafeInteger(val)) {
                if (ctx.bi)
                    break int;
                TomlError.x('integer value cannot be represented losslessly', ctx, startPtr);
            }
            return val;
        }
    return base === 10 ? BigInt(str) : BigInt((base === 2 ? '0b' : base === 8 ? '0o' : '0x') + str);
}
function parseDate(ctx, c, endChr) {
    let startPtr = ctx.p++, unsafeSeparator;
    if (!isDigit(c) ||
        !isDigit(ctx.s.charCodeAt(ctx.p++)) ||
        !isDigit(ctx.s.charCodeAt(ctx.p++)) ||
        !isDigit(ctx.s.charCodeAt(ctx.p++))) {
        return parseNumber(ctx, ctx.p = startPtr, c, 0, endChr);
    }
    ctx.p += 5;
    if (!isDigit(ctx.s.charCodeAt(ctx.p++)))
        TomlError.x('invalid date-time: date part is malformed', ctx, startPtr);
    if (ctx.p >= ctx.s.length || (((c = ctx.s.charCodeAt(ctx.p)) !== 0x20 || (unsafeSeparator = true, !isDigit(ctx.s.charCodeAt(ctx.p + 1)))) && c !== 0x54 /* T */ && c !== 0x74 /* t */)) {
        let t = ctx.s.slice(startPtr, ctx.p);
        return readDate(ctx, t, 3, false, startPtr);
    }
    if (ctx.s.charCodeAt(ctx.p += 3) !== 0x3a /* : */)
        TomlError.x('invalid date-time: time part is malformed', ctx, startPtr);
    if (ctx.s.charCodeAt(ctx.p += 3) === 0x3a /* : */)
        ctx.p += 3;
    if (ctx.s.charCodeAt(ctx.p) === 0x2e /* . */)
        while (isDigit(ctx.s.charCodeAt(++ctx.p)))
            ;
    if (c = ctx.s.charCodeAt(ctx.p)) {
        if (c === 0x5a /* Z */ || c === 0x7a /* z */) {
            let t = ctx.s.slice(startPtr, ++ctx.p);
            return readDate(ctx, t, 1, unsafeSeparator, startPtr, '[+00:00]');
        }
        if (c === 0x2b /* + */ || c === 0x2d /* - */) {
            // Temporal's ZonedDateTime is weird asf when it comes to dealing with traditional offsets...
            // It's 1.2x faster to allocate a new string to pass to ZDT than use Instant.toZonedDateTimeISO
            let t = ctx.s.slice(startPtr, ctx.p += 6);
            return readDate(ctx, t, 1, unsafeSeparator, startPtr, !ctx.ld && ('[' + ctx.s.slice(ctx.p - 6, ctx.p) + ']'));
        }
    }
    let t = ctx.s.slice(startPtr, ctx.p);
    return readDate(ctx, t, 2, unsafeSeparator, startPtr);
}
function parseTime(ctx, c, endChr) {
    let start = ctx.p;
    if (!isDigit(c) || !isDigit(ctx.s.charCodeAt(++ctx.p))) {
        return parseNumber(ctx, --ctx.p, c, 0, endChr);
    }
    if (ctx.s.charCodeAt(ctx.p += 4) === 0x3a /* : */)
        ctx.p += 3;
    if (ctx.s.charCodeAt(ctx.p) === 0x2e /* . */)
        while (isDigit(ctx.s.charCodeAt(++ctx.p)))
            ;
    let t = ctx.s.slice(start, ctx.p);
    return readDate(ctx, t, 4, false, start);
}
function readDate(ctx, str, type, unsafeDelim, errPtr, temporalSuffix) {
    if (ctx.ld) {
        let date = new TomlDate(str, type, unsafeDelim);
        if (!date.isValid())
            TomlError.x('invalid date', ctx, errPtr);
        return date;
    }
    try {
        if (temporalSuffix)
            str += temporalSuffix;
        switch (type) {
            case 1: return Temporal.ZonedDateTime.from(str);
            case 2: return Temporal.PlainDateTime.from(str);
            case 3: return Temporal.PlainDate.from(str);
            case 4: return Temporal.PlainTime.from(str);
        }
    }
    catch (e) {
        TomlError.x(e instanceof Error ? e.message : '' + e, ctx, errPtr);
    }
}

/*!
 * Copyright (c) Squirrel Chat et al., All rights reserved.
 * SPDX-License-Identifier: BSD-3-Clause
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions are met:
 *
 * 1. Redistributions of source code must retain the above copyright notice, this
 *    list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright notice,
 *    this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. Neither the name of the copyright holder nor the names of its contributors
 *    may be used to endorse or promote products derived from this software without
 *    specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
 * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
 * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
 * SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
 * CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
 * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
 * OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 */
/** @internal */
function skipComment(ctx) {
    for (; ctx.p < ctx.s.length; ctx.p++) {
        let c = ctx.s.charCodeAt(ctx.p);
        if (c === 0xa /* \n */)
            break;
        if (c === 0xd /* \r */ && ctx.s.charCodeAt(ctx.p + 1) === 0xa /* \n */) {
            ctx.p++;
            break;
        }
        if ((c < 0x20 && c !== 0x9 /* \t */) || c === 0x7f) {
            TomlError.x('control characters are not allowed in comments', ctx);
        }
    }
}
/** @internal */
function skipVoid(ctx, banNewLines, banComments) {
    let c;
    while (ctx.p < ctx.s.length) {
        while (ctx.p < ctx.s.length && ((c = ctx.s.charCodeAt(ctx.p)) === 0x20 ||
            c === 0x9 /* \t */ ||
            (!banNewLines &&
                (c === 0xa /* \n */ || (c === 0xd /* \r */ && ctx.s.charCodeAt(ctx.p + 1) === 0xa /* \n */)))))
            ctx.p++;
        if (banComments || c !== 0x23 /* # */)
            break;
        skipComment(ctx);
    }
}

/*!
 * Copyright (c) Squirrel Chat et al., All rights reserved.
 * SPDX-License-Identifier: BSD-3-Clause
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions are met:
 *
 * 1. Redistributions of source code must retain the above copyright notice, this
 *    list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright notice,
 *    this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. Neither the name of the copyright holder nor the names of its contributors
 *    may be used to endorse or promote products derived from this software without
 *    specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
 * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
 * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
 * SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
 * CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
 * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
 * OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 */
/** @internal */
function parseKey(ctx, end = 0x3d /* = */) {
    // States:
    // 0: before first char
    // 1: parsing bare key
    // 2: after key component
    let startPtr;
    let state = 0;
    let parsed = [];
    let sliceStart;
    let c = ctx.s.charCodeAt(startPtr = ctx.p);
    do {
        // End of key
        if (c === end) {
            if (!state)
                TomlError.x('unexpected end of key', ctx);
            if (state === 1)
                parsed.push(ctx.s.slice(sliceStart, ctx.p));
            return ctx.p++, parsed;
        }
        // Dotted key separator
        else if (c === 0x2e /* . */) {
            if (!state)
                TomlError.x('illegal empty bare key', ctx);
            if (state === 1)
                parsed.push(ctx.s.slice(sliceStart, ctx.p));
            state = 0;
        }
        // Quoted key
        else if (!state && (c === 0x22 /* " */ || c === 0x27 /* ' */)) {
            if (c === ctx.s.charCodeAt(ctx.p + 1) && c === ctx.s.charCodeAt(ctx.p + 2))
                TomlError.x('illegal quoted key: multiline strings are not allowed', ctx);
            parsed.push(parseString(ctx));
            state = 2;
            ctx.p--;
        }
        // Whitespace; no-op in state 0 and 2, end of bare key in state 1
        else if (c === 0x20 || c === 0x9 /* \t */) {
            if (state === 1) {
                parsed.push(ctx.s.slice(sliceStart, ctx.p));
                state = 2;
            }
        }
        // If state is post-key, no character is allowed; otherwise ensure it's a bare-key component
        else if (state === 2 || (c < 0x30 && c !== 0x2d /* - */) || (c > 0x39 && c < 0x41) || (c > 0x5a && c < 0x61 && c !== 0x5f /* _ */) || c > 0x7a) {
            TomlError.x('illegal character in key', ctx);
        }
        // Illegal character
        else if (!state) {
            state = 1;
            sliceStart = ctx.p;
        }
    } while (c = ctx.s.charCodeAt(++ctx.p));
    TomlError.x('incomplete key-value: cannot find end of key', ctx, startPtr);
}
/** @internal */
function parseInlineTable(ctx) {
    let startPtr = ctx.p++;
    let res = Object.create(null);
    let seen = new Set();
    let c;
    while (ctx.p < ctx.s.length) {
        skipVoid(ctx);
        if ((c = ctx.s.charCodeAt(ctx.p)) === 0x7d /* } */) {
            ctx.p++;
            return res;
        }
        let k;
        let t = res;
        let hasOwn = false;
        let errPtr = ctx.p;
        let key = parseKey(ctx);
        for (let i = 0; i < key.length; i++) {
            if (i)
                t = hasOwn ? t[k] : (t[k] = Object.create(null));
            k = key[i];
            if ((hasOwn = Object.hasOwn(t, k)) && (typeof t[k] !== 'object' || seen.has(t[k]))) {
                TomlError.x('trying to redefine an already defined value', ctx, errPtr);
            }
            let unsafe = k === '__proto__';
            if (ctx.uk && (unsafe || k === 'constructor')) {
                t = ctx.uk !== 1 && TomlError.x('document contains an unsafe property', ctx, errPtr);
                break;
            }
            if (!hasOwn && unsafe) {
                Object.defineProperty(t, k, { enumerable: true, configurable: true, writable: true });
            }
        }
        if (hasOwn) {
            TomlError.x('trying to redefine an already defined value', ctx, errPtr);
        }
        skipVoid(ctx, true, true);
        let value = extractValue(ctx, 0x7d /* } */);
        if (t && typeof (t[k] = value) === 'object')
            seen.add(value);
        skipVoid(ctx);
        if ((c = ctx.s.charCodeAt(ctx.p++)) === 0x7d /* } */) {
            return res;
        }
        if (c !== 0x2c /* , */)
            TomlError.x('expected comma or end of structure', ctx, ctx.p - 1);
    }
    TomlError.x('unfinished table', ctx, startPtr);
}
/** @internal */
function parseArray(ctx) {
    let startPtr = ctx.p++;
    let res = [];
    let c;
    while (ctx.p < ctx.s.length) {
        skipVoid(ctx);
        if ((c = ctx.s.charCodeAt(ctx.p)) === 0x5d /* ] */) {
            ctx.p++;
            return res;
        }
        res.push(extractValue(ctx, 0x5d /* ] */));
        skipVoid(ctx);
        if ((c = ctx.s.charCodeAt(ctx.p++)) === 0x5d /* ] */) {
            return res;
        }
        if (c !== 0x2c /* , */)
            TomlError.x('expected comma or end of structure', ctx, ctx.p - 1);
    }
    TomlError.x('unfinished array', ctx, startPtr);
}

/*!
 * Copyright (c) Squirrel Chat et al., All rights reserved.
 * SPDX-License-Identifier: BSD-3-Clause
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions are met:
 *
 * 1. Redistributions of source code must retain the above copyright notice, this
 *    list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright notice,
 *    this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. Neither the name of the copyright holder nor the names of its contributors
 *    may be used to endorse or promote products derived from this software without
 *    specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
 * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
 * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
 * SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
 * CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
 * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
 * OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 */
function peekTable(ctx, key, table, meta, type) {
    let t = table;
    let m = meta;
    let k;
    let hasOwn = false;
    let state;
    for (let i = 0; i < key.length; i++) {
        if (i) {
            t = hasOwn ? t[k] : (t[k] = Object.create(null));
            m = (state = m[k]).c;
            if (type === 0 /* Type.DOTTED */ && (state.t === 1 /* Type.EXPLICIT */ || state.t === 2 /* Type.ARRAY */)) {
                return null;
            }
            if (state.t === 2 /* Type.ARRAY */) {
                let l = t.length - 1;
                t = t[l];
                m = m[l].c;
            }
        }
        k = key[i];
        if ((hasOwn = Object.hasOwn(t, k)) && m[k]?.t === 0 /* Type.DOTTED */ && m[k]?.d) {
            return null;
        }
        if (!hasOwn) {
            let unsafe = k === '__proto__';
            if (ctx.uk && (unsafe || k === 'constructor'))
                return false;
            if (unsafe) {
                Object.defineProperty(t, k, { enumerable: true, configurable: true, writable: true });
                Object.defineProperty(m, k, { enumerable: true, configurable: true, writable: true });
            }
            m[k] = {
                t: i < key.length - 1 && type === 2 /* Type.ARRAY */
                    ? 3 /* Type.ARRAY_DOTTED */ : type,
                d: false,
                i: 0,
                c: Object.create(null),
            };
        }
    }
    state = m[k];
    if (state.t !== type && !(type === 1 /* Type.EXPLICIT */ && state.t === 3 /* Type.ARRAY_DOTTED */)) {
        // Bad key type!
        return null;
    }
    if (type === 2 /* Type.ARRAY */) {
        if (!state.d) {
            state.d = true;
            t[k] = [];
        }
        t[k].push(t = Object.create(null));
        state.c[state.i++] = (state = { t: 1 /* Type.EXPLICIT */, d: false, i: 0, c: Object.create(null) });
    }
    if (state.d) {
        // Redefining a table!
        return null;
    }
    state.d = true;
    if (type === 1 /* Type.EXPLICIT */) {
        t = hasOwn ? t[k] : (t[k] = Object.create(null));
    }
    else if (type === 0 /* Type.DOTTED */ && hasOwn) {
        return null;
    }
    return [k, t, state.c];
}
function validateTablePeek(ctx, peek, ptr) {
    if (peek === null || ctx.uk === 2)
        TomlError.x(peek === null
            ? 'trying to redefine an already defined table or value'
            : 'document contains an unsafe property', ctx, ptr);
}
function parse(toml, options = {}) {
    let ctx = {
        s: toml,
        p: 0,
        d: options.maxDepth ?? 1000,
        bi: options.integersAsBigInt ?? false,
        ld: options.useLegacyDate ?? true,
        uk: options.unsafeKeyBehaviour === 'throw' ? 2 : options.unsafeKeyBehaviour === 'drop' ? 1 : 0,
    };
    let res = Object.create(null);
    let meta = Object.create(null);
    let tmp;
    let skipping = false;
    let tbl = res;
    let m = meta;
    // BOM is allowed, skip.
    // JS is UTF-16, so we have to check for the UTF-16 BOM instead of the UTF-8 BOM sequence!
    if (toml.charCodeAt(0) === 0xfeff)
        ctx.p++;
    skipVoid(ctx);
    while (ctx.p < toml.length) {
        if (toml.charCodeAt(ctx.p) === 0x5b /* [ */) {
            let isTableArray = toml.charCodeAt(++ctx.p) === 0x5b; /* [ */
            tmp = ctx.p += +isTableArray;
            skipping = false;
            let k = parseKey(ctx, 0x5d /* ] */);
            if (isTableArray) {
                if (toml.charCodeAt(ctx.p) !== 0x5d /* ] */) {
                    TomlError.x('expected end of table array declaration', ctx);
                }
                ctx.p++;
            }
            let p = peekTable(ctx, k, res, meta, isTableArray ? 2 /* Type.ARRAY */ : 1 /* Type.EXPLICIT */);
            if (!p) {
                validateTablePeek(ctx, p, tmp);
                skipping = true;
            }
            else {
                m = p[2];
                tbl = p[1];
            }
        }
        else {
            tmp = ctx.p;
            let k = parseKey(ctx);
            let p = peekTable(ctx, k, tbl, m, 0 /* Type.DOTTED */);
            if (!p && !skipping)
                validateTablePeek(ctx, p, tmp);
            skipVoid(ctx, true, true);
            let v = extractValue(ctx, void 0);
            if (p && !skipping)
                p[1][p[0]] = v;
        }
        skipVoid(ctx, true);
        if (ctx.p < toml.length && (tmp = toml.charCodeAt(ctx.p)) !== 0xa /* \n */ && (tmp !== 0xd /* \r */ || toml.charCodeAt(ctx.p + 1) !== 0xa /* \n */)) {
            TomlError.x('each key-value declaration must be followed by an end-of-line', ctx);
        }
        skipVoid(ctx);
    }
    return res;
}

/*!
 * Copyright (c) Squirrel Chat et al., All rights reserved.
 * SPDX-License-Identifier: BSD-3-Clause
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions are met:
 *
 * 1. Redistributions of source code must retain the above copyright notice, this
 *    list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright notice,
 *    this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. Neither the name of the copyright holder nor the names of its contributors
 *    may be used to endorse or promote products derived from this software without
 *    specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
 * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
 * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
 * SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
 * CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
 * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
 * OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 */
let BARE_KEY = /^[a-z0-9-_]+$/i;
let HAS_WELLFORMED = !!(''.isWellFormed);
function extendedTypeOf(obj) {
    let type = typeof obj;
    if (type === 'object') {
        if (Array.isArray(obj))
            return 'array';
        if (typeof obj.getUTCDate === 'function' && obj instanceof Date)
            return 'date';
        if (globalThis.Temporal) {
            if (obj.until) {
                if (obj instanceof Temporal.ZonedDateTime)
                    return 'temporal/tz+uc';
                if (obj instanceof Temporal.PlainDateTime || obj instanceof Temporal.PlainDate)
                    return 'temporal/uc';
                if (obj instanceof Temporal.PlainTime || obj instanceof Temporal.Instant)
                    return 'temporal';
                if (obj instanceof Temporal.PlainYearMonth)
                    return 'temporal/x';
            }
            else if ((obj.toPlainDate && obj instanceof Temporal.PlainMonthDay) ||
                (obj.negated && obj instanceof Temporal.Duration)) {
                return 'temporal/x';
            }
        }
    }
    return type;
}
function isArrayOfTables(obj) {
    for (let i = 0; i < obj.length; i++) {
        if (extendedTypeOf(obj[i]) !== 'object')
            return false;
    }
    return obj.length != 0;
}
function formatWellFormedStringUnchecked(s) {
    return JSON.stringify(s).replaceAll('\x7f', '\\u007f');
}
function formatString(s) {
    return formatWellFormedStringUnchecked(HAS_WELLFORMED ? s.toWellFormed() : s);
}
function formatKey(s) {
    if (BARE_KEY.test(s))
        return s;
    if (HAS_WELLFORMED && !s.isWellFormed())
        throw new RangeError('key contains illegal lone surrogates');
    return formatWellFormedStringUnchecked(s);
}
function stringifyValue(val, type, depth, numberAsFloat, strictTemporal) {
    if (depth === 0) {
        throw new Error('Could not stringify the object: maximum object depth exceeded');
    }
    switch (type) {
        // @ts-expect-error -- intentional fallthrough case
        case 'number':
            if (isNaN(val))
                return 'nan';
            if (val === Infinity)
                return 'inf';
            if (val === -Infinity)
                return '-inf';
            if (Number.isInteger(val) && (numberAsFloat || !Number.isSafeInteger(val)))
                return val.toFixed(1);
        case 'bigint':
        case 'boolean':
        case 'temporal':
            return val.toString();
        case 'string':
            return formatString(val);
        case 'date':
            if (isNaN(val.getTime()))
                throw new TypeError('cannot serialize invalid date');
            return val.toISOString();
        case 'object':
            return stringifyInlineTable(val, depth, numberAsFloat, strictTemporal);
        case 'array':
            return stringifyArray(val, depth, numberAsFloat, strictTemporal);
        // @ts-expect-error -- intentional fallthrough case
        case 'temporal/tz+uc':
            if (strictTemporal) {
                let tz = val.timeZoneId;
                let tzc = tz.charCodeAt(0);
                if (
                // Classic offset
                tzc !== 0x2b /* + */ && tzc !== 0x2d /* - */ &&
                    (
                    // Fast pre-check pass; see below for the actually accepted values
                    (tzc !== 0x55 /* U */ && tzc !== 0x47 /* G */ && tzc !== 0x5a /* Z */ && tzc !== 0x45 /* E */) ||
                        (
                        // UTC and its aliases; Temporal implementations don't all canonicalise unfortunately
                        tz !== 'UTC' && tz !== 'UCT' && tz !== 'Universal' && tz !== 'Zulu' &&
                            // GMT is a TZ but it's for all intents and purposes equivalent to UTC. Safe to downgrade.
                            !tz.startsWith('GMT') && tz !== 'Greenwich' &&
                            // Etc/* are all safe to downgrade to offset (either UTC, GMT, or offset)
                            !tz.startsWith('Etc/')))) {
                    throw new TypeError('Temporal objects with an IANA timezone are not allowed in Temporal strict mode');
                }
            }
        case 'temporal/uc':
            if (strictTemporal && val.calendarId !== 'iso8601')
                throw new TypeError('Temporal objects with a non-default calendar are not allowed in Temporal strict mode');
            return val.toString({
                calendarName: 'never',
                timeZoneName: 'never',
            });
        case 'temporal/x':
            throw new TypeError('Unsupported ' + val[Symbol.toStringTag]);
    }
}
function stringifyInlineTable(obj, depth, numberAsFloat, strictTemporal) {
    let keys = Object.keys(obj);
    if (keys.length === 0)
        return '{}';
    let res = '{ ';
    for (let i = 0; i < keys.length; i++) {
        let k = keys[i];
        if (i)
            res += ', ';
        res += formatKey(k) + ' = ' + stringifyValue(obj[k], extendedTypeOf(obj[k]), depth - 1, numberAsFloat, strictTemporal);
    }
    return res + ' }';
}
function stringifyArray(array, depth, numberAsFloat, strictTemporal) {
    if (array.length === 0)
        return '[]';
    let res = '[ ';
    for (let i = 0; i < array.length; i++) {
        if (i)
            res += ', ';
        if (array[i] === null || array[i] === void 0) {
            throw new TypeError('arrays cannot contain null or undefined values');
        }
        res += stringifyValue(array[i], extendedTypeOf(array[i]), depth - 1, numberAsFloat, strictTemporal);
    }
    return res + ' ]';
}
function stringifyArrayTable(array, key, depth, numberAsFloat, strictTemporal) {
    if (depth === 0) {
        throw new Error('Could not stringify the object: maximum object depth exceeded');
    }
    let res = '';
    for (let i = 0; i < array.length; i++) {
        res += `${res && '\n'}[[${key}]]\n`;
        res += stringifyTable(0, array[i], key, depth, numberAsFloat, strictTemporal);
    }
    return res;
}
function stringifyTable(tableKey, obj, prefix, depth, numberAsFloat, strictTemporal) {
    if (depth === 0) {
        throw new Error('Could not stringify the object: maximum object depth exceeded');
    }
    let preamble = '';
    let tables = '';
    let keys = Object.keys(obj);
    for (let i = 0; i < keys.length; i++) {
        let k = keys[i];
        if (obj[k] !== null && obj[k] !== void 0) {
            let type = extendedTypeOf(obj[k]);
            if (type === 'symbol' || type === 'function') {
                throw new TypeError(`cannot serialize values of type '${type}'`);
            }
            let key = formatKey(k);
            if (type === 'array' && isArrayOfTables(obj[k])) {
                tables += (tables && '\n') + stringifyArrayTable(obj[k], prefix ? `${prefix}.${key}` : key, depth - 1, numberAsFloat, strictTemporal);
            }
            else if (type === 'object') {
                let tblKey = prefix ? `${prefix}.${key}` : key;
                tables += (tables && '\n') + stringifyTable(tblKey, obj[k], tblKey, depth - 1, numberAsFloat, strictTemporal);
            }
            else {
                preamble += key;
                preamble += ' = ';
                preamble += stringifyValue(obj[k], type, depth, numberAsFloat, strictTemporal);
                preamble += '\n';
            }
        }
    }
    if (tableKey && (preamble || !tables)) // Create table only if necessary
        preamble = preamble ? `[${tableKey}]\n${preamble}` : `[${tableKey}]`;
    return preamble && tables
        ? `${preamble}\n${tables}`
        : preamble || tables;
}
function stringify(obj, { maxDepth = 1000, numbersAsFloat = false, strictTemporal = false } = {}) {
    if (extendedTypeOf(obj) !== 'object') {
        throw new TypeError('stringify can only be called with an object');
    }
    let str = stringifyTable(0, obj, '', maxDepth, numbersAsFloat, strictTemporal);
    if (str[str.length - 1] !== '\n')
        return str + '\n';
    return str;
}

class ConfigFileError extends Error {
    constructor(message) {
        super(message);
        this.name = 'ConfigFileError';
    }
}
class MissingCredentialError extends Error {
    constructor(message) {
        super(message);
        this.name = 'MissingCredentialError';
    }
}
class ManifestError extends Error {
    constructor(message, options) {
        super(message, options);
        this.name = 'ManifestError';
    }
}
class ProjectFileError extends Error {
    constructor(message) {
        super(message);
        this.name = 'ProjectFileError';
    }
}
class UnreachableError extends Error {
    httpStatus;
    constructor(message, httpStatus) {
        super(message);
        this.httpStatus = httpStatus;
        this.name = 'UnreachableError';
    }
}
class HeaderValueError extends Error {
    header;
    constructor(header) {
        super(`The ${header} header cannot be sent: its value holds a control character or a character HTTP headers cannot carry.`);
        this.header = header;
        this.name = 'HeaderValueError';
    }
}
class AclError extends Error {
    constructor(message, options) {
        super(message, options);
        this.name = 'AclError';
    }
}
class PrivateFileWriteError extends Error {
    constructor(message, options) {
        super(message, options);
        this.name = 'PrivateFileWriteError';
    }
}

function isPlainObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function parseConfig(text, file) {
    try {
        return parse(text);
    }
    catch (error) {
        if (error instanceof TomlError) {
            throw new ConfigFileError(`${file} is not valid TOML: ${tomlReason(error)} at line ${error.line}, column ${error.column}. ` +
                'Fix or remove that line (the action leaves the file untouched until it parses).');
        }
        throw error;
    }
}
function assertMeaning(before, text, tables, failure, keys = new Map()) {
    const expected = withChanges(before, keys);
    expected.npmAuth = withChanges(before.npmAuth ?? {}, tables);
    const document = parsedAs(text, expected);
    if (!document)
        throw new ConfigFileError(failure);
    return document;
}
function withChanges(table, changes) {
    const result = {};
    for (const key of Object.keys(table))
        if (!changes.has(key))
            result[key] = table[key];
    for (const [key, value] of changes)
        if (value !== undefined)
            result[key] = value;
    return result;
}
function parsedAs(text, expected) {
    let actual;
    try {
        actual = parse(text);
    }
    catch {
        return undefined;
    }
    return sameValue(withoutEmptyNpmAuth(actual), withoutEmptyNpmAuth(expected)) ? actual : undefined;
}
function withoutEmptyNpmAuth(doc) {
    const npmAuth = doc.npmAuth;
    if (!isPlainObject(npmAuth) || Object.keys(npmAuth).length > 0)
        return doc;
    const rest = { ...doc };
    delete rest.npmAuth;
    return rest;
}
function sameValue(a, b) {
    if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) {
        return typeof a === typeof b && (a === b || String(a) === String(b));
    }
    if (Array.isArray(a) || Array.isArray(b)) {
        if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length)
            return false;
        for (let i = 0; i < a.length; i++)
            if (!sameValue(a[i], b[i]))
                return false;
        return true;
    }
    if (a instanceof Date || b instanceof Date)
        return a instanceof Date && b instanceof Date && String(a) === String(b);
    const tableA = a;
    const tableB = b;
    const keys = Object.keys(tableA);
    if (keys.length !== Object.keys(tableB).length)
        return false;
    for (const key of keys)
        if (!Object.hasOwn(tableB, key) || !sameValue(tableA[key], tableB[key]))
            return false;
    return true;
}
function tomlReason(error) {
    return error.message.split('\n')[0].replace(/^Invalid TOML document:\s*/, '');
}

const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const CONTROL_CHARACTERS = new RegExp(CONTROL_CHARACTER.source, 'g');
function hasControlCharacter(value) {
    return CONTROL_CHARACTER.test(value);
}
function refusePathWithControlCharacters(value, where, fix) {
    if (hasControlCharacter(value))
        throw new Error(`${where} contains a line break or a control character (${logSafe(value)}). ${fix}`);
}
const NAMED = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
function logSafe(value) {
    return value
        .replace(CONTROL_CHARACTERS, c => NAMED[c] ?? escapeCode(c))
        .replace(/##\[/g, '\\x23#[')
        .replace(/^(\s*)::/, '$1\\x3a:');
}
function escapeCode(c) {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

const CREDENTIAL_FIELDS = [
    'token',
    'auth',
    'email',
    'pat',
    'username',
    'password',
    'oidc',
    'oidcAudience',
    'oidcProviderName',
    'oidcService',
    'oidcExchangeUrl'
];
const INPUT_NAMES = {
    token: 'token',
    auth: 'auth',
    email: 'email',
    pat: 'pat',
    username: 'username',
    password: 'password',
    oidc: 'oidc',
    oidcAudience: 'oidc-audience',
    oidcProviderName: 'oidc-provider-name',
    oidcService: 'oidc-service',
    oidcExchangeUrl: 'oidc-exchange-url'
};
const ENV_KEYS = [...SECRET_FIELDS.map(f => (f === 'auth' ? '_auth' : f)), 'email'];
const ENV_REFERENCE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;
const TABLE_FIELD_KEYS = { ...INPUT_NAMES, auth: '_auth' };
const TABLE_KEYS = [...Object.values(TABLE_FIELD_KEYS), 'alwaysAuth'];
const FIELD_OF_TABLE_KEY = Object.fromEntries(Object.entries(TABLE_FIELD_KEYS).map(([field, key]) => [key, field]));
const inputOrigin = {
    name: field => `input \`${INPUT_NAMES[field]}\``,
    where: 'Input `registry-url`',
    credentialHint: 'Set one of the inputs `token`, `auth`, `email` + `pat`, or `username` + `password` (from a secret), or `oidc` for a secretless exchange.'
};
function tableOrigin(url) {
    const table = `\`registries\` table [npmAuth.${JSON.stringify(redactUrl(url))}]`;
    return {
        name: field => `${table} key \`${TABLE_FIELD_KEYS[field]}\``,
        where: table,
        credentialHint: 'Give the table one of `token`, `_auth`, `email` + `pat`, `username` + `password`, or `oidc`.'
    };
}
function checkRegistryUrl(url, where) {
    const fix = 'Use the exact `url` of the scoped registry in Packages/manifest.json, for example https://upm.example.com/npm/.';
    const parsed = checkUrlInput(url, where, fix, REGISTRY_USER_INFO);
    if (url.includes('?'))
        throw new Error(`${where} has a query (?...). Registry URLs have none. ${fix}`);
    if (url.includes('#'))
        throw new Error(`${where} has a fragment (#...). Registry URLs have none. ${fix}`);
    if (parsed.protocol === 'http:' && !isLoopback(parsed.hostname)) {
        return [`${where}: ${url} uses plain http, so the credential crosses the network unencrypted. Use https if the registry supports it.`];
    }
    return [];
}
const REGISTRY_USER_INFO = 'Unity does not read credentials from the URL: remove them from the URL and pass them as a credential ' +
    '(`token`, `auth`, `email` + `pat`, or `username` + `password`).';
function checkUrlInput(url, where, fix, userInfo) {
    if (hasControlCharacter(url))
        throw new Error(`${where} contains a line break or a control character. ${fix}`);
    if (url.trim() !== url || /\s/.test(url))
        throw new Error(`${where} contains white space. ${fix}`);
    if (userInfoSpan(url))
        throw new Error(`${where} carries user information (user:password@, in ${quotableUrl(url)}). ${userInfo}`);
    let parsed;
    try {
        parsed = new URL(url);
    }
    catch {
        throw new Error(`${where} is not an absolute URL (${quotableUrl(url)}). ${fix}`);
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
        throw new Error(`${where} must start with https:// or http://, not ${parsed.protocol}//. ${fix}`);
    }
    if (parsed.username !== '' || parsed.password !== '' || /^[^/]*\/\/[^/?#]*@/.test(url)) {
        throw new Error(`${where} carries user information (user:password@). ${userInfo}`);
    }
    return parsed;
}
function sentence(strings, ...values) {
    const text = strings.reduce((out, part, i) => out + part + (i < values.length ? String(values[i]) : ''), '');
    return text.charAt(0).toUpperCase() + text.slice(1);
}
function isLoopback(hostname) {
    return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}
function isBasicAuthValue(value) {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value) || value.length % 4 !== 0)
        return false;
    const bytes = Buffer.from(value, 'base64');
    if (bytes.toString('base64') !== value)
        return false;
    let decoded;
    try {
        decoded = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    }
    catch {
        return false;
    }
    return decoded.indexOf(':') > 0;
}
function basicAuth(user, secret) {
    return Buffer.from(`${user}:${secret}`, 'utf8').toString('base64');
}
function toEntry(url, fields, alwaysAuth, origin) {
    for (const field of Object.keys(fields)) {
        const value = fields[field];
        if (value !== undefined && /[\r\n]/.test(value)) {
            throw new Error(sentence `${origin.name(field)} contains a line break. A credential is one line: check the secret for a stray newline or a pasted second line.`);
        }
    }
    if (fields.oidc) {
        if (fields.oidcExchangeUrl) {
            checkUrlInput(fields.oidcExchangeUrl, sentence `${origin.name('oidcExchangeUrl')}`, 'Give the https URL of the token exchange, or leave it empty for the default.', "The exchange takes the job's ID token, never a password: remove them from the URL.");
        }
        const key = (f) => (origin === inputOrigin ? INPUT_NAMES : TABLE_FIELD_KEYS)[f];
        const oidcEntry = { url, alwaysAuth, form: 'oidc', oidc: { fields, name: origin.name, key, where: origin.where } };
        if (fields.email)
            oidcEntry.email = fields.email;
        return oidcEntry;
    }
    for (const field of ['oidcAudience', 'oidcProviderName', 'oidcService', 'oidcExchangeUrl']) {
        if (fields[field])
            throw new Error(sentence `${origin.name(field)} is set without ${origin.name('oidc')}: set \`oidc\` to artifactory or cloudsmith, or remove it.`);
    }
    const { token, auth, email, pat, username, password } = fields;
    const forms = [];
    if (token)
        forms.push(origin.name('token'));
    if (auth)
        forms.push(origin.name('auth'));
    if (pat)
        forms.push(origin.name('pat'));
    if (username || password) {
        forms.push([username && origin.name('username'), password && origin.name('password')].filter(Boolean).join(' + '));
    }
    if (forms.length > 1) {
        throw new Error(`${origin.where} has more than one credential: ${forms.join(', ')}. Unity reads exactly one credential per registry: keep one of them.`);
    }
    if (forms.length === 0) {
        if (email) {
            throw new MissingCredentialError(`${origin.where} has ${origin.name('email')} but no credential. ${origin.credentialHint} ` +
                '`email` alone is not a credential: pair it with `pat` for Basic auth, or with `token`.');
        }
        throw new MissingCredentialError(`${origin.where} has no credential. ${origin.credentialHint}`);
    }
    const entry = { url, alwaysAuth, form: 'token' };
    if (token) {
        entry.token = token;
    }
    else if (auth) {
        if (!isBasicAuthValue(auth)) {
            throw new Error(sentence `${origin.name('auth')} is not base64 of "user:secret". Pass the base64 of the UTF-8 string user:secret, ` +
                'or pass `username` + `password` (or `email` + `pat`) and let the action encode it.');
        }
        entry._auth = auth;
        entry.form = 'auth';
    }
    else if (pat) {
        if (!email) {
            throw new Error(sentence `${origin.name('pat')} is set without ${origin.name('email')}. Unity's Basic recipe encodes "email:PAT": ` +
                'set `email` to the address the token belongs to.');
        }
        if (email.includes(':')) {
            throw new Error(sentence `${origin.name('email')} contains ":", which Basic authentication cannot carry in the user part.`);
        }
        entry._auth = basicAuth(email, pat);
        entry.form = 'email+pat';
    }
    else {
        if (!username) {
            throw new Error(sentence `${origin.name('password')} is set without ${origin.name('username')}: set both, or neither.`);
        }
        if (!password) {
            throw new Error(sentence `${origin.name('username')} is set without ${origin.name('password')}: set both, or neither.`);
        }
        if (username.includes(':')) {
            throw new Error(sentence `${origin.name('username')} contains ":", which Basic authentication cannot carry in the user part.`);
        }
        entry._auth = basicAuth(username, password);
        entry.form = 'username+password';
    }
    if (email)
        entry.email = email;
    return entry;
}
function parseBooleanInput(name, value) {
    if (['true', 'True', 'TRUE'].includes(value))
        return true;
    if (['false', 'False', 'FALSE'].includes(value))
        return false;
    throw new Error(`Input \`${name}\` must be true or false, not "${value}".`);
}
function parseRegistriesInput(text, env = {}) {
    if (text.trim() === '')
        return [];
    let doc;
    try {
        doc = parse(text);
    }
    catch (error) {
        if (error instanceof TomlError) {
            throw new Error(`Input \`registries\` is not valid TOML: ${tomlReason(error)} at line ${error.line}, column ${error.column}. ` +
                'Write one [npmAuth."URL"] table per registry, with values in double quotes.');
        }
        throw error;
    }
    const shape = 'Input `registries` must hold only [npmAuth."URL"] tables';
    for (const key of Object.keys(doc)) {
        if (key !== 'npmAuth')
            throw new Error(`${shape}; it has a top-level key \`${key}\`. Move it into a table or remove it.`);
    }
    const npmAuth = doc.npmAuth;
    if (npmAuth === undefined)
        throw new Error(`${shape}; it has none.`);
    if (!isPlainObject(npmAuth))
        throw new Error(`${shape}; \`npmAuth\` is not a table.`);
    return Object.entries(npmAuth).map(([url, value]) => {
        const table = `\`registries\` table [npmAuth.${JSON.stringify(redactUrl(url))}]`;
        if (!isPlainObject(value)) {
            throw new Error(`${table} is not a table. Write it as [npmAuth."URL"] followed by its keys.`);
        }
        const fields = {};
        const fromEnv = [];
        const warnings = [];
        let alwaysAuth;
        for (const [key, v] of Object.entries(value)) {
            if (!TABLE_KEYS.includes(key)) {
                throw new Error(`${table} has an unknown key \`${key}\`. Allowed keys: ${TABLE_KEYS.join(', ')}.`);
            }
            if (key === 'alwaysAuth') {
                if (typeof v !== 'boolean')
                    throw new Error(`${table} key \`alwaysAuth\` must be true or false.`);
                alwaysAuth = v;
                continue;
            }
            if (typeof v !== 'string')
                throw new Error(`${table} key \`${key}\` must be a string in quotes.`);
            const reference = ENV_KEYS.includes(key) ? ENV_REFERENCE.exec(v) : null;
            let value = v;
            if (reference) {
                const name = reference[1];
                value = readEnvReference(`${table} key \`${key}\``, name, env);
                fromEnv.push(value);
                const github = name.toUpperCase() === 'GITHUB_TOKEN' ? githubTokenWarning(`${table} key \`${key}\``, url, env) : undefined;
                if (github)
                    warnings.push(github);
            }
            fields[FIELD_OF_TABLE_KEY[key]] = value;
        }
        return { url, fields, alwaysAuth, fromEnv, warnings };
    });
}
const RUNNER_VARIABLE = /^(ACTIONS|RUNNER)_/i;
function readEnvReference(where, name, env) {
    if (RUNNER_VARIABLE.test(name)) {
        throw new Error(`${where} reads ${name}, a variable of the runner (ACTIONS_*, RUNNER_*): those hold the runner's and the job's own ` +
            "credentials, which no registry may get. Read the registry's secret from a variable of your own in the step's `env:` " +
            '(for example UPM_TOKEN: ${{ secrets.UPM_TOKEN }}, and `token = "${UPM_TOKEN}"`).');
    }
    const fromStep = env[name];
    if (!fromStep) {
        throw new MissingCredentialError(`${where} reads the environment variable ${name}, which is ${fromStep === undefined ? 'not set' : 'empty'}. ` +
            `Set it in the step's \`env:\` (for example ${name}: \${{ secrets.${name} }}) and check that the secret exists.`);
    }
    return fromStep;
}
function githubTokenWarning(where, url, env) {
    if (!URL.canParse(url) || isGitHubPackagesUrl(url, env.GITHUB_SERVER_URL))
        return undefined;
    const host = new URL(url).hostname;
    const server = env.GITHUB_SERVER_URL && URL.canParse(env.GITHUB_SERVER_URL) ? new URL(env.GITHUB_SERVER_URL).hostname : 'github.com';
    const github = server === 'github.com' ? 'npm.pkg.github.com' : `npm.${server} or ${server}/_registry/npm/`;
    return (`${sentence `${where}`} reads GITHUB_TOKEN, this job's token for GitHub, and sends it to ${host}, which is not GitHub's ` +
        `package registry (${github}): whoever runs that host can act on GitHub with this job's permissions until the job ends. ` +
        'Give that registry a token of its own.');
}
function buildEntries(inputs, tables) {
    const alwaysAuth = parseBooleanInput('always-auth', inputs.alwaysAuth);
    const entries = [];
    const warnings = [];
    if (inputs.registryUrl) {
        warnings.push(...checkRegistryUrl(inputs.registryUrl, 'Input `registry-url`'));
        const fields = {};
        for (const name of CREDENTIAL_FIELDS)
            if (inputs[name])
                fields[name] = inputs[name];
        entries.push(toEntry(inputs.registryUrl, fields, alwaysAuth, inputOrigin));
    }
    else {
        const stray = CREDENTIAL_FIELDS.filter(name => inputs[name]);
        if (stray.length > 0) {
            throw new Error(`${stray.map(n => `Input \`${INPUT_NAMES[n]}\``).join(', ')} ${stray.length > 1 ? 'are' : 'is'} set but \`registry-url\` is empty. ` +
                'Set `registry-url` to the registry these credentials belong to (for several registries, put each credential in its `registries` table).');
        }
    }
    for (const table of tables) {
        const origin = tableOrigin(table.url);
        warnings.push(...checkRegistryUrl(table.url, origin.where), ...table.warnings);
        if (entries.some(e => e.url === table.url)) {
            throw new Error(`${origin.where} configures ${table.url} a second time${table.url === inputs.registryUrl ? ' (it is also `registry-url`)' : ''}. Configure each registry once.`);
        }
        entries.push(toEntry(table.url, table.fields, table.alwaysAuth ?? alwaysAuth, origin));
    }
    if (entries.length === 0) {
        throw new MissingCredentialError('Nothing to configure: set `registry-url` with a credential, or `registries` with one [npmAuth."URL"] table per registry.');
    }
    return { entries, warnings };
}

const ADVICE = 'If the value is a pasted secret, write `KEY = "${NAME}"` and set NAME in the step\'s `env:` ' +
    '(NAME: ${{ secrets.NAME }}): the action reads it from the environment, untouched. ' +
    "A literal string ('...') is second best.";
function inlineValueWarnings(text) {
    const warnings = [];
    let table = '`registries`';
    for (const line of text.split(/\r?\n/)) {
        const header = /^\s*\[\s*npmAuth\s*\.\s*("(?:[^"\\]|\\.)*"|'[^']*')\s*\]/.exec(line);
        if (header) {
            const url = header[1].slice(1, -1);
            table = `\`registries\` table [npmAuth.${JSON.stringify(redactUrl(url))}]`;
            continue;
        }
        const assignment = /^\s*([A-Za-z0-9_-]+|"[^"]*"|'[^']*')\s*=\s*(.*)$/.exec(line);
        if (!assignment)
            continue;
        const key = assignment[1].replace(/^["']|["']$/g, '');
        if (!ENV_KEYS.includes(key))
            continue;
        const found = suspiciousValue(assignment[2]);
        if (found)
            warnings.push(`${table} key \`${key}\` ${found}. ${ADVICE.replace('KEY', key)}`);
    }
    return warnings;
}
function suspiciousValue(rest) {
    const quote = rest[0];
    if (quote !== '"' && quote !== "'")
        return undefined;
    if (rest.startsWith(quote.repeat(3))) {
        return quote === '"' && rest.includes('\\') ? 'holds an escape sequence (\\) in a basic string, which TOML replaces' : undefined;
    }
    let end = 1;
    let escaped = false;
    for (; end < rest.length; end++) {
        const c = rest[end];
        if (quote === '"' && c === '\\') {
            escaped = true;
            end++;
            continue;
        }
        if (c === quote)
            break;
    }
    const value = rest.slice(1, end);
    if (/^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(value))
        return undefined;
    if (escaped)
        return 'holds an escape sequence (\\) in a basic string, which TOML replaces: the written value may differ from the secret';
    if (/^\s*#/.test(rest.slice(end + 1))) {
        return 'is followed by a comment on its line: a quote and # inside a pasted secret end the string there and cut the value';
    }
    return undefined;
}

const DOCUMENTED_TABLE_KEYS = ['token', '_auth', 'email', 'alwaysAuth'];
const DOCUMENTED_TOP_LEVEL_KEYS = ['npmAuth', 'cacheRoot', 'maxCacheSize', 'caFile'];
function checkUnityRules(doc) {
    const findings = [];
    for (const key of Object.keys(doc)) {
        if (!DOCUMENTED_TOP_LEVEL_KEYS.includes(key)) {
            findings.push({
                key,
                rule: `is a top-level key Unity does not document (known keys: ${DOCUMENTED_TOP_LEVEL_KEYS.join(', ')})`,
                undocumented: true
            });
        }
    }
    if ('cacheRoot' in doc && typeof doc.cacheRoot !== 'string')
        findings.push({ key: 'cacheRoot', rule: 'must be a string' });
    if ('maxCacheSize' in doc) {
        const size = doc.maxCacheSize;
        const ok = (typeof size === 'bigint' && size >= 0n) || (typeof size === 'number' && Number.isInteger(size) && size >= 0);
        if (!ok)
            findings.push({ key: 'maxCacheSize', rule: 'must be a non-negative integer (bytes)' });
    }
    if ('caFile' in doc && typeof doc.caFile !== 'string')
        findings.push({ key: 'caFile', rule: 'must be a string' });
    if (!('npmAuth' in doc))
        return findings;
    if (!isPlainObject(doc.npmAuth)) {
        findings.push({ key: 'npmAuth', rule: 'must be a table of [npmAuth."URL"] tables' });
        return findings;
    }
    for (const [url, table] of Object.entries(doc.npmAuth)) {
        if (!isPlainObject(table)) {
            findings.push({ url, rule: 'is not a table' });
            continue;
        }
        const credentials = ['token', '_auth'].filter(k => k in table);
        if (credentials.length === 2)
            findings.push({ url, rule: 'has both `token` and `_auth` (Unity allows exactly one)' });
        if (credentials.length === 0)
            findings.push({ url, rule: 'has neither `token` nor `_auth` (Unity requires exactly one)' });
        for (const key of credentials)
            if (typeof table[key] !== 'string')
                findings.push({ url, key, rule: 'must be a string' });
        if ('email' in table && typeof table.email !== 'string')
            findings.push({ url, key: 'email', rule: 'must be a string' });
        if ('alwaysAuth' in table && typeof table.alwaysAuth !== 'boolean') {
            findings.push({ url, key: 'alwaysAuth', rule: 'must be true or false' });
        }
        for (const key of Object.keys(table)) {
            if (!DOCUMENTED_TABLE_KEYS.includes(key)) {
                findings.push({
                    url,
                    key,
                    rule: `is a key Unity does not document (known keys: ${DOCUMENTED_TABLE_KEYS.join(', ')})`,
                    undocumented: true
                });
            }
        }
    }
    return findings;
}
function findingMessage(finding, file, describe) {
    const where = finding.url !== undefined ? `table [npmAuth.${JSON.stringify(describe(finding.url))}]` : 'the top level';
    const what = finding.key !== undefined ? `${where}: key \`${finding.key}\` ${finding.rule}` : `${where} ${finding.rule}`;
    const effect = finding.undocumented
        ? 'Unity validates the whole file, and if it refuses this key (validators of this kind usually refuse unknown keys) it loads no package at all, from any registry.'
        : 'Unity validates the whole file, and a file breaking this rule makes it load no package at all, from any registry.';
    return `${file}, ${what}. This step did not write it and left it as it was, but ${effect.charAt(0).toLowerCase()}${effect.slice(1)} Fix or remove it.`;
}

function mayUseToml11(text) {
    return /[{]|\\[ex]|\d:\d/.test(text);
}

const LOCATIONS = ['home', 'service-account', 'job', 'game-ci'];
const CONFIG_FILE_NAME = '.upmconfig.toml';
function resolveConfigTarget(configFile, location, env, platform, cwd) {
    const p = platform === 'win32' ? path.win32 : path.posix;
    const home = platform === 'win32' ? env.USERPROFILE : env.HOME;
    if (configFile) {
        refusePathWithControlCharacters(configFile, 'Input `config-file`', 'Give the path of the .upmconfig.toml to write without it.');
        let file = configFile;
        if (file === '~' || /^~[\\/]/.test(file)) {
            if (!home)
                throw new Error(`Input \`config-file\` starts with ~ but ${homeVariable(platform)} is not set. Give an absolute path.`);
            file = p.join(home, file.slice(1));
        }
        file = p.resolve(cwd, file);
        if (/[\\/]$/.test(configFile)) {
            throw new Error(`Input \`config-file\` (${configFile}) names a folder. Give the path of the file, for example ${p.join(file, CONFIG_FILE_NAME)}.`);
        }
        return { file, exportAsEnv: false };
    }
    switch (location) {
        case 'game-ci':
            return platform === 'darwin' ? homeTarget(env, platform) : gameCiTarget(env, platform);
        case 'home':
            return homeTarget(env, platform);
        case 'service-account': {
            if (platform !== 'win32') {
                throw new Error('Input `location: service-account` is for Windows runners, where Unity running as a service or SYSTEM reads ' +
                    '%ALLUSERSPROFILE%\\Unity\\config\\ServiceAccounts\\.upmconfig.toml. On this runner use `location: home`, or set `config-file`.');
            }
            const allUsers = env.ALLUSERSPROFILE;
            if (!allUsers)
                throw new Error('Input `location: service-account` needs ALLUSERSPROFILE, which is not set. Set `config-file` instead.');
            return { file: p.join(allUsers, 'Unity', 'config', 'ServiceAccounts', CONFIG_FILE_NAME), exportAsEnv: false };
        }
        case 'job': {
            const temp = env.RUNNER_TEMP;
            if (!temp) {
                throw new Error('Input `location: job` needs RUNNER_TEMP, which the runner sets for every job; it is not set here. Set `config-file` instead.');
            }
            return { file: p.join(temp, 'upm-auth', CONFIG_FILE_NAME), exportAsEnv: true };
        }
        default:
            throw new Error(`Input \`location\` must be one of ${LOCATIONS.join(', ')}, not "${location}".`);
    }
}
function homeTarget(env, platform) {
    const p = platform === 'win32' ? path.win32 : path.posix;
    const fromEnv = env.UPM_USER_CONFIG_FILE;
    if (fromEnv) {
        refusePathWithControlCharacters(fromEnv, 'UPM_USER_CONFIG_FILE', 'Fix the variable, or set `config-file`.');
        if (!p.isAbsolute(fromEnv)) {
            throw new Error(`UPM_USER_CONFIG_FILE is set to a relative path (${fromEnv}); Unity needs an absolute path. Fix the variable, or set \`config-file\`.`);
        }
        return { file: p.normalize(fromEnv), exportAsEnv: false };
    }
    const home = platform === 'win32' ? env.USERPROFILE : env.HOME;
    if (!home) {
        throw new Error(`Cannot find the home folder: ${homeVariable(platform)} is not set. Set \`config-file\` to the .upmconfig.toml Unity reads.`);
    }
    return { file: p.join(home, CONFIG_FILE_NAME), exportAsEnv: false };
}
function gameCiTarget(env, platform) {
    if (platform !== 'linux' && platform !== 'win32') {
        throw new Error(`Input \`location: game-ci\` knows where game-ci runs Unity on Linux, Windows and macOS runners, not on ${platform}. Set \`config-file\` instead.`);
    }
    const temp = env.RUNNER_TEMP;
    if (!temp) {
        throw new Error("Input `location: game-ci` needs RUNNER_TEMP (game-ci mounts $RUNNER_TEMP/_github_home as the container's home), which the runner sets for every job; it is not set here. Set `config-file` instead.");
    }
    const p = platform === 'win32' ? path.win32 : path.posix;
    return { file: p.join(temp, '_github_home', CONFIG_FILE_NAME), exportAsEnv: false };
}
function homeVariable(platform) {
    return platform === 'win32' ? 'USERPROFILE' : 'HOME';
}

function errorMessage(error) {
    return error instanceof Error ? error.message : String(error);
}

function errorCode(error) {
    return error?.code;
}
function describeFsError(error) {
    const cause = error?.cause;
    if (errorCode(error) === undefined && cause !== undefined)
        return describeFsError(cause);
    switch (errorCode(error)) {
        case 'EACCES':
        case 'EPERM':
            return 'permission denied (check that the runner account may write there)';
        case 'EBUSY':
            return 'another process has it open with no sharing (close Unity or whatever holds it, then run again)';
        case 'EROFS':
            return 'the file system is read-only';
        case 'ENOSPC':
            return 'the disk is full';
        case 'ENOTDIR':
            return 'a part of the path is a file, not a folder';
        case 'EISDIR':
            return 'it is a folder';
        case 'EEXIST':
            return 'a file of that name is in the way';
        default:
            return errorMessage(error);
    }
}
const SHARING_CODES = new Set(['EPERM', 'EBUSY', 'EACCES']);
const RETRY_DELAYS_MS = [10, 20, 40, 80, 160, 320, 500, 500, 500, 500];
function sleepSync(ms) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
const sharingRetry = { sleep: sleepSync };
function retrySharingViolations(operation, platform = process.platform, sleep = sharingRetry.sleep) {
    for (let attempt = 0;; attempt++) {
        try {
            return operation();
        }
        catch (error) {
            const code = errorCode(error);
            if (platform !== 'win32' || code === undefined || !SHARING_CODES.has(code) || attempt >= RETRY_DELAYS_MS.length)
                throw error;
            sleep(RETRY_DELAYS_MS[attempt]);
        }
    }
}
function removeFile(file) {
    try {
        fs$1.unlinkSync(file);
    }
    catch (error) {
        if (errorCode(error) !== 'ENOENT')
            throw error;
    }
}
function removeQuietly(file) {
    try {
        retrySharingViolations(() => {
            removeFile(file);
        });
    }
    catch {
    }
}

let windowsAclModule;
async function loadPlatformAcl() {
    if (process.platform === 'win32')
        windowsAclModule ??= await Promise.resolve().then(() => require('./windows-acl.js'));
}
function windowsAclCode() {
    if (!windowsAclModule)
        throw new Error('Internal error: loadPlatformAcl() was not awaited before a private file was written.');
    return windowsAclModule;
}
const UV_FS_O_EXLOCK = 0x10000000;
const runCommand = (program, args, env) => {
    const { execFileSync } = process.getBuiltinModule('node:child_process');
    return execFileSync(program, args, {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
        env: env ? { ...process.env, ...env } : process.env
    });
};
let windowsAcl;
const platformAcl = {
    needed(target) {
        return process.platform === 'win32' && windowsAclCode().needsAcl(target, process.env);
    },
    protect(target, kind) {
        acl().protect(target, kind);
    },
    checkOwnersUpFrom(dir) {
        acl().checkOwners(windowsAclCode().foldersUpFrom(dir));
    },
    checkOwner(target) {
        acl().checkOwners([target]);
    }
};
function acl() {
    const code = windowsAclCode();
    windowsAcl ??= new code.WindowsAcl(runCommand, process.env, () => fs$1.existsSync(code.systemTool(process.env, 'winecfg.exe')), message => {
        warning(message);
    });
    return windowsAcl;
}
function writePrivateFile(file, text, { durable = false, secret = true, retryOpen = true } = {}) {
    const withAcl = secret && platformAcl.needed(file);
    const flags = withAcl ? fs$1.constants.O_WRONLY | fs$1.constants.O_CREAT | fs$1.constants.O_EXCL | UV_FS_O_EXLOCK : 'wx';
    const open = () => fs$1.openSync(file, flags, 0o600);
    const fd = retryOpen ? retrySharingViolations(open) : open();
    try {
        try {
            if (withAcl)
                platformAcl.protect(file, 'file');
            if (text !== '')
                fs$1.writeFileSync(fd, text, 'utf8');
            if (durable)
                fs$1.fsyncSync(fd);
        }
        finally {
            fs$1.closeSync(fd);
        }
        fs$1.chmodSync(file, 0o600);
    }
    catch (error) {
        try {
            retrySharingViolations(() => {
                fs$1.unlinkSync(file);
            });
        }
        catch {
        }
        if (error instanceof AclError)
            throw error;
        throw new PrivateFileWriteError(`cannot write ${path.basename(file)}`, { cause: error });
    }
}

function detectEol(text) {
    const lf = text.indexOf('\n');
    return lf > 0 && text[lf - 1] === '\r' ? '\r\n' : '\n';
}
function scanLines(text, { untilHeader = false } = {}) {
    const lines = [];
    let pos = 0;
    let openString = null;
    let depth = 0;
    while (pos < text.length) {
        const lf = text.indexOf('\n', pos);
        const next = lf < 0 ? text.length : lf + 1;
        const line = text.slice(pos, lf < 0 ? text.length : lf).replace(/\r$/, '');
        const trimmed = line.trimStart();
        const continued = openString !== null || depth !== 0;
        let kind;
        let path;
        let arrayTable;
        if (!continued) {
            if (trimmed === '')
                kind = 'blank';
            else if (trimmed.startsWith('#'))
                kind = 'comment';
            else if (trimmed.startsWith('[')) {
                kind = 'header';
                const header = headerOf(trimmed);
                path = header.path;
                arrayTable = header.arrayTable;
            }
            else
                kind = 'content';
        }
        else {
            kind = 'content';
        }
        if (kind === 'content') {
            const state = scanValueText(line, openString, depth);
            openString = state.openString;
            depth = state.depth;
        }
        lines.push({ start: pos, next, kind, path, arrayTable, continued });
        pos = next;
        if (untilHeader && kind === 'header')
            break;
    }
    return lines;
}
function headerOf(trimmed) {
    let i = 0;
    let quote = null;
    for (; i < trimmed.length; i++) {
        const c = trimmed[i];
        if (quote) {
            if (c === '\\' && quote === '"')
                i++;
            else if (c === quote)
                quote = null;
        }
        else if (c === '"' || c === "'")
            quote = c;
        else if (c === ']')
            break;
    }
    const arrayTable = trimmed.startsWith('[[');
    const headerText = trimmed.slice(0, i + (arrayTable ? 2 : 1));
    const simple = simpleKeyPath(headerText.slice(arrayTable ? 2 : 1, arrayTable ? -2 : -1));
    if (simple)
        return { path: simple, arrayTable };
    let node = parse(headerText);
    const path = [];
    for (;;) {
        if (Array.isArray(node))
            node = node[node.length - 1];
        const keys = Object.keys(node);
        if (keys.length === 0)
            break;
        path.push(keys[0]);
        node = node[keys[0]];
    }
    return { path, arrayTable };
}
function simpleKeyPath(key) {
    const segment = /\s*(?:([A-Za-z0-9_-]+)|"([^"\\]*)"|'([^']*)')\s*(\.|$)/y;
    const path = [];
    segment.lastIndex = 0;
    while (segment.lastIndex < key.length) {
        const match = segment.exec(key);
        if (!match)
            return undefined;
        const groups = match;
        path.push(groups[1] ?? groups[2] ?? groups[3] ?? '');
        if (groups[4] === '')
            break;
    }
    return segment.lastIndex === key.length && path.length > 0 ? path : undefined;
}
function scanValueText(line, openString, depth) {
    let i = 0;
    while (i < line.length) {
        if (openString !== null) {
            const c = line[i];
            if (openString === '"""' && c === '\\') {
                i += 2;
                continue;
            }
            if (line.startsWith(openString, i)) {
                let end = i;
                while (line[end] === openString[0])
                    end++;
                openString = null;
                i = end;
                continue;
            }
            i++;
            continue;
        }
        const c = line[i];
        if (c === '#')
            break;
        if (c === '"' || c === "'") {
            const triple = c.repeat(3);
            if (line.startsWith(triple, i)) {
                openString = triple;
                i += 3;
                continue;
            }
            i++;
            while (i < line.length && line[i] !== c)
                i += c === '"' && line[i] === '\\' ? 2 : 1;
            i++;
            continue;
        }
        if (c === '[' || c === '{')
            depth++;
        else if (c === ']' || c === '}')
            depth--;
        i++;
    }
    return { openString, depth };
}
function topLevelStatements(text, lines) {
    const firstHeader = lines.findIndex(l => l.kind === 'header');
    const top = firstHeader < 0 ? lines : lines.slice(0, firstHeader);
    const statements = [];
    for (let i = 0; i < top.length; i++) {
        if (top[i].kind !== 'content' || top[i].continued)
            continue;
        let last = i;
        while (last + 1 < top.length && top[last + 1].continued)
            last++;
        const start = top[i].start;
        const end = top[last].next;
        statements.push({ start, end, key: keyOf(text.slice(start, end)) });
        i = last;
    }
    return statements;
}
function keyOf(statement) {
    try {
        return Object.keys(parse(statement))[0] ?? '';
    }
    catch {
        return '';
    }
}

function replaceSpan(text, span, replacement) {
    return text.slice(0, span.start) + replacement + text.slice(span.end);
}
function removeSpan(text, span, lead, trail = '') {
    let start = span.start;
    let end = span.end;
    const before = text.slice(0, span.start);
    if (lead !== '' && before.endsWith(lead)) {
        const kept = before.slice(0, before.length - lead.length);
        if (span.end === text.length || kept === '' || kept.endsWith('\n'))
            start -= lead.length;
    }
    if (trail !== '' && text.startsWith(trail, end) && (start === 0 || text[start - 1] === '\n'))
        end += trail.length;
    return text.slice(0, start) + text.slice(end);
}

function entryFields(entry) {
    const fields = {};
    if (entry.token !== undefined)
        fields.token = entry.token;
    if (entry._auth !== undefined)
        fields._auth = entry._auth;
    if (entry.email !== undefined)
        fields.email = entry.email;
    fields.alwaysAuth = entry.alwaysAuth;
    return fields;
}
function renderTable(entry, eol = '\n') {
    const [header, ...body] = stringify({ npmAuth: { [entry.url]: entryFields(entry) } })
        .replace(/\n+$/, '')
        .split('\n');
    return { header, body: body.map(line => line + eol).join('') };
}
function renderRedacted(entry) {
    const redacted = { ...entry };
    if (redacted.token !== undefined)
        redacted.token = '***';
    if (redacted._auth !== undefined)
        redacted._auth = '***';
    const { header, body } = renderTable(redacted);
    return `${header}\n${body}`.split('\n').map(logSafe).join('\n');
}
function mergeEntries(text, entries, file) {
    const before = parseConfig(text, file);
    const npmAuth = before.npmAuth;
    if (npmAuth !== undefined && !isPlainObject(npmAuth)) {
        throw new ConfigFileError(`${file} has a top-level \`npmAuth\` that is not a table. Unity expects [npmAuth."URL"] tables: fix or remove it, then run again.`);
    }
    const eol = detectEol(text);
    let lines;
    const edits = [];
    const tables = [];
    const appended = [];
    for (const entry of entries) {
        const { header, body } = renderTable(entry, eol);
        const existing = npmAuth?.[entry.url];
        if (existing === undefined) {
            appended.push({ url: entry.url, text: header + eol + body });
            continue;
        }
        lines ??= scanLines(text);
        const span = findTable(lines, entry.url);
        if (span === undefined || span.arrayTable) {
            throw new ConfigFileError(`${file} defines the entry for ${entry.url} in a form this action cannot edit in place ` +
                '(an inline table, dotted keys or an array of tables). Rewrite it as a [npmAuth."URL"] table, or remove it, then run again.');
        }
        const headerText = text.slice(span.start, span.headerEnd);
        let written = headerText.endsWith('\n') ? headerText : headerText + eol;
        let bodyPlaced = false;
        for (const line of lines.filter(l => l.start >= span.headerEnd && l.next <= span.end)) {
            if (line.kind !== 'content')
                written += text.slice(line.start, line.next);
            else if (!bodyPlaced)
                written += body;
            bodyPlaced ||= line.kind === 'content';
        }
        if (!bodyPlaced)
            written += body;
        edits.push({ start: span.start, end: span.end, text: written });
        tables.push({ url: entry.url, original: text.slice(span.start, span.end), written, lead: '' });
    }
    let result = text;
    for (const edit of edits.sort((a, b) => b.start - a.start))
        result = replaceSpan(result, edit, edit.text);
    if (appended.length > 0) {
        let separator = '';
        if (result.length > 0 && !result.endsWith('\n'))
            separator += eol;
        if (result.length > 0 && !/(^|\n)[ \t]*\r?\n$/.test(result + separator))
            separator += eol;
        appended.forEach((table, i) => {
            const lead = i === 0 ? separator : eol;
            result += lead + table.text;
            tables.push({ url: table.url, original: null, written: table.text, lead });
        });
    }
    const fields = new Map(entries.map(e => [e.url, entryFields(e)]));
    const document = (edits.length === 0 && appendedMeaning(text, before, appended, fields)) ||
        assertMeaning(before, result, fields, `${file} defines npmAuth in a form this action cannot extend in place (for example an inline table ` +
            '`npmAuth = { ... }`, dotted keys, or sub-tables of a registry). Rewrite its entries as [npmAuth."URL"] tables, then run again.');
    const replaced = tables.filter(t => t.original !== null).map(t => t.url);
    return { text: result, document, replaced, added: entries.filter(e => !replaced.includes(e.url)).map(e => e.url), tables };
}
function appendedMeaning(text, before, appended, fields) {
    if (new Set(appended.map(table => table.url)).size !== appended.length)
        return undefined;
    for (const table of appended) {
        if (!parsedAs(table.text, { npmAuth: { [table.url]: fields.get(table.url) } }))
            return undefined;
    }
    const statements = topLevelStatements(text, scanLines(text, { untilHeader: true }));
    if (statements.some(statement => statement.key === 'npmAuth' || statement.key === ''))
        return undefined;
    const npmAuth = (before.npmAuth ??= {});
    for (const table of appended)
        npmAuth[table.url] = fields.get(table.url);
    return before;
}
function locateTable(text, url) {
    return findTable(scanLines(text), url);
}
function findTable(lines, url) {
    const index = lines.findIndex(l => l.kind === 'header' && l.path?.length === 2 && l.path[0] === 'npmAuth' && l.path[1] === url);
    if (index < 0)
        return undefined;
    let last = index;
    for (let i = index + 1; i < lines.length && lines[i].kind !== 'header'; i++) {
        if (lines[i].kind === 'content')
            last = i;
    }
    return { start: lines[index].start, headerEnd: lines[index].next, end: lines[last].next, arrayTable: lines[index].arrayTable === true };
}

function setTopLevelKey(text, key, value, file, before = parseConfig(text, file)) {
    const eol = detectEol(text);
    const line = stringify({ [key]: value }).replace(/\n+$/, '') + eol;
    const lines = scanLines(text);
    const firstHeader = lines.findIndex(l => l.kind === 'header');
    const statements = topLevelStatements(text, lines);
    const existing = statements.filter(s => s.key === key);
    let edit;
    if (existing.length === 1) {
        const { start, end } = existing[0];
        const keepEnding = text.slice(start, end).endsWith('\n');
        edit = { start, end, written: keepEnding ? line : line.slice(0, -eol.length), lead: '', trail: '' };
    }
    else if (existing.length === 0 && statements.length > 0) {
        const at = statements[statements.length - 1].end;
        edit = { start: at, end: at, written: line, lead: text.slice(0, at).endsWith('\n') ? '' : eol, trail: '' };
    }
    else if (existing.length === 0 && firstHeader >= 0) {
        let at = firstHeader;
        while (at > 0 && lines[at - 1].kind === 'comment')
            at--;
        edit = { start: lines[at].start, end: lines[at].start, written: line, lead: '', trail: eol };
    }
    else if (existing.length === 0) {
        edit = { start: text.length, end: text.length, written: line, lead: text.length > 0 && !text.endsWith('\n') ? eol : '', trail: '' };
    }
    const result = edit ? text.slice(0, edit.start) + edit.lead + edit.written + edit.trail + text.slice(edit.end) : text;
    const document = edit && parsedAs(result, { ...before, [key]: value });
    if (!edit || !document) {
        throw new ConfigFileError(`${file} defines \`${key}\` in a form this action cannot replace in place (as a table, or with dotted keys ` +
            `such as ${key}.x = ...). Write it as one line \`${key} = ...\` before the first table, or remove it, then run again.`);
    }
    const original = existing.length === 1 ? text.slice(edit.start, edit.end) : null;
    return { text: result, key: { key, original, written: edit.written, lead: edit.lead, trail: edit.trail }, document };
}
function locateTopLevelKey(text, key) {
    const found = topLevelStatements(text, scanLines(text)).filter(s => s.key === key);
    return found.length === 1 ? found[0] : undefined;
}

function parseCacheRoot(value, platform) {
    if (value === '')
        return undefined;
    const example = platform === 'win32' ? 'D:\\upm-cache' : '/home/runner/upm-cache';
    const hint = `Give an absolute path, for example ${example}, or \${{ runner.temp }}/upm-cache in a workflow.`;
    refusePathWithControlCharacters(value, 'Input `cache-root`', hint);
    if (value.trim() !== value)
        throw new Error(`Input \`cache-root\` starts or ends with white space. ${hint}`);
    if (value.startsWith('~')) {
        throw new Error(`Input \`cache-root\` (${value}) starts with ~, which Unity does not expand. ${hint}`);
    }
    const absolute = platform === 'win32'
        ?
            /^[A-Za-z]:[\\/]/.test(value) || /^[\\/]{2}[^\\/]+[\\/][^\\/]+/.test(value)
        : value.startsWith('/');
    if (!absolute) {
        const os = platform === 'win32' ? 'Windows' : platform === 'darwin' ? 'macOS' : 'Linux';
        throw new Error(`Input \`cache-root\` (${value}) is not an absolute path on this ${os} runner. ${hint}`);
    }
    return value;
}
const UNITS = {
    B: 1n,
    KB: 1000n,
    MB: 1000n ** 2n,
    GB: 1000n ** 3n,
    TB: 1000n ** 4n
};
function parseMaxCacheSize(value) {
    if (value === '')
        return undefined;
    const forms = 'Give a whole number of bytes (500000000) or a number with a unit: KB, MB, GB or TB, which are decimal ' +
        '(1 GB = 1000000000 bytes), for example 10GB or 1.5 GB.';
    const where = `Input \`max-cache-size\` ("${value}")`;
    if (/^\s*-/.test(value))
        throw new Error(`${where} is negative. ${forms}`);
    if (/^\s*[\d.]+\s*[KMGT]iB\s*$/i.test(value)) {
        throw new Error(`${where} uses a binary unit; this input takes decimal units only. ${forms}`);
    }
    const match = /^\s*(\d+)(?:\.(\d+))?\s*([KMGT]?B)?\s*$/i.exec(value);
    if (!match)
        throw new Error(`${where} is not a size. ${forms}`);
    const [, whole, fraction = '', unit = 'B'] = match;
    const scale = 10n ** BigInt(fraction.length);
    const scaled = (BigInt(whole) * scale + BigInt(fraction || '0')) * UNITS[unit.toUpperCase()];
    if (scaled % scale !== 0n)
        throw new Error(`${where} is not a whole number of bytes. ${forms}`);
    const bytes = scaled / scale;
    if (bytes === 0n)
        throw new Error(`${where} is zero; Unity needs room for its cache. ${forms}`);
    if (bytes > BigInt(Number.MAX_SAFE_INTEGER)) {
        throw new Error(`${where} is larger than ${Number.MAX_SAFE_INTEGER} bytes (about 9 PB), which no cache needs. ${forms}`);
    }
    return Number(bytes);
}
function cacheEnvOverrides(settings, env) {
    const warnings = [];
    const overridden = (name, key) => `${name} is set in this job's environment, and Unity uses it instead of \`${key}\` in the user config file. ` +
        `Unset ${name}, or set it to the value you want instead of the input.`;
    if (settings.cacheRoot !== undefined && env.UPM_CACHE_ROOT)
        warnings.push(overridden('UPM_CACHE_ROOT', 'cacheRoot'));
    if (settings.maxCacheSize !== undefined && env.UPM_MAX_CACHE_SIZE) {
        warnings.push(overridden('UPM_MAX_CACHE_SIZE', 'maxCacheSize'));
    }
    return warnings;
}
function parseCacheSettings(cacheRoot, maxCacheSize, platform) {
    return { cacheRoot: parseCacheRoot(cacheRoot, platform), maxCacheSize: parseMaxCacheSize(maxCacheSize) };
}
function applyCacheSettings(text, settings, file, document) {
    const keys = [];
    for (const [key, value] of [
        ['cacheRoot', settings.cacheRoot],
        ['maxCacheSize', settings.maxCacheSize]
    ]) {
        if (value === undefined)
            continue;
        const set = setTopLevelKey(text, key, value, file, document);
        text = set.text;
        document = set.document;
        keys.push(set.key);
    }
    return { text, keys, document };
}

class JsonSyntaxError extends Error {
    reason;
    line;
    column;
    constructor(reason, line, column) {
        super(line === undefined ? reason : `${reason} at line ${line}, column ${column ?? 0}`);
        this.reason = reason;
        this.line = line;
        this.column = column;
        this.name = 'JsonSyntaxError';
    }
}
function parseJson(text) {
    try {
        return JSON.parse(text);
    }
    catch {
        const offset = jsonErrorOffset(text);
        const reason = offset >= text.length ? 'Unexpected end of JSON input' : 'Unexpected character';
        if (offset < 0)
            throw new JsonSyntaxError(reason);
        throw new JsonSyntaxError(reason, lineOf(text, offset), offset - text.lastIndexOf('\n', offset - 1));
    }
}
function tryParseJson(text) {
    try {
        return JSON.parse(text);
    }
    catch {
        return undefined;
    }
}
function lineOf(text, offset) {
    let line = 1;
    for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1))
        line++;
    return line;
}
function jsonErrorOffset(text) {
    let i = 0;
    const fail = () => {
        throw new JsonStop(i);
    };
    const space = () => {
        while (i < text.length && ' \t\n\r'.includes(text[i]))
            i++;
    };
    const string = () => {
        i++;
        for (;;) {
            const c = text.charAt(i);
            if (c === '' || c < ' ')
                fail();
            if (c === '"') {
                i++;
                return;
            }
            if (c === '\\') {
                i++;
                if (text[i] === 'u') {
                    for (let k = 0; k < 4; k++) {
                        i++;
                        if (!/[0-9a-fA-F]/.test(text[i] ?? ''))
                            fail();
                    }
                }
                else if (!'"\\/bfnrt'.includes(text[i] ?? '!'))
                    fail();
            }
            i++;
        }
    };
    const digit = () => text[i] >= '0' && text[i] <= '9';
    const digits = () => {
        if (!digit())
            fail();
        while (digit())
            i++;
    };
    const value = () => {
        space();
        const c = text[i];
        if (c === '{' || c === '[') {
            const close = c === '{' ? '}' : ']';
            i++;
            space();
            if (text[i] === close) {
                i++;
                return;
            }
            for (;;) {
                if (c === '{') {
                    space();
                    if (text[i] !== '"')
                        fail();
                    string();
                    space();
                    if (text[i] !== ':')
                        fail();
                    i++;
                }
                value();
                space();
                if (text[i] === close) {
                    i++;
                    return;
                }
                if (text[i] !== ',')
                    fail();
                i++;
            }
        }
        if (c === '"') {
            string();
            return;
        }
        const literal = ['true', 'false', 'null'].find(word => word[0] === c);
        if (literal) {
            for (const letter of literal) {
                if (text[i] !== letter)
                    fail();
                i++;
            }
            return;
        }
        if (c !== '-' && !digit())
            fail();
        if (c === '-')
            i++;
        if (text[i] === '0')
            i++;
        else
            digits();
        if (text[i] === '.') {
            i++;
            digits();
        }
        if (text[i] === 'e' || text[i] === 'E') {
            i++;
            if (text[i] === '+' || text[i] === '-')
                i++;
            digits();
        }
    };
    try {
        value();
        space();
        if (i < text.length)
            fail();
        return -1;
    }
    catch (error) {
        if (error instanceof JsonStop)
            return error.at;
        return -1;
    }
}
class JsonStop extends Error {
    at;
    constructor(at) {
        super('invalid JSON');
        this.at = at;
    }
}

function parseManifest(text, file) {
    const json = text.replace(/^\uFEFF/, '');
    let doc;
    try {
        doc = parseJson(json);
    }
    catch (error) {
        if (!(error instanceof JsonSyntaxError))
            throw error;
        throw new ManifestError(`${file} is not valid JSON: ${error.message}. Unity cannot read it either: fix the manifest (JSON allows no comments, ` +
            'single quotes or trailing commas), or set `manifest` to the right file.', { cause: error });
    }
    const fix = 'Fix the manifest (Unity cannot resolve packages with it either), or set `manifest-check: off`.';
    if (!isPlainObject(doc))
        throw new ManifestError(`${file} is not a Unity project manifest: its top level is not a JSON object. ${fix}`);
    const dependencies = isPlainObject(doc.dependencies) ? Object.keys(doc.dependencies) : [];
    const list = doc.scopedRegistries;
    if (list === undefined)
        return { registries: [], dependencies };
    if (!Array.isArray(list))
        throw new ManifestError(`${file}: \`scopedRegistries\` is not an array. ${fix}`);
    const urlLines = findUrlLines(json);
    const registries = list.map((entry, index) => {
        if (!isPlainObject(entry) || typeof entry.url !== 'string') {
            throw new ManifestError(`${file}: scopedRegistries[${index}] has no \`url\` string. ${fix}`);
        }
        const at = urlLines.findIndex(u => u.value === entry.url);
        const line = at >= 0 ? urlLines.splice(at, 1)[0].line : undefined;
        const scopes = Array.isArray(entry.scopes) ? entry.scopes.filter((scope) => typeof scope === 'string') : [];
        return { name: typeof entry.name === 'string' ? entry.name : '', url: entry.url, scopes, line };
    });
    return { registries, dependencies };
}
function packagesFrom(url, manifest) {
    return manifest.dependencies.filter(name => scopedRegistryFor(name, manifest.registries)?.url === url);
}
function scopedRegistryFor(name, registries) {
    let best;
    let bestLength = -1;
    for (const registry of registries) {
        for (const scope of registry.scopes) {
            if ((name === scope || name.startsWith(`${scope}.`)) && scope.length > bestLength) {
                best = registry;
                bestLength = scope.length;
            }
        }
    }
    return best;
}
const PUBLIC_HOSTS = new Set(['package.openupm.com', 'package.openupm.cn']);
function compareWithConfig(registries, configuredUrls) {
    return registries.map(registry => {
        if (configuredUrls.includes(registry.url))
            return { registry, status: 'matched' };
        const key = sameRegistryKey(registry.url);
        const configured = key === undefined ? undefined : configuredUrls.find(url => sameRegistryKey(url) === key);
        if (configured !== undefined) {
            return { registry, status: 'near-miss', configured, differences: differences(registry.url, configured) };
        }
        return { registry, status: isPublic(registry.url) ? 'public' : 'missing' };
    });
}
function sameRegistryKey(url) {
    let parsed;
    try {
        parsed = new URL(url);
    }
    catch {
        return undefined;
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
        return undefined;
    const port = parsed.port === '' || parsed.port === '80' || parsed.port === '443' ? '' : `:${parsed.port}`;
    return `${parsed.hostname}${port}${parsed.pathname.replace(/\/+$/, '')}`;
}
function isPublic(url) {
    try {
        return PUBLIC_HOSTS.has(new URL(url).hostname);
    }
    catch {
        return false;
    }
}
function differences(wanted, configured) {
    const split = (url) => {
        const [, scheme = '', host = '', port = '', path = ''] = (/^([^:]*):\/\/([^/?#:]*)(?::(\d*))?(.*)$/.exec(url) ?? []);
        return { scheme, host, port, path };
    };
    const a = split(wanted);
    const b = split(configured);
    const found = [];
    if (a.scheme.toLowerCase() !== b.scheme.toLowerCase())
        found.push(`${b.scheme} instead of ${a.scheme}`);
    else if (a.scheme !== b.scheme)
        found.push('letter case in the scheme');
    if (a.host !== b.host)
        found.push('letter case in the host');
    if (a.port !== b.port) {
        if (!a.port)
            found.push(`the default port :${b.port} written out`);
        else if (!b.port)
            found.push(`no port, where the manifest writes :${a.port}`);
        else
            found.push(`port :${b.port} instead of :${a.port}`);
    }
    const trimmedA = a.path.replace(/\/+$/, '');
    const trimmedB = b.path.replace(/\/+$/, '');
    if (a.path !== b.path && trimmedA === trimmedB) {
        found.push(b.path.length > a.path.length ? 'a trailing slash the manifest does not have' : 'a missing trailing slash');
    }
    else if (a.path !== b.path)
        found.push('the spelling of the path');
    return found.length > 0 ? found : ['a different spelling'];
}
function describeFinding(finding, manifest, configFile) {
    const { registry } = finding;
    const wanted = JSON.stringify(redactUrl(registry.url));
    const name = registry.name ? `Scoped registry "${registry.name}"` : 'A scoped registry';
    if (finding.status === 'near-miss' && finding.configured !== undefined) {
        const configured = JSON.stringify(redactUrl(finding.configured));
        return (`${name} in ${manifest} has url ${wanted}, but ${configFile} has credentials for ${configured} ` +
            `(${(finding.differences ?? []).join(', ')}). Unity matches the URL exactly and will not send them: ` +
            `use exactly ${wanted} as \`registry-url\` (or as the key of the \`registries\` table), or change the manifest's url to ${configured}.`);
    }
    if (finding.status === 'missing') {
        return (`${name} in ${manifest} (url ${wanted}) has no credentials in ${configFile}, so Unity will request its packages ` +
            `without any. Configure exactly ${wanted} (\`registry-url\`, or a \`registries\` table), unless the registry is public.`);
    }
    return undefined;
}
function manifestMatch(url, findings) {
    const matched = findings.find(f => f.status === 'matched' && f.registry.url === url);
    if (matched)
        return matched.registry.name ? `yes (${matched.registry.name})` : 'yes';
    const near = findings.find(f => f.status === 'near-miss' && f.configured === url);
    if (near)
        return `near miss: the manifest has ${redactUrl(near.registry.url)}`;
    return 'no';
}
function findUrlLines(text) {
    const found = [];
    for (const match of text.matchAll(/"url"\s*:\s*("(?:[^"\\\r\n]|\\.)*")/g)) {
        const value = tryParseJson(match[1]);
        if (typeof value === 'string')
            found.push({ value, line: lineOf(text, match.index) });
    }
    return found;
}
const MANIFEST_CHECKS = ['warn', 'error', 'off'];
function parseManifestCheck(value) {
    if (MANIFEST_CHECKS.includes(value))
        return value;
    throw new Error(`Input \`manifest-check\` must be one of ${MANIFEST_CHECKS.join(', ')}, not "${value}".`);
}

const OIDC_PROVIDER_NAMES = { artifactory: 'JFrog Artifactory', cloudsmith: 'Cloudsmith' };

const AUTH_KINDS = {
    token: 'Bearer token',
    auth: 'Basic (`_auth` given)',
    'email+pat': 'Basic (email + PAT)',
    'username+password': 'Basic (username + password)',
    login: 'Bearer token (from login)',
    oidc: 'Bearer token (OIDC)'
};
function verifiedLabel(result) {
    if (!result)
        return 'not checked';
    const http = result.httpStatus !== undefined ? ` (HTTP ${result.httpStatus})` : '';
    const labels = {
        ok: 'yes',
        rejected: 'rejected',
        unreachable: 'cannot reach',
        unverified: 'cannot tell'
    };
    return labels[result.status] + http;
}
function renderSummary(summary) {
    const lines = [
        '### Unity Package Manager credentials',
        '',
        '| Registry | Auth | alwaysAuth | Verified | In the manifest | Config file |',
        '| --- | --- | --- | --- | --- | --- |'
    ];
    for (const row of summary.rows) {
        const cells = [
            code(redactUrl(row.url)),
            row.oidcProvider ? `Bearer token (OIDC, ${OIDC_PROVIDER_NAMES[row.oidcProvider]})` : AUTH_KINDS[row.form],
            String(row.alwaysAuth),
            text(row.verified ?? 'not checked'),
            text(summary.manifest ? manifestMatch(row.url, summary.manifest.findings) : 'not checked'),
            code(row.configFile)
        ];
        lines.push(`| ${cells.join(' | ')} |`);
    }
    const { cacheRoot, maxCacheSize } = summary.cache ?? {};
    if (cacheRoot !== undefined || maxCacheSize !== undefined)
        lines.push('', 'Global cache:', '');
    if (cacheRoot !== undefined)
        lines.push(`- \`cacheRoot\` = ${code(cacheRoot)}`);
    if (maxCacheSize !== undefined)
        lines.push(`- \`maxCacheSize\` = ${maxCacheSize} bytes (${decimalSize(maxCacheSize)})`);
    const { file, findings } = summary.manifest ?? { file: '', findings: [] };
    const unmatched = findings.filter(f => f.status === 'missing' || f.status === 'near-miss');
    if (unmatched.length > 0)
        lines.push('', `Scoped registries in ${code(file)} that Unity will not send credentials to:`, '');
    for (const { registry, status, configured } of unmatched) {
        const name = registry.name ? `**${text(registry.name)}** ` : '';
        const why = status === 'missing' ? 'no credentials' : `credentials only for ${code(redactUrl(configured ?? ''))}, which is not the same string`;
        lines.push(`- ${name}${code(redactUrl(registry.url))}: ${why}`);
    }
    return [lines.join('\n') + '\n', ...(summary.sections ?? [])].join('\n');
}
function writeSummary(summary) {
    const file = process.env.GITHUB_STEP_SUMMARY;
    if (!file)
        return;
    try {
        fs$1.appendFileSync(file, renderSummary(summary));
    }
    catch (error) {
        warning(`Could not write the job summary: ${errorMessage(error)}`);
    }
}
function code(value) {
    const oneLine = value.replace(/[\r\n]+/g, ' ').replace(/\|/g, '\\|');
    const longestRun = Math.max(0, ...(oneLine.match(/`+/g) ?? []).map(run => run.length));
    const fence = '`'.repeat(longestRun + 1);
    const pad = oneLine.startsWith('`') || oneLine.endsWith('`') ? ' ' : '';
    return `${fence}${pad}${oneLine}${pad}${fence}`;
}
function text(value) {
    return value.replace(/[\r\n]+/g, ' ').replace(/([\\`*_[\]<>|#])/g, '\\$1');
}
function decimalSize(bytes) {
    const units = [
        [1e12, 'TB'],
        [1e9, 'GB'],
        [1e6, 'MB'],
        [1e3, 'KB']
    ];
    const [size, unit] = units.find(([size]) => bytes >= size) ?? [1, 'bytes'];
    return `${Number((bytes / size).toFixed(2))} ${unit}`;
}

function warn(annotate, text, annotation) {
    if (annotation === undefined)
        annotate(text);
    else
        annotate(text, annotation);
}
function emit(messages) {
    for (const { level, text, annotation } of messages) {
        if (level === 'info')
            info$1(logSafe(text));
        else if (level === 'warning')
            warn(warning, text, annotation);
        else
            warn(error, text, annotation);
    }
}

function projectFilePath(input, workspace) {
    const file = path.resolve(workspace, input);
    const relative = path.relative(workspace, file);
    const inWorkspace = relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
    return { file, shown: inWorkspace ? relative.split(path.sep).join('/') : file, inWorkspace };
}
function readProjectFile(where, workspace, limit) {
    const real = fs$1.realpathSync(where.file);
    if (where.inWorkspace) {
        const relative = path.relative(fs$1.realpathSync(workspace), real);
        if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
            throw new ProjectFileError('is a link that leads out of the workspace (only links within it are followed)');
        }
    }
    const { O_NONBLOCK = 0, O_NOFOLLOW = 0 } = fs$1.constants;
    const flags = fs$1.constants.O_RDONLY | O_NONBLOCK | O_NOFOLLOW;
    const fd = fs$1.openSync(real, flags);
    const most = `${limit.bytes / 1024 / 1024} MiB`;
    try {
        const stat = fs$1.fstatSync(fd);
        if (stat.isDirectory())
            throw new ProjectFileError('cannot be read: it is a folder');
        if (!stat.isFile())
            throw new ProjectFileError('is not a regular file (a named pipe, socket or device)');
        if (stat.size > limit.bytes) {
            throw new ProjectFileError(`is ${(stat.size / 1e6).toFixed(1)} MB; ${limit.typical}, and at most ${most} is read`);
        }
        const buffer = Buffer.alloc(limit.bytes + 1);
        let length = 0;
        for (let n; length < buffer.length && (n = fs$1.readSync(fd, buffer, length, buffer.length - length, null)) > 0;)
            length += n;
        if (length > limit.bytes)
            throw new ProjectFileError(`grew past ${most} while it was read; ${limit.typical}`);
        return buffer.toString('utf8', 0, length);
    }
    finally {
        fs$1.closeSync(fd);
    }
}

const DEFAULT_MANIFEST = 'Packages/manifest.json';
function loadManifest(input, check, workspace) {
    refusePathWithControlCharacters(input, 'Input `manifest`', "Set it to the Unity project's Packages/manifest.json, or to '' to skip the manifest check.");
    if (check === 'off' || input === '')
        return undefined;
    const where = projectFilePath(input, workspace);
    const { file, shown, inWorkspace } = where;
    let text;
    try {
        text = readProjectFile(where, workspace, MANIFEST_LIMIT);
    }
    catch (error) {
        if (error instanceof ProjectFileError) {
            throw new Error(`Input \`manifest\` names ${shown}, which ${error.message}. Set it to the Unity project's Packages/manifest.json, or to '' to skip the manifest check.`, { cause: error });
        }
        if (errorCode(error) === 'ENOENT' && input === DEFAULT_MANIFEST) {
            const found = findManifests(workspace);
            const skipped = `No ${DEFAULT_MANIFEST} at the root of the workspace, so the manifest check was skipped.`;
            if (found.length === 0) {
                debug(`${skipped} None within ${MANIFEST_SEARCH_DEPTH} folders below it either; for a project deeper down, set \`manifest\` to its Packages/manifest.json.`);
            }
            else if (found.length === 1) {
                notice(`${skipped} Found ${found[0]}: set \`manifest: ${found[0]}\` to check it (or \`manifest: ''\` for no check).`);
            }
            else {
                const listed = found.length > 5 ? `${found.slice(0, 5).join(', ')} and ${found.length - 5} more` : found.join(', ');
                notice(`${skipped} Found ${found.length}: ${listed}. Set \`manifest\` to the one of the project Unity opens.`);
            }
            return undefined;
        }
        const why = errorCode(error) === 'ENOENT' ? 'it does not exist' : describeFsError(error);
        throw new Error(`Input \`manifest\` names ${file}, which cannot be read: ${why}. Set it to the Unity project's Packages/manifest.json, ` +
            "or to '' to skip the manifest check.", { cause: error });
    }
    return { shown, inWorkspace, ...parseManifest(text, shown) };
}
const MANIFEST_SEARCH_DEPTH = 3;
const MANIFEST_SEARCH_FOLDERS = 128;
const NOT_A_PROJECT = /^(\.|node_modules$|Library$|Temp$|Logs$|obj$|Packages$|Assets$)/;
function findManifests(workspace) {
    const found = [];
    let level = [workspace];
    let read = 0;
    for (let depth = 0; depth <= MANIFEST_SEARCH_DEPTH && level.length > 0; depth++) {
        const next = [];
        for (const folder of level) {
            if (read++ >= MANIFEST_SEARCH_FOLDERS)
                return found;
            let entries;
            try {
                entries = fs$1.readdirSync(folder, { withFileTypes: true });
            }
            catch {
                continue;
            }
            const manifest = path.join(folder, 'Packages', 'manifest.json');
            if (depth > 0 && entries.some(e => e.name === 'Packages' && e.isDirectory()) && isRegularFile(manifest)) {
                found.push(path.relative(workspace, manifest).split(path.sep).join('/'));
                continue;
            }
            if (depth === MANIFEST_SEARCH_DEPTH)
                continue;
            const children = entries.filter(e => e.isDirectory() && !NOT_A_PROJECT.test(e.name)).map(e => e.name);
            for (const name of children.sort())
                next.push(path.join(folder, name));
        }
        level = next;
    }
    return found;
}
function isRegularFile(file) {
    try {
        return fs$1.lstatSync(file).isFile();
    }
    catch {
        return false;
    }
}
const MANIFEST_LIMIT = { bytes: 1024 * 1024, typical: 'a Unity manifest holds a few kilobytes' };
function checkManifest(manifest, configuredUrls, check, configFile) {
    const findings = compareWithConfig(manifest.registries, configuredUrls);
    const messages = [];
    let problems = 0;
    for (const finding of findings) {
        const text = describeFinding(finding, manifest.shown, configFile);
        if (text === undefined)
            continue;
        problems++;
        const annotation = {
            title: finding.status === 'near-miss' ? 'Registry URL differs from the manifest' : 'Scoped registry without credentials'
        };
        if (manifest.inWorkspace) {
            annotation.file = manifest.shown;
            annotation.startLine = finding.registry.line;
        }
        messages.push({ level: check === 'error' ? 'error' : 'warning', text, annotation });
    }
    const matched = findings.filter(f => f.status === 'matched').length;
    messages.push({
        level: 'info',
        text: `${manifest.shown}: ${scopedRegistries(findings.length)}, ${matched} with credentials, ${problems} to look at.`
    });
    const report = { file: manifest.shown, findings, messages };
    if (check === 'error' && problems > 0) {
        report.failure =
            `${manifest.shown} lists ${scopedRegistries(problems)} that Unity would not ` +
                `send credentials to (see the errors above), and \`manifest-check\` is error: ${configFile} was left as it was.`;
    }
    return report;
}
function scopedRegistries(count) {
    return `${count} scoped ${count === 1 ? 'registry' : 'registries'}`;
}

function digestOf(text) {
    return node_crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}
function undoEdit(text, located, edit, valueOf, file) {
    if (typeof located === 'string')
        return { text, outcome: located };
    const span = { start: located.start, end: located.start + edit.writtenLength };
    if (span.end < located.end || digestOf(text.slice(span.start, span.end)) !== edit.writtenDigest)
        return { text, outcome: 'changed' };
    if (edit.original === null)
        return { text: removeSpan(text, span, edit.lead, edit.trail), outcome: 'removed', meaning: { value: undefined } };
    return {
        text: replaceSpan(text, span, edit.original),
        outcome: 'restored',
        meaning: { value: valueOf(parseConfig(edit.original, file)) }
    };
}

const LEDGER_VERSION = 2;
const itemKey = (item) => `${item.kind}:${item.name}`;
function locate(text, item) {
    if (item.kind === 'key')
        return locateTopLevelKey(text, item.name) ?? 'gone';
    const table = locateTable(text, item.name);
    return table === undefined || table.arrayTable ? 'gone' : table;
}
function showsLastWrite(text, item) {
    const at = locate(text, item);
    if (at === 'gone')
        return item.writtenLength === 0 && item.original === null;
    const end = at.start + item.writtenLength;
    return end >= at.end && digestOf(text.slice(at.start, end)) === item.writtenDigest;
}
function adoptAsOriginal(text, item) {
    const at = locate(text, item);
    item.original = at === 'gone' ? null : text.slice(at.start, at.end);
    item.lead = '';
    item.trail = '';
    item.writtenDigest = digestOf(item.original ?? '');
    item.writtenLength = item.original?.length ?? 0;
}
function settle(text, ledger, isLive, file, leaving) {
    const items = ledger.items.map(item => ({ ...item, holders: [...item.holders] }));
    const outcomes = [];
    const restore = [];
    const handOn = [];
    const adopted = new Set();
    for (const item of items) {
        if (!showsLastWrite(text, item)) {
            adoptAsOriginal(text, item);
            adopted.add(itemKey(item));
        }
        const top = item.holders.at(-1);
        const count = item.holders.length;
        item.holders = item.holders.filter(holder => holder.job !== leaving && isLive(holder));
        if (item.holders.length === 0)
            restore.push(item);
        else if (item.holders.at(-1) !== top)
            handOn.push(item);
        else if (item.holders.length < count)
            outcomes.push({ kind: item.kind, name: item.name, outcome: 'kept' });
    }
    let result = text;
    const before = restore.length > 0 ? parseConfig(text, file) : {};
    const tables = new Map();
    const keys = new Map();
    const position = (item) => {
        const at = locate(result, item);
        return at === 'gone' ? -1 : at.start;
    };
    const ordered = [
        ...restore.filter(i => i.kind === 'key').reverse(),
        ...restore.filter(i => i.kind === 'table').sort((a, b) => position(b) - position(a))
    ];
    for (const item of ordered) {
        const undone = undoEdit(result, locate(result, item), item, document => valueOf(document, item), file);
        result = undone.text;
        if (undone.meaning)
            (item.kind === 'key' ? keys : tables).set(item.name, undone.meaning.value);
        const outcome = adopted.has(itemKey(item)) ? 'changed' : item.original === null ? 'removed' : 'restored';
        outcomes.push({ kind: item.kind, name: item.name, outcome });
    }
    if (restore.length > 0) {
        assertMeaning(before, result, tables, `${file} changed in a way that cleanup cannot undo in place; its entries were left as they are.`, keys);
    }
    for (const item of handOn) {
        const top = item.holders[item.holders.length - 1];
        result = writeValue(result, item, top.value, file);
        outcomes.push({ kind: item.kind, name: item.name, outcome: 'handed-on' });
    }
    const left = new Set(restore.map(itemKey));
    return { text: result, ledger: { ...ledger, items: items.filter(item => !left.has(itemKey(item))) }, outcomes };
}
function valueOf(document, item) {
    if (item.kind === 'key')
        return document[item.name];
    return document.npmAuth?.[item.name];
}
function writeValue(text, item, value, file) {
    if (item.kind === 'table') {
        const merged = mergeEntries(text, [value], file);
        noteWrite(item, merged.tables[0]);
        return merged.text;
    }
    const set = setTopLevelKey(text, item.name, value, file);
    noteWrite(item, set.key);
    return set.text;
}
function noteWrite(item, written) {
    item.writtenDigest = digestOf(written.written);
    item.writtenLength = written.written.length;
    if (written.original === null) {
        item.lead = written.lead;
        item.trail = 'trail' in written ? written.trail : '';
    }
}
function arrive(ledger, arrivals, holder, createdFile) {
    const result = ledger
        ? { ...ledger, items: ledger.items.map(item => ({ ...item, holders: [...item.holders] })) }
        : { version: LEDGER_VERSION, createdFile, items: [] };
    const warnings = [];
    for (const { kind, written, value } of arrivals) {
        const name = kind === 'table' ? written.url : written.key;
        let item = result.items.find(i => i.kind === kind && i.name === name);
        if (!holder) {
            if (item) {
                item.original = written.written;
                item.lead = '';
                item.trail = '';
                noteWrite(item, { ...written, original: item.original });
            }
            continue;
        }
        if (!item) {
            item = { kind, name, original: written.original, lead: '', trail: '', writtenDigest: '', writtenLength: 0, holders: [] };
            result.items.push(item);
        }
        noteWrite(item, written);
        const top = item.holders.at(-1);
        if (top && top.run !== holder.run && !sameCredential(top.value, value))
            warnings.push(replacedWarning(kind, name));
        item.holders.push({ ...holder, value: kind === 'table' ? unityEntry(value) : value });
    }
    return { ledger: result, warnings };
}
function unityEntry(entry) {
    return { url: entry.url, ...entryFields(entry) };
}
function sameCredential(a, b) {
    if (typeof a !== 'object' || typeof b !== 'object')
        return a === b;
    return JSON.stringify(entryFields(a)) === JSON.stringify(entryFields(b));
}
function replacedWarning(kind, name) {
    const what = kind === 'table' ? `The entry [npmAuth.${JSON.stringify(redactUrl(name))}]` : `\`${name}\``;
    return (`${what} held a different value written by a job of another workflow run that is still running. Until one of them ends, ` +
        'both use the value this step wrote. Set `location: job` to give each job a file of its own.');
}
function holdsAny(ledger, job) {
    return ledger.items.some(item => item.holders.some(holder => holder.job === job));
}

function hostId() {
    return (self$2 ??= readHostId());
}
let self$2;
function readHostId() {
    const parts = [os$1.hostname()];
    if (process.platform === 'linux') {
        parts.push(readText('/proc/sys/kernel/random/boot_id') ?? 'boot:?', readLink('/proc/self/ns/pid'), readLink('/proc/self/ns/mnt'));
    }
    return parts.join('/');
}
function processStart(pid) {
    if (process.platform !== 'linux')
        return undefined;
    const stat = readText(`/proc/${pid}/stat`);
    const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields?.[19];
}
function monotonicMs() {
    return Number(process.hrtime.bigint()) / 1e6;
}
function readText(file) {
    try {
        return fs$1.readFileSync(file, 'utf8').trim();
    }
    catch {
        return undefined;
    }
}
function readLink(link) {
    try {
        return fs$1.readlinkSync(link);
    }
    catch {
        return '?';
    }
}

const RESTORE_FILE = 'restoreFile';
const RECORD_NAME = /^upm-auth-restore-[0-9a-f]{16}\.json$/;
function isRestoreRecordPath(file) {
    const name = path.isAbsolute(file) ? path.basename(file) : path.win32.isAbsolute(file) ? path.win32.basename(file) : undefined;
    return name !== undefined && RECORD_NAME.test(name);
}
function restoreFilePath() {
    return getState(RESTORE_FILE);
}
function saveRestoreFilePath(file) {
    saveState(RESTORE_FILE, file);
}
function writeRestoreRecord(runnerTemp, file) {
    const recordFile = path.join(runnerTemp, `upm-auth-restore-${node_crypto.randomBytes(8).toString('hex')}.json`);
    const record = { version: 3, file };
    try {
        writePrivateFile(recordFile, JSON.stringify(record));
    }
    catch (error) {
        removeQuietly(recordFile);
        if (error instanceof AclError) {
            throw new Error(`${error.message} It is the cleanup record, under RUNNER_TEMP; \`cleanup: false\` writes none.`, { cause: error });
        }
        throw new Error(`Cannot write the cleanup record ${recordFile} under RUNNER_TEMP: ${describeFsError(error)}. ` +
            'Fix RUNNER_TEMP, or set `cleanup: false` to leave the credentials in place after the job.', { cause: error });
    }
    return recordFile;
}
function readRestoreRecord(recordFile) {
    let text;
    try {
        text = retrySharingViolations(() => fs$1.readFileSync(recordFile, 'utf8'));
    }
    catch (error) {
        throw new Error(`Cannot read the cleanup record ${recordFile}: ${describeFsError(error)}.`, { cause: error });
    }
    const record = tryParseJson(text);
    if (!isPlainObject(record) || record.version !== 3 || typeof record.file !== 'string') {
        throw new Error(`The cleanup record ${recordFile} is not one this version of upm-auth wrote.`);
    }
    return { version: 3, file: record.file };
}
function removeRestoreRecord(recordFile) {
    removeQuietly(recordFile);
}
const OTHER_HOST_BOUND_MS = (5 * 24 + 1) * 3_600_000;
function jobIsLive(holder, now = Date.now()) {
    if (holder.host === hostId())
        return fs$1.existsSync(holder.job);
    return now - holder.since < OTHER_HOST_BOUND_MS;
}
function thisJob(recordFile) {
    return { job: recordFile, host: hostId(), since: Date.now() };
}
function runOf(env) {
    return `${env.GITHUB_RUN_ID ?? ''}/${env.GITHUB_RUN_ATTEMPT ?? ''}`;
}

function notOwnedByThisAccount(stat) {
    if (process.platform === 'win32' || typeof process.getuid !== 'function')
        return undefined;
    const me = process.getuid();
    if (stat.uid !== me)
        return `it belongs to the account with uid ${stat.uid}, not to this one (uid ${me})`;
    if ((stat.mode & 0o022) !== 0)
        return `its mode ${(stat.mode & 0o777).toString(8).padStart(4, '0')} lets other accounts write it`;
    return undefined;
}

const DEFAULT_LOCK_TIMEOUT_MS = 60_000;
const DEFAULT_STALE_MS = 20_000;
const UNREADABLE_GRACE_MS = 5_000;
const LIVE_PID_BOUND_MS = 10 * 60_000;
const LOCK_READ_BYTES = 4096;
function lockPathOf(file) {
    return `${file}.lock`;
}
async function withFileLock(file, fn, options = {}) {
    const lock = await acquireLock(file, options);
    try {
        return await fn();
    }
    finally {
        releaseLock(lock);
    }
}
async function acquireLock(file, options) {
    const lockPath = lockPathOf(file);
    const timeoutMs = options.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
    const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
    const deadline = monotonicMs() + timeoutMs;
    let delay = 5;
    let deniedSince;
    let seen;
    let retriedAtOnce = false;
    for (;;) {
        const info = { ...thisProcess(), created: Date.now(), token: node_crypto.randomBytes(8).toString('hex') };
        const created = tryCreate(lockPath, info, file);
        if (created === 'created')
            return { path: lockPath, token: info.token };
        if (created === 'denied' && monotonicMs() - (deniedSince ??= monotonicMs()) > WINDOWS_DENIAL_MS) {
            throw cannotCreate(file, lockPath, Object.assign(new Error(), { code: 'EPERM' }));
        }
        const read = readLock(lockPath, file);
        let retryAtOnce = read.kind === 'gone';
        const holder = read.kind === 'held' || read.kind === 'incomplete' ? read.content : undefined;
        if (holder) {
            const key = `${holder.ino}:${holder.raw}`;
            if (seen?.key !== key)
                seen = { key, at: monotonicMs() };
            const staleBecause = staleReason(holder, Date.now(), staleMs, monotonicMs() - seen.at);
            if (staleBecause && breakLock(lockPath, holder)) {
                options.log?.(`Took over the lock ${lockPath}: ${staleBecause}.`);
                retryAtOnce = true;
            }
        }
        if (monotonicMs() >= deadline) {
            const who = holder?.info ? `process ${holder.info.pid} on ${holder.info.hostname}` : 'another process';
            throw new ConfigFileError(`Waited ${Math.round(timeoutMs / 1000)} s for the lock ${lockPath}, held by ${who}: another job is writing ${file}. ` +
                `Run again; if no other job uses this file, delete ${lockPath}.`);
        }
        if (retryAtOnce && !retriedAtOnce) {
            retriedAtOnce = true;
            continue;
        }
        retriedAtOnce = false;
        await promises.setTimeout(delay + Math.random() * delay);
        delay = Math.min(delay * 2, 200);
    }
}
const WINDOWS_DENIAL_MS = 2_000;
function tryCreate(lockPath, info, file) {
    try {
        writePrivateFile(lockPath, JSON.stringify(info), { secret: false, retryOpen: false });
        return 'created';
    }
    catch (error) {
        if (error instanceof PrivateFileWriteError) {
            throw new ConfigFileError(`Cannot write ${file}: cannot write its lock file ${lockPath}: ${describeFsError(error)}.`);
        }
        const code = errorCode(error);
        if (code === 'EEXIST')
            return 'held';
        if (process.platform === 'win32' && code === 'EPERM')
            return 'denied';
        throw cannotCreate(file, lockPath, error);
    }
}
function cannotCreate(file, lockPath, error) {
    return new ConfigFileError(`Cannot write ${file}: cannot create its lock file ${lockPath}: ${describeFsError(error)}.`);
}
function readLock(lockPath, file = lockPath.replace(/\.lock$/, '')) {
    try {
        const stat = retrySharingViolations(() => fs$1.lstatSync(lockPath));
        if (!stat.isFile()) {
            throw new ConfigFileError(`Cannot write ${file}: its lock file ${lockPath} is ${stat.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}, ` +
                'which upm-auth never creates. Delete it, then run again.');
        }
        const foreign = notOwnedByThisAccount(stat);
        if (foreign)
            throw notOurs(file, lockPath, foreign);
        const raw = readHead(lockPath);
        const seen = { raw, mtimeMs: stat.mtimeMs, ino: stat.ino };
        const info = parseLockInfo(raw);
        return info ? { kind: 'held', content: { ...seen, info } } : { kind: 'incomplete', content: seen };
    }
    catch (error) {
        if (error instanceof ConfigFileError)
            throw error;
        const code = errorCode(error);
        if (code === 'ENOENT')
            return { kind: 'gone' };
        throw notOurs(file, lockPath, `this account cannot read it (${describeFsError(error)})`);
    }
}
function notOurs(file, lockPath, why) {
    return new ConfigFileError(`Cannot write ${file}: its lock file ${lockPath} is not one this account's runs took: ${why}. Another account uses ` +
        "this folder, or planted the file. Find out who, have it removed (it would never go by itself), then run again; or give this runner's " +
        'account a home of its own.');
}
function readHead(lockPath) {
    const fd = retrySharingViolations(() => fs$1.openSync(lockPath, 'r'));
    try {
        const buffer = Buffer.alloc(LOCK_READ_BYTES);
        const length = fs$1.readSync(fd, buffer, 0, LOCK_READ_BYTES, 0);
        return buffer.toString('utf8', 0, length);
    }
    finally {
        fs$1.closeSync(fd);
    }
}
function parseLockInfo(raw) {
    const value = tryParseJson(raw);
    if (isPlainObject(value) &&
        typeof value.pid === 'number' &&
        typeof value.hostname === 'string' &&
        typeof value.host === 'string' &&
        (value.pidStart === undefined || typeof value.pidStart === 'string') &&
        typeof value.created === 'number' &&
        typeof value.token === 'string') {
        return value;
    }
    return undefined;
}
function staleReason(holder, now, staleMs, seenMs = 0) {
    const { info } = holder;
    if (!info) {
        const age = Math.max(now - holder.mtimeMs, seenMs);
        return age > Math.min(staleMs, UNREADABLE_GRACE_MS) ? 'it was left without a complete record by a holder that died' : undefined;
    }
    const age = Math.max(now - info.created, seenMs);
    if (info.host === hostId()) {
        if (!isProcessAlive(info.pid))
            return `its holder, process ${info.pid}, has ended`;
        const start = processStart(info.pid);
        if (info.pidStart !== undefined && start !== undefined) {
            return start === info.pidStart ? undefined : `its holder, process ${info.pid}, has ended (that pid is another process now)`;
        }
        if (age > LIVE_PID_BOUND_MS)
            return `it was taken ${Math.round(age / 60_000)} min ago; process ${info.pid} is another process by now`;
        return undefined;
    }
    if (age > staleMs)
        return `it was taken ${Math.round(age / 1000)} s ago by process ${info.pid} on ${info.hostname}, longer than any write takes`;
    return undefined;
}
const BREAK_GUARD_STALE_MS = 5_000;
function breakGuardOf(lockPath) {
    return `${lockPath}.break`;
}
let guardSeen;
function breakLock(lockPath, stale) {
    const guard = breakGuardOf(lockPath);
    try {
        writePrivateFile(guard, '', { secret: false, retryOpen: false });
    }
    catch {
        try {
            const stat = fs$1.statSync(guard);
            const key = `${stat.ino}:${stat.mtimeMs}`;
            if (guardSeen?.key !== key)
                guardSeen = { key, at: monotonicMs() };
            if (Math.max(Date.now() - stat.mtimeMs, monotonicMs() - guardSeen.at) > BREAK_GUARD_STALE_MS)
                removeQuietly(guard);
        }
        catch {
        }
        return false;
    }
    try {
        const read = readLock(lockPath);
        if (read.kind !== 'held' && read.kind !== 'incomplete')
            return false;
        const now = read.content;
        if (now.ino !== stale.ino || now.mtimeMs !== stale.mtimeMs || now.raw !== stale.raw)
            return false;
        retrySharingViolations(() => {
            fs$1.unlinkSync(lockPath);
        });
        return true;
    }
    catch {
        return false;
    }
    finally {
        removeQuietly(guard);
    }
}
function releaseLock(lock) {
    try {
        if (parseLockInfo(readHead(lock.path))?.token === lock.token) {
            retrySharingViolations(() => {
                fs$1.unlinkSync(lock.path);
            });
        }
    }
    catch {
    }
}
function isProcessAlive(pid) {
    if (!Number.isInteger(pid) || pid <= 0)
        return false;
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (error) {
        return errorCode(error) === 'EPERM';
    }
}
let self$1;
function thisProcess() {
    self$1 ??= { pid: process.pid, hostname: os$1.hostname(), host: hostId(), pidStart: processStart(process.pid) };
    return self$1;
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const MAX_CONFIG_BYTES = 1024 * 1024;
function readConfigFile(file) {
    let stat;
    try {
        stat = retrySharingViolations(() => fs$1.lstatSync(file));
    }
    catch (error) {
        if (errorCode(error) === 'ENOENT')
            return { exists: false, text: '', hadBom: false, bytes: Buffer.alloc(0) };
        throw new ConfigFileError(`Cannot read ${file}: ${describeFsError(error)}.`);
    }
    if (stat.isSymbolicLink()) {
        throw new ConfigFileError(`${file} is a symbolic link. To keep credentials from being written through a link to somewhere unexpected, ` +
            'upm-auth writes only regular files: set `config-file` to the real file, or replace the link with a file.');
    }
    if (stat.isDirectory()) {
        throw new ConfigFileError(`${file} is a folder, not a file. Remove or rename it, or set \`config-file\` to a file path.`);
    }
    if (!stat.isFile())
        throw new ConfigFileError(`${file} is not a regular file. Set \`config-file\` to a regular file path.`);
    if (stat.size > MAX_CONFIG_BYTES) {
        throw new ConfigFileError(`${file} is ${(stat.size / 1024 / 1024).toFixed(1)} MB; a .upmconfig.toml holds a few kilobytes. Check that \`config-file\` ` +
            '(or UPM_USER_CONFIG_FILE) names the Unity user config file, or shrink the file, then run again.');
    }
    let bytes;
    try {
        bytes = retrySharingViolations(() => fs$1.readFileSync(file));
    }
    catch (error) {
        throw new ConfigFileError(`Cannot read ${file}: ${describeFsError(error)}.`);
    }
    if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
        throw new ConfigFileError(`${file} is encoded as UTF-16 (as PowerShell's Out-File and > write it); Unity and TOML need UTF-8. ` +
            'Re-save it as UTF-8 (for example Set-Content -Encoding utf8NoBOM) or delete it, then run again.');
    }
    const hadBom = bytes.subarray(0, 3).equals(UTF8_BOM);
    let text;
    try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(hadBom ? bytes.subarray(3) : bytes);
    }
    catch {
        throw new ConfigFileError(`${file} is not valid UTF-8 text. Re-save it as UTF-8 or delete it, then run again.`);
    }
    return { exists: true, text, hadBom, bytes };
}
async function updateConfigFile(file, change, lockOptions) {
    ensureFolder(path.dirname(file));
    return withFileLock(file, () => {
        removeLeftoverTempFiles(file);
        for (let attempt = 1;; attempt++) {
            const current = readConfigFile(file);
            const outcome = change(current);
            try {
                applyChange(file, outcome, current.exists ? current.bytes : null);
            }
            catch (error) {
                outcome.undo?.();
                if (!(error instanceof FileChangedError))
                    throw error;
                if (attempt >= CHANGED_ATTEMPTS) {
                    throw new ConfigFileError(`${file} changed ${CHANGED_ATTEMPTS} times while this step merged it, each time between reading and replacing it: another program ` +
                        'writes it without taking its lock (an editor, a script, Unity). It was left as that program wrote it; run again once it is done.');
                }
                continue;
            }
            outcome.done?.();
            return outcome.result;
        }
    }, lockOptions);
}
const CHANGED_ATTEMPTS = 3;
class FileChangedError extends Error {
}
function applyChange(file, outcome, read) {
    if (outcome.delete) {
        assertUnchanged(file, read);
        try {
            retrySharingViolations(() => {
                removeFile(file);
            });
        }
        catch (error) {
            throw new ConfigFileError(`Cannot delete ${file}: ${describeFsError(error)}.`);
        }
    }
    else if (outcome.text !== undefined) {
        const bytes = Buffer.byteLength(outcome.text, 'utf8');
        if (bytes > MAX_CONFIG_BYTES) {
            throw new ConfigFileError(`${file} would grow to ${(bytes / 1024 / 1024).toFixed(2)} MB, over the ${MAX_CONFIG_BYTES / 1024 / 1024} MB a .upmconfig.toml may have ` +
                'here (it holds a few kilobytes); it was left as it was. Remove what does not belong in it, then run again.');
        }
        writeConfigFile(file, outcome.text, { unlessChangedFrom: read });
    }
}
function assertUnchanged(file, read) {
    let now;
    try {
        now = retrySharingViolations(() => fs$1.readFileSync(file));
    }
    catch (error) {
        if (errorCode(error) !== 'ENOENT')
            throw new ConfigFileError(`Cannot read ${file}: ${describeFsError(error)}.`);
        now = null;
    }
    if (now === null ? read !== null : read === null || !now.equals(read))
        throw new FileChangedError();
}
function writeConfigFile(file, text, { durable = true, unlessChangedFrom } = {}) {
    const dir = path.dirname(file);
    ensureFolder(dir);
    const temp = path.join(dir, `${path.basename(file)}.${process.pid}.${node_crypto.randomBytes(4).toString('hex')}.tmp`);
    try {
        writePrivateFile(temp, text, { durable });
        if (unlessChangedFrom !== undefined)
            assertUnchanged(file, unlessChangedFrom);
        retrySharingViolations(() => {
            fs$1.renameSync(temp, file);
        });
    }
    catch (error) {
        removeQuietly(temp);
        if (error instanceof FileChangedError || error instanceof ConfigFileError)
            throw error;
        if (error instanceof AclError)
            throw new ConfigFileError(error.message);
        throw new ConfigFileError(`Cannot write ${file}: ${describeFsError(error)}.`);
    }
    if (durable)
        syncFolder(dir);
}
const checkedFolders = new Set();
function ensureFolder(dir) {
    const guarded = platformAcl.needed(dir);
    const missing = guarded ? missingFolders(dir) : [];
    try {
        fs$1.mkdirSync(dir, { recursive: true, mode: 0o700 });
    }
    catch (error) {
        throw new ConfigFileError(`Cannot create the folder ${dir}: ${describeFsError(error)}.`);
    }
    if (!guarded || checkedFolders.has(dir))
        return;
    try {
        for (const folder of missing)
            platformAcl.protect(folder, 'folder');
        platformAcl.checkOwnersUpFrom(dir);
    }
    catch (error) {
        if (error instanceof AclError)
            throw new ConfigFileError(error.message);
        throw error;
    }
    checkedFolders.add(dir);
}
function missingFolders(dir) {
    const missing = [];
    for (let current = path.resolve(dir); !fs$1.existsSync(current); current = path.dirname(current)) {
        missing.unshift(current);
        if (path.dirname(current) === current)
            break;
    }
    return missing;
}
function syncFolder(dir) {
    if (process.platform === 'win32')
        return;
    try {
        const fd = fs$1.openSync(dir, 'r');
        try {
            fs$1.fsyncSync(fd);
        }
        finally {
            fs$1.closeSync(fd);
        }
    }
    catch {
    }
}
function removeLeftoverTempFiles(file, now = Date.now()) {
    const dir = path.dirname(file);
    const pattern = new RegExp(`^${escapeRegExp(path.basename(file))}(?:\\.lock|\\.ledger)?\\.(\\d+)\\.[0-9a-f]{8}\\.tmp$`);
    const removed = [];
    const guard = breakGuardOf(lockPathOf(file));
    try {
        if (now - fs$1.lstatSync(guard).mtimeMs > BREAK_GUARD_STALE_MS) {
            removeFile(guard);
            removed.push(path.basename(guard));
        }
    }
    catch {
    }
    let names;
    try {
        names = fs$1.readdirSync(dir);
    }
    catch {
        return removed;
    }
    for (const name of names) {
        const match = pattern.exec(name);
        if (!match)
            continue;
        const temp = path.join(dir, name);
        try {
            const stat = fs$1.lstatSync(temp);
            if (!stat.isFile())
                continue;
            if (isProcessAlive(Number(match[1])) && now - stat.mtimeMs <= DEFAULT_STALE_MS)
                continue;
            removeFile(temp);
            removed.push(name);
        }
        catch {
        }
    }
    return removed;
}
function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function fileDigest(bytes) {
    return bytes === null ? null : node_crypto.createHash('sha256').update(bytes).digest('hex');
}
function recover(stored, fileNow, text) {
    const { pending, ...after } = stored;
    if (!pending)
        return { ledger: orNone(after) };
    const before = pending.before ? { version: after.version, ...pending.before } : undefined;
    if (fileNow === pending.fileAfter)
        return { ledger: orNone(after), recovery: 'finished' };
    if (fileNow === pending.fileBefore)
        return { ledger: before && orNone(before), recovery: 'undone' };
    const key = (item) => `${item.kind}:${item.name}`;
    const beforeItems = new Map((before?.items ?? []).map(item => [key(item), item]));
    const items = [];
    for (const item of after.items) {
        const old = beforeItems.get(key(item));
        beforeItems.delete(key(item));
        items.push(!showsLastWrite(text, item) && old && showsLastWrite(text, old) ? old : item);
    }
    for (const old of beforeItems.values())
        if (showsLastWrite(text, old))
            items.push(old);
    return { ledger: orNone({ ...after, items }), recovery: 'reconciled' };
}
function orNone(ledger) {
    return ledger.items.length > 0 ? ledger : undefined;
}
function recoveryMessage(file, recovery) {
    const what = {
        finished: 'the file had been written, so the list of jobs using it was brought up to date',
        undone: 'the file had not been written yet, so the list of jobs using it was put back as it was',
        reconciled: 'another program wrote the file since, so each entry the list holds was matched with what the file shows'
    };
    return `A run of upm-auth on ${file} was stopped between its two writes; ${what[recovery]}.`;
}

const KEYS = {
    cacheRoot: value => typeof value === 'string',
    maxCacheSize: value => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
};
const DIGEST = /^[0-9a-f]{64}$/;
const LINE_BREAKS = /^(?:\r?\n)*$/;
function parseStoredLedger(value) {
    if (!isPlainObject(value) || value.version !== LEDGER_VERSION || !isState(value))
        return undefined;
    if (value.pending !== undefined && !isPending(value.pending))
        return undefined;
    return value;
}
function isState(value) {
    if (typeof value.createdFile !== 'boolean' || !Array.isArray(value.items))
        return false;
    const names = new Set();
    for (const item of value.items) {
        if (!isItem(item))
            return false;
        const name = `${item.kind}:${item.name}`;
        if (names.has(name))
            return false;
        names.add(name);
    }
    return true;
}
function isPending(value) {
    if (!isPlainObject(value))
        return false;
    const digest = (field) => field === null || (typeof field === 'string' && DIGEST.test(field));
    return (digest(value.fileBefore) && digest(value.fileAfter) && (value.before === null || (isPlainObject(value.before) && isState(value.before))));
}
function isItem(value) {
    if (!isPlainObject(value))
        return false;
    const { kind, name, original, lead, trail, writtenDigest, writtenLength, holders } = value;
    if (kind !== 'table' && kind !== 'key')
        return false;
    if (typeof name !== 'string' || (kind === 'key' && !Object.hasOwn(KEYS, name)))
        return false;
    if (original !== null && typeof original !== 'string')
        return false;
    if (typeof lead !== 'string' || !LINE_BREAKS.test(lead) || typeof trail !== 'string' || !LINE_BREAKS.test(trail))
        return false;
    if (typeof writtenDigest !== 'string' || !DIGEST.test(writtenDigest))
        return false;
    if (typeof writtenLength !== 'number' || !Number.isSafeInteger(writtenLength) || writtenLength < 0)
        return false;
    return Array.isArray(holders) && holders.length > 0 && holders.every(holder => isHolder(holder, kind, name));
}
function isHolder(value, kind, name) {
    if (!isPlainObject(value))
        return false;
    const { job, host, since, run } = value;
    if (typeof job !== 'string' || !isRestoreRecordPath(job))
        return false;
    if (typeof host !== 'string' || typeof run !== 'string' || typeof since !== 'number' || !Number.isFinite(since))
        return false;
    return kind === 'key' ? KEYS[name](value.value) : isTableValue(value.value, name);
}
function isTableValue(value, name) {
    if (!isPlainObject(value) || value.url !== name)
        return false;
    const { token, _auth, email, alwaysAuth } = value;
    if (Object.keys(value).some(key => !['url', 'token', '_auth', 'email', 'alwaysAuth'].includes(key)))
        return false;
    if ((token === undefined) === (_auth === undefined))
        return false;
    const optionalString = (field) => field === undefined || typeof field === 'string';
    return optionalString(token) && optionalString(_auth) && optionalString(email) && typeof alwaysAuth === 'boolean';
}

const MAX_LEDGER_BYTES = 4 * 1024 * 1024;
function ledgerPathOf(file) {
    return `${file}.ledger`;
}
function readLedger(ledgerFile) {
    let raw;
    try {
        const stat = fs$1.lstatSync(ledgerFile);
        if (!stat.isFile() || stat.size > MAX_LEDGER_BYTES)
            throw invalid(ledgerFile);
        const foreign = notOwnedByThisAccount(stat);
        if (foreign)
            throw invalid(ledgerFile, foreign);
        raw = retrySharingViolations(() => fs$1.readFileSync(ledgerFile, 'utf8'));
    }
    catch (error) {
        if (error instanceof ConfigFileError)
            throw error;
        if (errorCode(error) === 'ENOENT')
            return undefined;
        throw new ConfigFileError(`Cannot read ${ledgerFile}, the list of jobs using the config file: ${describeFsError(error)}.`);
    }
    if (raw === '')
        return undefined;
    checkWindowsOwner(ledgerFile);
    const ledger = parseStoredLedger(tryParseJson(raw));
    if (!ledger)
        throw invalid(ledgerFile);
    return { raw, ledger };
}
function checkWindowsOwner(ledgerFile) {
    if (!platformAcl.needed(ledgerFile))
        return;
    try {
        platformAcl.checkOwner(ledgerFile);
    }
    catch (error) {
        if (error instanceof AclError) {
            throw invalid(ledgerFile, 'Windows names as its owner another account than this one, SYSTEM or Administrators (or names none)');
        }
        throw error;
    }
}
function invalid(ledgerFile, why) {
    const what = why ? `is not this account's own: ${why}. It` : 'is not a list of jobs this version of upm-auth wrote. It';
    return new ConfigFileError(`${ledgerFile} ${what} steers what every run writes into the config file, so nothing was written. If no job that uses ` +
        'upm-auth is running on this machine, delete it, then run again (entries that running jobs wrote then stay in the config file ' +
        'after them: check it).');
}
function writeLedger(ledgerFile, ledger) {
    if (ledger && (ledger.items.length > 0 || ledger.pending)) {
        writeConfigFile(ledgerFile, JSON.stringify(ledger), { durable: false });
        return;
    }
    try {
        retrySharingViolations(() => {
            removeFile(ledgerFile);
        });
    }
    catch (error) {
        throw new ConfigFileError(`Cannot delete ${ledgerFile}: ${describeFsError(error)}.`);
    }
}
function putLedgerBack(ledgerFile, before) {
    try {
        if (before)
            writeConfigFile(ledgerFile, before.raw, { durable: false });
        else
            removeFile(ledgerFile);
    }
    catch {
    }
}

function changeSharedFile(file, change, lockOptions) {
    const ledgerFile = ledgerPathOf(file);
    return updateConfigFile(file, current => {
        const stored = readLedger(ledgerFile);
        const fileBefore = fileDigest(current.exists ? current.bytes : null);
        const found = stored ? recover(stored.ledger, fileBefore, current.text) : { ledger: undefined };
        const pair = change({ current, ledger: found.ledger, recovery: found.recovery });
        const undo = () => {
            putLedgerBack(ledgerFile, stored);
            pair.undo?.();
        };
        const fileAfter = pair.delete ? null : pair.text === undefined ? fileBefore : fileDigest(Buffer.from(pair.text, 'utf8'));
        const after = pair.ledger && pair.ledger.items.length > 0 ? pair.ledger : undefined;
        const fileChange = { text: pair.delete ? undefined : pair.text, delete: pair.delete };
        if (fileAfter === fileBefore || (!found.ledger && !after)) {
            if (JSON.stringify(after) !== stored?.raw)
                writeLedger(ledgerFile, after);
            return { ...fileChange, result: pair.result, undo };
        }
        const inFlight = {
            ...(after ?? { version: LEDGER_VERSION, createdFile: found.ledger?.createdFile ?? false, items: [] }),
            pending: {
                fileBefore,
                fileAfter,
                before: found.ledger ? { createdFile: found.ledger.createdFile, items: found.ledger.items } : null
            }
        };
        writeLedger(ledgerFile, inFlight);
        return {
            ...fileChange,
            result: pair.result,
            undo,
            done: () => {
                try {
                    writeLedger(ledgerFile, after);
                }
                catch {
                }
            }
        };
    }, lockOptions);
}

async function joinSharedFile(target, entries, options, manifest) {
    let restoreFile;
    let messages = [];
    const forgetRestoreFile = () => {
        if (!restoreFile)
            return;
        removeRestoreRecord(restoreFile);
        saveRestoreFilePath('');
        restoreFile = undefined;
    };
    const merge = ({ current, ledger, recovery }) => {
        messages = [];
        if (current.hadBom) {
            messages.push(info(`${target.file} starts with a UTF-8 byte order mark; it is written back without one, as TOML expects.`));
        }
        if (recovery)
            messages.push(info(recoveryMessage(target.file, recovery)));
        const settled = ledger && settle(current.text, ledger, jobIsLive, target.file);
        const swept = settled?.outcomes.filter(o => o.outcome !== 'kept').length ?? 0;
        if (swept > 0) {
            messages.push(info(`Jobs that used ${target.file} ended without cleaning up: ${swept} of their entries or keys were put back by the rules for jobs that leave.`));
        }
        const merged = mergeEntries(settled?.text ?? current.text, entries, target.file);
        const { text, keys, document: final } = applyCacheSettings(merged.text, options.cache, target.file, merged.document);
        const report = manifest && checkManifest(manifest, configuredUrls(final), options.manifestCheck, target.file);
        if (report)
            messages.push(...report.messages);
        if (report?.failure !== undefined)
            throw new Error(report.failure);
        if (options.runnerTemp) {
            restoreFile = writeRestoreRecord(options.runnerTemp, target.file);
            saveRestoreFilePath(restoreFile);
        }
        const holder = restoreFile ? { ...thisJob(restoreFile), run: runOf(process.env) } : undefined;
        const arrived = arrive(settled?.ledger, arrivals(merged, keys, entries, options.cache), holder, !current.exists);
        messages.push(...arrived.warnings.map(warning => ({ level: 'warning', text: warning })));
        return {
            text,
            ledger: arrived.ledger,
            result: { current, merged, final, report, messages },
            undo: forgetRestoreFile
        };
    };
    try {
        const written = await changeSharedFile(target.file, merge, { log: options.log });
        options.report(written.messages);
        return written;
    }
    catch (error) {
        forgetRestoreFile();
        options.report(messages);
        throw error;
    }
}
function info(text) {
    return { level: 'info', text };
}
function configuredUrls(final) {
    return isPlainObject(final.npmAuth) ? Object.keys(final.npmAuth) : [];
}
function arrivals(merged, keys, entries, cache) {
    const tables = merged.tables.flatMap(t => {
        const value = entries.find(e => e.url === t.url);
        return value ? [{ kind: 'table', written: t, value }] : [];
    });
    const set = keys.flatMap(k => {
        const value = cache[k.key];
        return value === undefined ? [] : [{ kind: 'key', written: k, value }];
    });
    return [...tables, ...set];
}

function missingSecretsReason(env, event) {
    if (env.GITHUB_ACTOR === 'dependabot[bot]') {
        return ('This run was started by Dependabot, and Dependabot runs receive only Dependabot secrets: add the secret ' +
            'under Settings > Secrets and variables > Dependabot as well.');
    }
    const eventName = env.GITHUB_EVENT_NAME ?? '';
    if (eventName.startsWith('pull_request') && eventName !== 'pull_request_target' && fromFork(event)) {
        return ('This run is a pull request from a fork, and GitHub passes no secrets to those. Skip this step for forks ' +
            '(if: github.event.pull_request.head.repo.full_name == github.repository), or have a maintainer run the workflow.');
    }
    return undefined;
}
function fromFork(event) {
    const pr = event.pull_request;
    const head = isPlainObject(pr) ? pr.head : undefined;
    const headRepo = isPlainObject(head) ? head.repo : undefined;
    if (!isPlainObject(headRepo))
        return false;
    const baseRepo = event.repository;
    return headRepo.fork === true || headRepo.full_name !== (isPlainObject(baseRepo) ? baseRepo.full_name : undefined);
}

async function run() {
    try {
        await loadPlatformAcl();
        const inputs = readInputs();
        const built = await maskedEntries(inputs);
        const options = stepOptions(inputs);
        if (inputs.oidc && options.login) {
            throw new Error('Input `oidc` is set, and `login` is true: with OIDC the registry hands out the token, so there is nothing to log in with. Drop `login`.');
        }
        for (const warning$1 of built.warnings)
            warning(warning$1);
        const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
        const manifest = loadManifest(inputs.manifest, options.manifestCheck, workspace);
        const project = options.resolveCheck ? await readResolveProject(inputs.manifest, workspace) : undefined;
        const target = resolveConfigTarget(inputs.configFile, inputs.location, process.env, process.platform, process.cwd());
        debug(`User config file: ${target.file}`);
        const exchanged = built.entries.some(e => e.form === 'oidc') ? await exchangeOidc(built.entries) : built.entries;
        const entries = options.login ? await logIn(exchanged, target, options.cleanup) : exchanged;
        const runnerTemp = cleanupFolder(options.cleanup, target.exportAsEnv);
        const { cache, manifestCheck } = options;
        const { current, merged, final, report } = await joinSharedFile(target, entries, {
            cache,
            manifestCheck,
            runnerTemp,
            report: emit,
            log: message => {
                info$1(logSafe(message));
            }
        }, manifest);
        for (const warning$1 of unityRuleWarnings(final, entries, options.cache, target.file))
            warning(warning$1);
        if (current.exists && mayUseToml11(current.text)) {
            const { toml11Constructs, toml11Warning } = await Promise.resolve().then(() => require('./toml11.js'));
            const found = toml11Constructs(current.text);
            if (found.length > 0)
                warning(toml11Warning(found, target.file));
        }
        info$1(`${current.exists ? 'Updated' : 'Created'} ${logSafe(target.file)}:`);
        for (const entry of entries) {
            const table = merged.tables.find(t => t.url === entry.url);
            const what = !merged.replaced.includes(entry.url) ? 'added' : table && table.original === table.written ? 'unchanged' : 'replaced';
            info$1(`${what} (${entry.form}):\n${renderRedacted(entry)}`);
        }
        for (const [key, value] of Object.entries(options.cache))
            if (value !== undefined)
                info$1(`set ${key} = ${logSafe(String(value))}`);
        for (const warning$1 of cacheEnvOverrides(options.cache, process.env))
            warning(warning$1);
        if (target.exportAsEnv) {
            exportVariable('UPM_USER_CONFIG_FILE', target.file);
            info$1(`Later steps get UPM_USER_CONFIG_FILE=${logSafe(target.file)} (read by Unity 2023.1 and newer).`);
        }
        setOutput('config-file', target.file);
        setOutput('registries', JSON.stringify(entries.map(e => e.url)));
        setOutput('cache-root', typeof final.cacheRoot === 'string' ? final.cacheRoot : '');
        const verified = options.verify ? await verifyAll(entries, manifest) : [];
        const resolved = project && (await resolveAll(project, { final, entries, configFile: target.file }));
        writeSummary({
            rows: entries.map(e => ({
                url: e.url,
                form: e.form,
                alwaysAuth: e.alwaysAuth,
                oidcProvider: e.oidcProvider,
                configFile: target.file,
                verified: verifiedLabel(verified.find(r => r.url === e.url))
            })),
            cache: options.cache,
            manifest: report,
            sections: resolved ? [resolved.summary] : []
        });
        const failures = [options.verify && (await Promise.resolve().then(() => require('./verify.js'))).verificationFailure(verified), resolved?.failure].filter(f => !!f);
        if (failures.length > 0)
            throw new Error(`${failures.join(' ')} (${target.file} was written all the same.)`);
    }
    catch (error) {
        setFailed(errorMessage(error));
    }
}
async function maskedEntries(inputs) {
    const tables = await explainMissing(() => parseRegistriesInput(inputs.registries, process.env));
    mask(tables.flatMap(tableSecrets));
    const built = await explainMissing(() => buildEntries(inputs, tables));
    mask(built.entries.flatMap(entrySecrets));
    if (tables.length > 0)
        built.warnings.push(...inlineValueWarnings(inputs.registries));
    return built;
}
function stepOptions(inputs) {
    return {
        verify: parseBooleanInput('verify', inputs.verify),
        resolveCheck: parseBooleanInput('resolve-check', inputs.resolveCheck),
        login: parseBooleanInput('login', inputs.login),
        cleanup: parseBooleanInput('cleanup', inputs.cleanup),
        cache: parseCacheSettings(inputs.cacheRoot, inputs.maxCacheSize, process.platform),
        manifestCheck: parseManifestCheck(inputs.manifestCheck)
    };
}
async function exchangeOidc(entries) {
    const { exchangeEntries } = await Promise.resolve().then(() => require('./oidc.js'));
    return exchangeEntries(entries, {
        network: await networkOptions(),
        mask,
        warn: message => {
            warning(message);
        }
    });
}
function unityRuleWarnings(final, entries, cache, file) {
    const written = new Set(entries.map(e => e.url));
    return checkUnityRules(final)
        .filter(f => f.url !== undefined ? !written.has(f.url) : !(f.key && f.key in cache && cache[f.key] !== undefined))
        .map(f => findingMessage(f, file, redactUrl));
}
async function logIn(entries, target, cleanup) {
    const { loginEntries } = await Promise.resolve().then(() => require('./login.js'));
    const minted = [];
    try {
        return await loginEntries(entries, {
            network: await networkOptions(),
            mask,
            minted: entry => {
                minted.push(entry);
            }
        });
    }
    finally {
        if (cleanup && minted.length > 0)
            await recordForRevocation(minted, target);
    }
}
async function recordForRevocation(minted, target) {
    const { recordMintedTokens } = await Promise.resolve().then(() => require('./revoke.js'));
    try {
        recordMintedTokens(minted, target.exportAsEnv ? null : target.file, process.env.RUNNER_TEMP);
    }
    catch (error) {
        warning(`The tokens \`login\` minted cannot be revoked when the job ends (${errorMessage(error)}): they stay valid until they expire or are revoked on the registry.`);
    }
}
function cleanupFolder(cleanup, jobFile) {
    if (!cleanup) {
        info$1('cleanup is false: the entries stay in the file after the job.');
        return undefined;
    }
    if (jobFile) {
        info$1('The file is under RUNNER_TEMP, which the runner empties after the job: nothing to clean up.');
        return undefined;
    }
    const runnerTemp = process.env.RUNNER_TEMP;
    if (!runnerTemp) {
        warning('RUNNER_TEMP is not set, so this step cannot record what to clean up: the entries stay in the file after the job.');
    }
    return runnerTemp || undefined;
}
async function verifyAll(entries, manifest) {
    const { verifyEntries } = await Promise.resolve().then(() => require('./verify.js'));
    const results = await verifyEntries(entries, await networkOptions(), manifest);
    for (const result of results) {
        if (result.status === 'ok')
            info$1(logSafe(result.message));
        if (result.status === 'unverified')
            warning(result.message);
    }
    return results;
}
async function readResolveProject(manifest, workspace) {
    const { readProject } = await Promise.resolve().then(() => require('./resolve-check.js'));
    return readProject(manifest, workspace);
}
async function resolveAll(project, written) {
    const { resolvePackages } = await Promise.resolve().then(() => require('./resolve-check.js'));
    const resolved = await resolvePackages(project, { ...written, network: await networkOptions() });
    emit(resolved.messages);
    return resolved;
}
async function networkOptions() {
    const { networkOptionsFromEnv } = await Promise.resolve().then(() => require('./registry-http.js'));
    return networkOptionsFromEnv(process.env);
}
async function explainMissing(step) {
    try {
        return step();
    }
    catch (error) {
        if (error instanceof MissingCredentialError) {
            const reason = await missingSecrets();
            if (reason)
                throw new MissingCredentialError(`${error.message} ${reason}`);
        }
        throw error;
    }
}
async function missingSecrets() {
    const { context } = await Promise.resolve().then(() => require('./github.js'));
    return missingSecretsReason(process.env, context.payload);
}

const COMMAND_FILES = ['GITHUB_STATE', 'GITHUB_OUTPUT'];
function missingCommandFiles(env) {
    const missing = COMMAND_FILES.filter(name => env[name] && !fs$1.existsSync(env[name]));
    if (missing.length === 0)
        return undefined;
    return (`${missing.map(n => `${n} (${env[n]})`).join(' and ')} ${missing.length > 1 ? 'name files that do' : 'names a file that does'} not exist. ` +
        'The runner creates these files for every step: check the runner, or, for a local run, create the file or unset the variable.');
}

exports.AclError = AclError;
exports.HeaderValueError = HeaderValueError;
exports.JsonSyntaxError = JsonSyntaxError;
exports.MANIFEST_LIMIT = MANIFEST_LIMIT;
exports.OIDC_PROVIDER_NAMES = OIDC_PROVIDER_NAMES;
exports.ProjectFileError = ProjectFileError;
exports.UnreachableError = UnreachableError;
exports.changeSharedFile = changeSharedFile;
exports.code = code;
exports.commonjsGlobal = commonjsGlobal;
exports.describeFsError = describeFsError;
exports.emit = emit;
exports.errorCode = errorCode;
exports.errorMessage = errorMessage;
exports.getDefaultExportFromCjs = getDefaultExportFromCjs;
exports.getInput = getInput;
exports.getState = getState;
exports.holdsAny = holdsAny;
exports.info = info$1;
exports.isGitHubPackagesUrl = isGitHubPackagesUrl;
exports.isLoopback = isLoopback;
exports.isPlainObject = isPlainObject;
exports.jobIsLive = jobIsLive;
exports.ledgerPathOf = ledgerPathOf;
exports.loadPlatformAcl = loadPlatformAcl;
exports.logSafe = logSafe;
exports.mask = mask;
exports.missingCommandFiles = missingCommandFiles;
exports.packagesFrom = packagesFrom;
exports.parse = parse;
exports.parseBooleanInput = parseBooleanInput;
exports.parseJson = parseJson;
exports.projectFilePath = projectFilePath;
exports.readConfigFile = readConfigFile;
exports.readLedger = readLedger;
exports.readProjectFile = readProjectFile;
exports.readRestoreRecord = readRestoreRecord;
exports.recoveryMessage = recoveryMessage;
exports.redactUrl = redactUrl;
exports.removeQuietly = removeQuietly;
exports.removeRestoreRecord = removeRestoreRecord;
exports.restoreFilePath = restoreFilePath;
exports.retrySharingViolations = retrySharingViolations;
exports.run = run;
exports.saveState = saveState;
exports.scopedRegistryFor = scopedRegistryFor;
exports.setFailed = setFailed;
exports.settle = settle;
exports.text = text;
exports.tryParseJson = tryParseJson;
exports.urlScope = urlScope;
exports.warning = warning;
exports.writePrivateFile = writePrivateFile;
