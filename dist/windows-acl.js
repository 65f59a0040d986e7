'use strict';

Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });

const path = require('node:path');
const main = require('./main.js');
require('os');
require('crypto');
require('fs');
require('node:fs');
require('node:crypto');
require('node:os');
require('node:timers/promises');

const SYSTEM_SID = 'S-1-5-18';
const ADMINISTRATORS_SID = 'S-1-5-32-544';
const TRUSTED_INSTALLER_SID = 'S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464';
function systemTool(env, ...parts) {
    return path.win32.join(env.SystemRoot ?? env.windir ?? 'C:\\Windows', 'System32', ...parts);
}
function isInside(folder, target) {
    const relative = path.win32.relative(path.win32.resolve(folder), path.win32.resolve(target));
    return relative === '' || (!relative.startsWith('..') && !path.win32.isAbsolute(relative));
}
function needsAcl(target, env) {
    const profile = env.USERPROFILE;
    return !(profile && path.win32.isAbsolute(profile) && isInside(profile, target));
}
function grantedSids(userSid) {
    return [...new Set([SYSTEM_SID, ADMINISTRATORS_SID, userSid])];
}
function icaclsArgs(target, userSid, kind) {
    const rights = kind === 'folder' ? '(OI)(CI)F' : 'F';
    return [target, '/inheritance:r', '/grant:r', ...grantedSids(userSid).map(sid => `*${sid}:${rights}`), '/q'];
}
const WHOAMI_ARGS = ['/user', '/fo', 'csv', '/nh'];
function parseWhoamiSid(stdout) {
    return /"(S-1-\d+(?:-\d+)+)"\s*$/m.exec(stdout)?.[1];
}
const FOLDERS_VARIABLE = 'UPM_AUTH_ACL_FOLDERS';
const OWNER_SCRIPT = [
    "$ErrorActionPreference = 'Stop'",
    '[Console]::OutputEncoding = [Text.Encoding]::UTF8',
    '[Security.Principal.WindowsIdentity]::GetCurrent().User.Value',
    `foreach ($p in ($env:${FOLDERS_VARIABLE} -split "\`n")) {`,
    "  $sid = (Get-Item -LiteralPath $p -Force).GetAccessControl('Owner').GetOwner([Security.Principal.SecurityIdentifier]).Value",
    "  $name = try { ([Security.Principal.SecurityIdentifier]$sid).Translate([Security.Principal.NTAccount]).Value } catch { '' }",
    '  "$sid`t$name"',
    '}'
].join('\n');
const OWNER_ARGS = ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command', OWNER_SCRIPT];
function parseOwners(stdout, folders) {
    const lines = stdout.split(/\r?\n/).filter(line => line.trim() !== '');
    const userSid = lines[0]?.trim();
    if (!userSid || !isSid(userSid) || lines.length !== folders.length + 1)
        return undefined;
    const owners = [];
    for (const [i, folder] of folders.entries()) {
        const [sid = '', name = ''] = lines[i + 1].split('\t');
        if (!isSid(sid.trim()))
            return undefined;
        owners.push({ folder, sid: sid.trim(), name: name.trim() });
    }
    return { userSid, owners };
}
function isSid(text) {
    return /^S-1-\d+(?:-\d+)+$/.test(text);
}
function acceptableOwners(userSid) {
    return [userSid, SYSTEM_SID, ADMINISTRATORS_SID, TRUSTED_INSTALLER_SID];
}
function ownerProblem(owner, userSid) {
    if (acceptableOwners(userSid).includes(owner.sid))
        return undefined;
    const who = owner.name ? `${owner.name} (${owner.sid})` : owner.sid;
    return (`The folder ${owner.folder} is owned by ${who}, not by this account (${userSid}), SYSTEM or Administrators: ` +
        'its owner can change who may read the credentials in it at any time, so upm-auth writes nothing there. ' +
        `If that account is not meant to have it, have an administrator delete the folder or take it over ` +
        `(takeown /F "${owner.folder}" /A /R), then run again; or set \`config-file\` to a file under this account's profile.`);
}
function foldersUpFrom(dir) {
    const folders = [];
    for (let current = path.win32.resolve(dir); path.win32.dirname(current) !== current; current = path.win32.dirname(current)) {
        folders.push(current);
    }
    return folders;
}
class WindowsAcl {
    run;
    env;
    isWine;
    warn;
    userSid;
    skipped = false;
    constructor(run, env, isWine, warn) {
        this.run = run;
        this.env = env;
        this.isWine = isWine;
        this.warn = warn;
    }
    protect(target, kind) {
        const sid = this.currentUser(target);
        if (sid === undefined)
            return;
        this.icacls(target, icaclsArgs(target, sid, kind));
    }
    checkOwners(folders) {
        if (folders.length === 0 || this.skipped)
            return;
        let stdout;
        try {
            stdout = this.run(systemTool(this.env, 'WindowsPowerShell', 'v1.0', 'powershell.exe'), OWNER_ARGS, {
                [FOLDERS_VARIABLE]: folders.join('\n')
            });
        }
        catch (error) {
            throw new main.AclError(`Cannot read who owns ${folders.join(', ')}: Windows PowerShell failed (${failure(error)}).`);
        }
        const parsed = parseOwners(stdout, folders);
        if (!parsed) {
            if (this.skipOnWine(folders[0]))
                return;
            throw new main.AclError(`Cannot read who owns ${folders.join(', ')}: Windows PowerShell printed no owner for each.`);
        }
        this.userSid ??= parsed.userSid;
        for (const owner of parsed.owners) {
            const problem = ownerProblem(owner, parsed.userSid);
            if (problem)
                throw new main.AclError(problem);
        }
    }
    currentUser(target) {
        if (this.skipped)
            return undefined;
        if (this.userSid !== undefined)
            return this.userSid;
        let stdout;
        try {
            stdout = this.run(systemTool(this.env, 'whoami.exe'), WHOAMI_ARGS);
        }
        catch (error) {
            throw new main.AclError(`Cannot make ${target} private to this account: whoami failed (${failure(error)}).`);
        }
        const sid = parseWhoamiSid(stdout);
        if (sid === undefined) {
            if (this.skipOnWine(target))
                return undefined;
            throw new main.AclError(`Cannot make ${target} private to this account: whoami printed no SID for it.`);
        }
        this.userSid = sid;
        return sid;
    }
    icacls(target, args) {
        try {
            this.run(systemTool(this.env, 'icacls.exe'), args);
        }
        catch (error) {
            throw new main.AclError(`Cannot make ${target} private to this account: icacls failed (${failure(error)}). Check that the runner account ` +
                "may change permissions there (it owns the folder, or is an administrator), or set `config-file` to a file under the account's profile.");
        }
    }
    skipOnWine(target) {
        if (!this.isWine())
            return false;
        this.skipped = true;
        this.warn(`Wine: its whoami, icacls and PowerShell are stubs, so no access rules were set on ${target} or the files after it ` +
            '(on Windows this is an error).');
        return true;
    }
}
function failure(error) {
    const { status, stderr, stdout, message } = error;
    const asText = (out) => (typeof out === 'string' ? out : Buffer.isBuffer(out) ? out.toString('utf8') : '').trim();
    const text = [stderr, stdout].map(asText).find(out => out !== '');
    if (text)
        return text.split(/\r?\n/)[0];
    return typeof status === 'number' ? `exit code ${String(status)}` : (message ?? String(error));
}

exports.ADMINISTRATORS_SID = ADMINISTRATORS_SID;
exports.FOLDERS_VARIABLE = FOLDERS_VARIABLE;
exports.OWNER_ARGS = OWNER_ARGS;
exports.OWNER_SCRIPT = OWNER_SCRIPT;
exports.SYSTEM_SID = SYSTEM_SID;
exports.TRUSTED_INSTALLER_SID = TRUSTED_INSTALLER_SID;
exports.WHOAMI_ARGS = WHOAMI_ARGS;
exports.WindowsAcl = WindowsAcl;
exports.acceptableOwners = acceptableOwners;
exports.foldersUpFrom = foldersUpFrom;
exports.grantedSids = grantedSids;
exports.icaclsArgs = icaclsArgs;
exports.isInside = isInside;
exports.needsAcl = needsAcl;
exports.ownerProblem = ownerProblem;
exports.parseOwners = parseOwners;
exports.parseWhoamiSid = parseWhoamiSid;
exports.systemTool = systemTool;
