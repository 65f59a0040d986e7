'use strict';

Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });

function toml11Constructs(text) {
    const findings = [];
    const stack = [];
    let line = 1;
    let lineStart = true;
    let last = '';
    let plain = '';
    const add = (construct) => {
        if (!findings.some(f => f.line === line && f.construct === construct))
            findings.push({ line, construct });
    };
    const checkTime = () => {
        if (/(?<![\d:])\d{2}:\d{2}(?![:\d])/.test(plain))
            add('a time without seconds');
        plain = '';
    };
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (c === ' ' || c === '\t' || c === '\r') {
            checkTime();
            continue;
        }
        if (c === '\n') {
            checkTime();
            if (stack[stack.length - 1] === '{')
                add('an inline table over several lines');
            line++;
            lineStart = stack.length === 0;
            continue;
        }
        if (c === '#') {
            checkTime();
            while (i + 1 < text.length && text[i + 1] !== '\n')
                i++;
            continue;
        }
        if (lineStart && c === '[') {
            while (i + 1 < text.length && text[i + 1] !== '\n')
                i++;
            continue;
        }
        lineStart = false;
        if (c === '"' || c === "'") {
            checkTime();
            last = c;
            const multi = text.startsWith(c.repeat(3), i);
            const delimiter = multi ? c.repeat(3) : c;
            for (i += delimiter.length; i < text.length; i++) {
                const s = text[i];
                if (s === '\n')
                    line++;
                if (c === '"' && s === '\\') {
                    const next = text[i + 1];
                    if (next === 'e')
                        add('the escape \\e in a string');
                    if (next === 'x')
                        add('the escape \\xHH in a string');
                    if (next === '\n')
                        line++;
                    i++;
                    continue;
                }
                if (text.startsWith(delimiter, i)) {
                    if (multi)
                        while (text[i + 3] === c)
                            i++;
                    i += delimiter.length - 1;
                    break;
                }
            }
            continue;
        }
        if (c === '[' || c === '{')
            stack.push(c);
        if (c === '}' && last === ',')
            add('a trailing comma in an inline table');
        if (c === ']' || c === '}')
            stack.pop();
        if ('[]{},='.includes(c))
            checkTime();
        else
            plain += c;
        last = c;
    }
    checkTime();
    return findings;
}
function toml11Warning(findings, file) {
    const listed = findings
        .slice(0, 5)
        .map(f => `line ${f.line}: ${f.construct}`)
        .join('; ');
    const more = findings.length > 5 ? `; and ${findings.length - 5} more` : '';
    return (`${file} uses syntax only TOML 1.1 allows (${listed}${more}). This step reads it, but Unity's parser may be older ` +
        'and refuse the whole file: rewrite these in TOML 1.0 (inline tables on one line without a trailing comma, ' +
        '\\uXXXX instead of \\e or \\xHH, times with seconds).');
}

exports.toml11Constructs = toml11Constructs;
exports.toml11Warning = toml11Warning;
