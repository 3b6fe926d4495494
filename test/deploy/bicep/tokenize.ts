/** Bicep source to tokens: the first stage of the reader (../bicep.ts). */
import { BicepParseError } from './ast';

export type Token =
  | { t: 'ident'; v: string; line: number; col: number }
  | { t: 'number'; v: number; line: number; col: number }
  | { t: 'string'; parts: (string | { src: string; line: number })[]; line: number; col: number }
  | { t: 'punct'; v: string; line: number; col: number }
  | { t: 'newline'; line: number; col: number }
  | { t: 'eof'; line: number; col: number };

const PUNCT = ['??', '==', '!=', '=~', '!~', '<=', '>=', '&&', '||', '.?', '=>', '{', '}', '[', ']', '(', ')', ',', ':', '.', '?', '!', '=', '<', '>', '+', '-', '*', '/', '%', '@'];
const ESCAPES: Record<string, string> = { '\\': '\\', "'": "'", n: '\n', r: '\r', t: '\t', $: '$' };

export function tokenize(src: string, lineOffset = 0): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1 + lineOffset;
  let lineStart = 0;
  const fail = (msg: string): never => {
    throw new BicepParseError(`${msg} at line ${line}, column ${i - lineStart + 1}`);
  };
  while (i < src.length) {
    const c = src[i]!;
    const col = i - lineStart + 1;
    if (c === '\n') {
      tokens.push({ t: 'newline', line, col });
      i++;
      line++;
      lineStart = i;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (src.startsWith('//', i)) {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (src.startsWith('/*', i)) {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) fail('unterminated comment');
      for (let k = i; k < end; k++) if (src[k] === '\n') { line++; lineStart = k + 1; }
      i = end + 2;
    } else if (src.startsWith("'''", i)) {
      const end = src.indexOf("'''", i + 3);
      if (end < 0) fail('unterminated multi-line string');
      let text = src.slice(i + 3, end);
      text = text.replace(/^\r?\n/, '');
      tokens.push({ t: 'string', parts: [text], line, col });
      for (let k = i; k < end; k++) if (src[k] === '\n') { line++; lineStart = k + 1; }
      i = end + 3;
    } else if (c === "'") {
      const startLine = line;
      const parts: (string | { src: string; line: number })[] = [];
      let buf = '';
      i++;
      for (;;) {
        if (i >= src.length || src[i] === '\n') fail('unterminated string');
        const ch = src[i]!;
        if (ch === "'") {
          i++;
          break;
        }
        if (ch === '\\') {
          const e = src[i + 1] ?? '';
          if (e === 'u' && src[i + 2] === '{') {
            const close = src.indexOf('}', i + 3);
            if (close < 0) fail('bad unicode escape');
            buf += String.fromCodePoint(parseInt(src.slice(i + 3, close), 16));
            i = close + 1;
            continue;
          }
          const v = ESCAPES[e];
          if (v === undefined) fail(`unknown escape \\${e}`);
          buf += v;
          i += 2;
          continue;
        }
        if (ch === '$' && src[i + 1] === '{') {
          if (buf) parts.push(buf);
          buf = '';
          const end = interpolationEnd(src, i + 2);
          if (end < 0) fail('unterminated interpolation');
          parts.push({ src: src.slice(i + 2, end), line });
          i = end + 1;
          continue;
        }
        buf += ch;
        i++;
      }
      if (buf || parts.length === 0) parts.push(buf);
      tokens.push({ t: 'string', parts, line: startLine, col });
    } else if (/[0-9]/.test(c)) {
      let j = i;
      while (j < src.length && /[0-9]/.test(src[j]!)) j++;
      tokens.push({ t: 'number', v: Number(src.slice(i, j)), line, col });
      i = j;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i;
      while (j < src.length && /[A-Za-z0-9_]/.test(src[j]!)) j++;
      tokens.push({ t: 'ident', v: src.slice(i, j), line, col });
      i = j;
    } else {
      const p = PUNCT.find((x) => src.startsWith(x, i));
      if (!p) fail(`unexpected character ${JSON.stringify(c)}`);
      tokens.push({ t: 'punct', v: p!, line, col });
      i += p!.length;
    }
  }
  tokens.push({ t: 'eof', line, col: i - lineStart + 1 });
  return tokens;
}

/** Index of the `}` closing an interpolation that starts at `from`, skipping nested braces and strings. */
function interpolationEnd(src: string, from: number): number {
  let depth = 0;
  for (let i = from; i < src.length; i++) {
    const c = src[i];
    if (c === '\n') return -1;
    if (c === "'") {
      // a nested string: skip to its end (nested interpolations inside it are balanced braces)
      i++;
      while (i < src.length && src[i] !== "'") {
        if (src[i] === '\\') i++;
        else if (src[i] === '$' && src[i + 1] === '{') {
          const end = interpolationEnd(src, i + 2);
          if (end < 0) return -1;
          i = end;
        }
        i++;
      }
    } else if (c === '{') depth++;
    else if (c === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}
