/**
 * A small Bicep reader for tests: enough of the language to read the templates in deploy/azure and
 * assert what they set, without the Bicep CLI (not installable here). It tokenizes and parses
 * declarations (param, var, resource, module, output, targetScope) with their decorators, and
 * expressions: strings with interpolation, multi-line strings, numbers, booleans, null, objects,
 * arrays, identifiers, member/index access, calls, unary and binary operators, the ternary and
 * `[for x in xs: ...]`. Anything else (lambdas, imports, user-defined types and functions) is a
 * parse error, not silently skipped: an assertion never rests on text this reader did not understand.
 */

export type Expr =
  | { kind: 'string'; value: string }
  | { kind: 'template'; parts: (string | Expr)[] }
  | { kind: 'number'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'null' }
  | { kind: 'object'; properties: { key: string; value: Expr }[] }
  | { kind: 'array'; items: Expr[] }
  | { kind: 'ref'; name: string }
  | { kind: 'member'; object: Expr; property: string; safe: boolean }
  | { kind: 'index'; object: Expr; index: Expr }
  | { kind: 'call'; callee: Expr; args: Expr[] }
  | { kind: 'unary'; op: string; operand: Expr }
  | { kind: 'nonNull'; operand: Expr }
  | { kind: 'binary'; op: string; left: Expr; right: Expr }
  | { kind: 'ternary'; test: Expr; consequent: Expr; alternate: Expr }
  | { kind: 'for'; item: string; index?: string; iterable: Expr; body: Expr; condition?: Expr };

export interface Decorator {
  name: string;
  args: Expr[];
}

export interface ParamDecl {
  name: string;
  type: string;
  defaultValue?: Expr;
  decorators: Decorator[];
}

export interface ResourceDecl {
  symbol: string;
  /** e.g. Microsoft.Web/sites */
  type: string;
  apiVersion: string;
  existing: boolean;
  condition?: Expr;
  /** The resource body: an object, or a `for` expression over objects. */
  body: Expr;
  decorators: Decorator[];
}

export interface ModuleDecl {
  symbol: string;
  path: string;
  condition?: Expr;
  body: Expr;
  decorators: Decorator[];
}

export interface BicepFile {
  targetScope?: Expr;
  params: ParamDecl[];
  vars: { name: string; value: Expr; decorators: Decorator[] }[];
  resources: ResourceDecl[];
  modules: ModuleDecl[];
  outputs: { name: string; type: string; value: Expr; decorators: Decorator[] }[];
}

export class BicepParseError extends Error {
  override name = 'BicepParseError';
}

// ---------------------------------------------------------------------------------------------
// Tokens

type Token =
  | { t: 'ident'; v: string; line: number; col: number }
  | { t: 'number'; v: number; line: number; col: number }
  | { t: 'string'; parts: (string | { src: string; line: number })[]; line: number; col: number }
  | { t: 'punct'; v: string; line: number; col: number }
  | { t: 'newline'; line: number; col: number }
  | { t: 'eof'; line: number; col: number };

const PUNCT = ['??', '==', '!=', '=~', '!~', '<=', '>=', '&&', '||', '.?', '=>', '{', '}', '[', ']', '(', ')', ',', ':', '.', '?', '!', '=', '<', '>', '+', '-', '*', '/', '%', '@'];
const ESCAPES: Record<string, string> = { '\\': '\\', "'": "'", n: '\n', r: '\r', t: '\t', $: '$' };

function tokenize(src: string, lineOffset = 0): Token[] {
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

// ---------------------------------------------------------------------------------------------
// Parser

class Parser {
  private pos = 0;
  /** >0 while inside parentheses, where newlines mean nothing. */
  private parenDepth = 0;

  constructor(private readonly tokens: Token[]) {}

  private peek(skipNewlines = this.parenDepth > 0): Token {
    let p = this.pos;
    if (skipNewlines) while (this.tokens[p]!.t === 'newline') p++;
    return this.tokens[p]!;
  }

  private next(skipNewlines = this.parenDepth > 0): Token {
    if (skipNewlines) this.skipNewlines();
    return this.tokens[this.pos++]!;
  }

  skipNewlines(): void {
    while (this.tokens[this.pos]!.t === 'newline') this.pos++;
  }

  private fail(msg: string, tok: Token = this.peek()): never {
    throw new BicepParseError(`${msg} at line ${tok.line}, column ${tok.col}`);
  }

  private isPunct(v: string, tok = this.peek()): boolean {
    return tok.t === 'punct' && tok.v === v;
  }

  private isIdent(v?: string, tok = this.peek()): boolean {
    return tok.t === 'ident' && (v === undefined || tok.v === v);
  }

  private expectPunct(v: string): void {
    const tok = this.next();
    if (tok.t !== 'punct' || tok.v !== v) this.fail(`expected '${v}'`, tok);
  }

  private expectIdent(v?: string): string {
    const tok = this.next();
    if (tok.t !== 'ident' || (v !== undefined && tok.v !== v)) this.fail(v ? `expected '${v}'` : 'expected a name', tok);
    return (tok as { v: string }).v;
  }

  private expectPlainString(): string {
    const tok = this.next();
    if (tok.t !== 'string' || tok.parts.some((p) => typeof p !== 'string')) this.fail('expected a plain string', tok);
    return (tok as { parts: string[] }).parts.join('');
  }

  private endOfStatement(): void {
    const tok = this.peek(false);
    if (tok.t === 'newline' || tok.t === 'eof') return;
    this.fail('expected the end of the line');
  }

  file(): BicepFile {
    const out: BicepFile = { params: [], vars: [], resources: [], modules: [], outputs: [] };
    let decorators: Decorator[] = [];
    for (;;) {
      this.skipNewlines();
      const tok = this.peek();
      if (tok.t === 'eof') break;
      if (this.isPunct('@')) {
        decorators.push(this.decorator());
        continue;
      }
      const kw = this.expectIdent();
      switch (kw) {
        case 'targetScope':
          this.expectPunct('=');
          out.targetScope = this.expr();
          break;
        case 'param': {
          const name = this.expectIdent();
          const type = this.typeName();
          let defaultValue: Expr | undefined;
          if (this.isPunct('=')) {
            this.next();
            defaultValue = this.expr();
          }
          out.params.push({ name, type, decorators, ...(defaultValue ? { defaultValue } : {}) });
          break;
        }
        case 'var': {
          const name = this.expectIdent();
          this.expectPunct('=');
          out.vars.push({ name, value: this.expr(), decorators });
          break;
        }
        case 'output': {
          const name = this.expectIdent();
          const type = this.typeName();
          this.expectPunct('=');
          out.outputs.push({ name, type, value: this.expr(), decorators });
          break;
        }
        case 'resource': {
          const symbol = this.expectIdent();
          const typeRef = this.expectPlainString();
          const m = /^([^@]+)@(.+)$/.exec(typeRef);
          if (!m) this.fail(`resource type '${typeRef}' has no @apiVersion`);
          const existing = this.isIdent('existing');
          if (existing) this.next();
          this.expectPunct('=');
          const { condition, body } = this.declarationBody();
          out.resources.push({ symbol, type: m![1]!, apiVersion: m![2]!, existing, body, decorators, ...(condition ? { condition } : {}) });
          break;
        }
        case 'module': {
          const symbol = this.expectIdent();
          const path = this.expectPlainString();
          this.expectPunct('=');
          const { condition, body } = this.declarationBody();
          out.modules.push({ symbol, path, body, decorators, ...(condition ? { condition } : {}) });
          break;
        }
        default:
          this.fail(`unsupported declaration '${kw}'`, tok);
      }
      this.endOfStatement();
      decorators = [];
    }
    if (decorators.length > 0) this.fail('decorators without a declaration');
    return out;
  }

  private typeName(): string {
    let name = this.expectIdent();
    while (this.isPunct('[')) {
      this.next();
      this.expectPunct(']');
      name += '[]';
    }
    if (this.isPunct('?')) {
      this.next();
      name += '?';
    }
    return name;
  }

  private decorator(): Decorator {
    this.expectPunct('@');
    let name = this.expectIdent();
    while (this.isPunct('.')) {
      this.next();
      name += `.${this.expectIdent()}`;
    }
    const args = this.isPunct('(') ? this.callArgs() : [];
    return { name, args };
  }

  private declarationBody(): { condition?: Expr; body: Expr } {
    if (this.isIdent('if')) {
      this.next();
      this.expectPunct('(');
      this.parenDepth++;
      const condition = this.expr();
      this.parenDepth--;
      this.expectPunct(')');
      return { condition, body: this.object() };
    }
    if (this.isPunct('[')) return { body: this.array() };
    return { body: this.object() };
  }

  expr(): Expr {
    const test = this.binary(0);
    if (!this.isPunct('?')) return test;
    this.next();
    this.skipNewlines();
    const consequent = this.expr();
    this.skipNewlinesIfPunct(':');
    this.expectPunct(':');
    this.skipNewlines();
    const alternate = this.expr();
    return { kind: 'ternary', test, consequent, alternate };
  }

  private skipNewlinesIfPunct(v: string): void {
    if (this.isPunct(v, this.peek(true))) this.skipNewlines();
  }

  private static readonly LEVELS: string[][] = [['??'], ['||'], ['&&'], ['==', '!=', '=~', '!~'], ['<', '>', '<=', '>='], ['+', '-'], ['*', '/', '%']];

  private binary(level: number): Expr {
    if (level >= Parser.LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      const tok = this.peek();
      if (tok.t !== 'punct' || !Parser.LEVELS[level]!.includes(tok.v)) return left;
      this.next();
      this.skipNewlines();
      left = { kind: 'binary', op: tok.v, left, right: this.binary(level + 1) };
    }
  }

  private unary(): Expr {
    if (this.isPunct('!') || this.isPunct('-')) {
      const op = (this.next() as { v: string }).v;
      return { kind: 'unary', op, operand: this.unary() };
    }
    return this.postfix(this.primary());
  }

  private postfix(start: Expr): Expr {
    let e = start;
    for (;;) {
      const tok = this.peek(false);
      if (this.isPunct('.', tok) || this.isPunct('.?', tok)) {
        this.next(false);
        e = { kind: 'member', object: e, property: this.expectIdent(), safe: tok.t === 'punct' && tok.v === '.?' };
      } else if (this.isPunct('[', tok)) {
        this.next(false);
        this.parenDepth++;
        const index = this.expr();
        this.parenDepth--;
        this.expectPunct(']');
        e = { kind: 'index', object: e, index };
      } else if (this.isPunct('(', tok)) {
        e = { kind: 'call', callee: e, args: this.callArgs() };
      } else if (this.isPunct('!', tok)) {
        this.next(false);
        e = { kind: 'nonNull', operand: e };
      } else {
        return e;
      }
    }
  }

  private callArgs(): Expr[] {
    this.expectPunct('(');
    this.parenDepth++;
    const args: Expr[] = [];
    while (!this.isPunct(')')) {
      args.push(this.expr());
      if (this.isPunct(',')) this.next();
      else if (!this.isPunct(')')) this.fail("expected ',' or ')'");
    }
    this.parenDepth--;
    this.expectPunct(')');
    return args;
  }

  private primary(): Expr {
    const tok = this.peek();
    if (tok.t === 'string') {
      this.next();
      return stringExpr(tok.parts);
    }
    if (tok.t === 'number') {
      this.next();
      return { kind: 'number', value: tok.v };
    }
    if (tok.t === 'ident') {
      this.next();
      if (tok.v === 'true' || tok.v === 'false') return { kind: 'bool', value: tok.v === 'true' };
      if (tok.v === 'null') return { kind: 'null' };
      if (this.isPunct('=>')) this.fail('lambdas are not supported by this reader');
      return { kind: 'ref', name: tok.v };
    }
    if (this.isPunct('{')) return this.object();
    if (this.isPunct('[')) return this.array();
    if (this.isPunct('(')) {
      this.next();
      this.parenDepth++;
      const inner = this.expr();
      this.parenDepth--;
      this.expectPunct(')');
      if (this.isPunct('=>')) this.fail('lambdas are not supported by this reader');
      return inner;
    }
    return this.fail('expected an expression');
  }

  private object(): Expr {
    this.expectPunct('{');
    const saved = this.parenDepth;
    this.parenDepth = 0; // newlines separate properties again
    const properties: { key: string; value: Expr }[] = [];
    for (;;) {
      this.skipNewlines();
      if (this.isPunct('}')) break;
      const keyTok = this.next();
      let key: string;
      if (keyTok.t === 'ident') key = keyTok.v;
      else if (keyTok.t === 'string') key = keyTok.parts.map((p) => (typeof p === 'string' ? p : `\${${p.src}}`)).join('');
      else return this.fail('expected a property name', keyTok);
      this.expectPunct(':');
      this.skipNewlines();
      properties.push({ key, value: this.expr() });
      if (this.isPunct(',')) this.next();
      else if (!this.isPunct('}') && this.peek(false).t !== 'newline') this.fail("expected a new line, ',' or '}' after a property");
    }
    this.expectPunct('}');
    this.parenDepth = saved;
    const seen = new Set<string>();
    for (const p of properties) {
      if (seen.has(p.key)) throw new BicepParseError(`duplicate property '${p.key}'`);
      seen.add(p.key);
    }
    return { kind: 'object', properties };
  }

  private array(): Expr {
    this.expectPunct('[');
    const saved = this.parenDepth;
    this.parenDepth = 0;
    this.skipNewlines();
    if (this.isIdent('for')) {
      this.next();
      let item: string;
      let index: string | undefined;
      if (this.isPunct('(')) {
        this.next();
        item = this.expectIdent();
        this.expectPunct(',');
        index = this.expectIdent();
        this.expectPunct(')');
      } else {
        item = this.expectIdent();
      }
      this.expectIdent('in');
      const iterable = this.expr();
      this.expectPunct(':');
      this.skipNewlines();
      let condition: Expr | undefined;
      if (this.isIdent('if')) {
        this.next();
        this.expectPunct('(');
        this.parenDepth++;
        condition = this.expr();
        this.parenDepth--;
        this.expectPunct(')');
      }
      const body = this.expr();
      this.skipNewlines();
      this.expectPunct(']');
      this.parenDepth = saved;
      return { kind: 'for', item, iterable, body, ...(index ? { index } : {}), ...(condition ? { condition } : {}) };
    }
    const items: Expr[] = [];
    for (;;) {
      this.skipNewlines();
      if (this.isPunct(']')) break;
      items.push(this.expr());
      if (this.isPunct(',')) this.next();
      else if (!this.isPunct(']') && this.peek(false).t !== 'newline') this.fail("expected a new line, ',' or ']' after an item");
    }
    this.expectPunct(']');
    this.parenDepth = saved;
    return { kind: 'array', items };
  }
}

function stringExpr(parts: (string | { src: string; line: number })[]): Expr {
  if (parts.every((p) => typeof p === 'string')) return { kind: 'string', value: parts.join('') };
  return {
    kind: 'template',
    parts: parts.map((p) => {
      if (typeof p === 'string') return p;
      const parser = new Parser(tokenize(p.src, p.line - 1));
      const e = parser.expr();
      parser.skipNewlines();
      return e;
    }),
  };
}

export function parseBicep(source: string): BicepFile {
  return new Parser(tokenize(source)).file();
}

/** Parses one expression (for tests of the reader itself). */
export function parseBicepExpr(source: string): Expr {
  return new Parser(tokenize(source)).expr();
}

// ---------------------------------------------------------------------------------------------
// Queries

/** The value at a dotted path inside object literals (`properties.siteConfig.alwaysOn`), or undefined. */
export function at(e: Expr | undefined, path: string): Expr | undefined {
  let cur = e;
  for (const key of path.split('.')) {
    if (!cur || cur.kind !== 'object') return undefined;
    cur = cur.properties.find((p) => p.key === key)?.value;
  }
  return cur;
}

/** A literal's JS value (string, number, boolean, null); undefined for anything computed. */
export function literal(e: Expr | undefined): string | number | boolean | null | undefined {
  if (!e) return undefined;
  switch (e.kind) {
    case 'string':
    case 'number':
    case 'bool':
      return e.value;
    case 'null':
      return null;
    case 'unary':
      return e.op === '-' && e.operand.kind === 'number' ? -e.operand.value : undefined;
    default:
      return undefined;
  }
}

/** Every sub-expression, depth first (the expression itself included). */
export function walk(e: Expr): Expr[] {
  const out: Expr[] = [e];
  const kids: Expr[] = [];
  switch (e.kind) {
    case 'template':
      for (const p of e.parts) if (typeof p !== 'string') kids.push(p);
      break;
    case 'object':
      kids.push(...e.properties.map((p) => p.value));
      break;
    case 'array':
      kids.push(...e.items);
      break;
    case 'member':
      kids.push(e.object);
      break;
    case 'index':
      kids.push(e.object, e.index);
      break;
    case 'call':
      kids.push(e.callee, ...e.args);
      break;
    case 'unary':
    case 'nonNull':
      kids.push(e.operand);
      break;
    case 'binary':
      kids.push(e.left, e.right);
      break;
    case 'ternary':
      kids.push(e.test, e.consequent, e.alternate);
      break;
    case 'for':
      kids.push(e.iterable, e.body, ...(e.condition ? [e.condition] : []));
      break;
  }
  for (const k of kids) out.push(...walk(k));
  return out;
}

/** Names of functions called anywhere in `e` (`listKeys` for `cache.listKeys()`). */
export function calledFunctions(e: Expr): string[] {
  return walk(e).flatMap((x) => {
    if (x.kind !== 'call') return [];
    if (x.callee.kind === 'ref') return [x.callee.name];
    if (x.callee.kind === 'member') return [x.callee.property];
    return [];
  });
}

/** Identifiers referenced anywhere in `e`. */
export function referencedNames(e: Expr): string[] {
  return walk(e).flatMap((x) => (x.kind === 'ref' ? [x.name] : []));
}

/** Replaces references to the file's variables with their values, recursively. */
export function inlineVars(e: Expr, file: BicepFile, depth = 0): Expr {
  if (depth > 20) throw new BicepParseError('variables refer to each other in a cycle');
  const sub = (x: Expr) => inlineVars(x, file, depth + 1);
  switch (e.kind) {
    case 'ref': {
      const v = file.vars.find((d) => d.name === e.name);
      return v ? sub(v.value) : e;
    }
    case 'template':
      return { kind: 'template', parts: e.parts.map((p) => (typeof p === 'string' ? p : sub(p))) };
    case 'object':
      return { kind: 'object', properties: e.properties.map((p) => ({ key: p.key, value: sub(p.value) })) };
    case 'array':
      return { kind: 'array', items: e.items.map(sub) };
    case 'member':
      return { ...e, object: sub(e.object) };
    case 'index':
      return { ...e, object: sub(e.object), index: sub(e.index) };
    case 'call':
      return { ...e, callee: sub(e.callee), args: e.args.map(sub) };
    case 'unary':
    case 'nonNull':
      return { ...e, operand: sub(e.operand) };
    case 'binary':
      return { ...e, left: sub(e.left), right: sub(e.right) };
    case 'ternary':
      return { ...e, test: sub(e.test), consequent: sub(e.consequent), alternate: sub(e.alternate) };
    case 'for':
      return { ...e, iterable: sub(e.iterable), body: sub(e.body), ...(e.condition ? { condition: sub(e.condition) } : {}) };
    default:
      return e;
  }
}

/** Both branches of a ternary (recursively), or the expression itself: every value it can take. */
export function branches(e: Expr): Expr[] {
  return e.kind === 'ternary' ? [...branches(e.consequent), ...branches(e.alternate)] : [e];
}

/** The literal text of a template or string, with each interpolation written as `${…}`. */
export function templateText(e: Expr): string | undefined {
  if (e.kind === 'string') return e.value;
  if (e.kind !== 'template') return undefined;
  return e.parts.map((p) => (typeof p === 'string' ? p : '${…}')).join('');
}

export function decorator(decl: { decorators: Decorator[] }, name: string): Decorator | undefined {
  return decl.decorators.find((d) => d.name === name || d.name === `sys.${name}`);
}

export function resourcesOfType(file: BicepFile, type: string): ResourceDecl[] {
  return file.resources.filter((r) => r.type.toLowerCase() === type.toLowerCase());
}
