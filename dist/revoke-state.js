'use strict';

const main = require('./main.js');

const MINTED_TOKENS_FILE = 'mintedTokensFile';
function mintedTokensFile() {
    return main.getState(MINTED_TOKENS_FILE);
}
function saveMintedTokensFile(file) {
    main.saveState(MINTED_TOKENS_FILE, file);
}

exports.mintedTokensFile = mintedTokensFile;
exports.saveMintedTokensFile = saveMintedTokensFile;
