'use strict';

Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });

const fs = require('node:fs');
const main = require('./main.js');
const revokeState = require('./revoke-state.js');
require('os');
require('crypto');
require('fs');
require('node:path');
require('node:crypto');
require('node:os');
require('node:timers/promises');

function leaveSharedFile(file, recordFile, log) {
    return main.changeSharedFile(file, view => leave(view, file, recordFile), { log });
}
function leave({ current, ledger, recovery }, file, recordFile) {
    const missing = !current.exists;
    if (!ledger)
        return { ledger, result: { settled: undefined, deleted: false, missing, recovery } };
    const held = main.holdsAny(ledger, recordFile);
    const settled = main.settle(current.text, ledger, main.jobIsLive, file, recordFile);
    const result = { settled: held ? settled : undefined, deleted: false, missing, recovery };
    if (missing && settled.text === '')
        return { ledger: settled.ledger, result: { ...result, settled: undefined } };
    if (settled.ledger.items.length === 0 && ledger.createdFile && !missing && settled.text.trim() === '') {
        return { delete: true, ledger: settled.ledger, result: { ...result, deleted: true } };
    }
    return { text: changedText(current, settled.text), ledger: settled.ledger, result };
}
function changedText(current, text) {
    if (!current.exists)
        return text === '' ? undefined : text;
    return text === current.text ? undefined : text;
}

const LEDGER_TEXT = {
    restored: what => `restored to the ${what} it replaced`,
    changed: what => `left as it is: another job or step wrote a newer ${what} since`,
    removed: () => 'removed (no job uses it now, and it was not there before)',
    'handed-on': () => 'now holds the value of the newest job still using it',
    kept: () => 'left as it is: a job still using it wrote it after this one'
};
async function postStep() {
    await post();
    const minted = revokeState.mintedTokensFile();
    if (!minted)
        return;
    try {
        main.emit(await (await Promise.resolve().then(() => require('./revoke.js'))).revokeMintedTokens(minted, main.mask));
    }
    catch (error) {
        main.warning(`Could not revoke the tokens \`login\` minted: ${main.errorMessage(error)} They stay valid until they expire or are revoked on the registry.`);
    }
}
async function post() {
    const recordFile = main.restoreFilePath();
    if (!recordFile) {
        main.info(cleanupWasOff()
            ? 'Nothing to clean up: cleanup was off (cleanup: false), so the entries stay in the file.'
            : 'Nothing to clean up: this step recorded no changes to undo.');
        return;
    }
    try {
        await main.loadPlatformAcl();
        const record = main.readRestoreRecord(recordFile);
        if (!fs.existsSync(record.file) && !fs.existsSync(main.ledgerPathOf(record.file))) {
            main.info(`Nothing to clean up: ${main.logSafe(record.file)} is gone.`);
        }
        else {
            const left = await leaveSharedFile(record.file, recordFile, message => {
                main.info(main.logSafe(message));
            });
            report(record.file, left);
        }
        main.removeRestoreRecord(recordFile);
    }
    catch (error) {
        main.warning(`Cleanup could not restore the user config file: ${main.errorMessage(error)} The credentials this job wrote may still be in it.`);
    }
}
function cleanupWasOff() {
    try {
        return !main.parseBooleanInput('cleanup', main.getInput('cleanup'));
    }
    catch {
        return false;
    }
}
function report(configFile, left) {
    const file = main.logSafe(configFile);
    if (left.recovery)
        main.info(main.logSafe(main.recoveryMessage(configFile, left.recovery)));
    if (!left.settled) {
        main.info(left.missing
            ? `Nothing to clean up: ${file} is gone.`
            : `Nothing to clean up in ${file}: the list of jobs using it holds nothing this job wrote (its main step was stopped ` +
                'before it changed the file, or the list was deleted since).');
        return;
    }
    main.info(left.deleted ? `Deleted ${file}: the jobs that used it created it, and nothing else is in it.` : `Cleaned up ${file}:`);
    for (const { kind, name, outcome } of left.settled.outcomes) {
        const [label, what] = kind === 'table' ? [tableLabel(name), 'entry'] : [main.logSafe(name), 'line'];
        main.info(`${label} ${LEDGER_TEXT[outcome](what)}`);
    }
}
function tableLabel(url) {
    return main.logSafe(`[npmAuth.${JSON.stringify(main.redactUrl(url))}]`);
}

exports.post = post;
exports.postStep = postStep;
