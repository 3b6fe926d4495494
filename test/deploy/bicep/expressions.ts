/**
 * The expression half of the Bicep parser, and the token cursor it shares with the declaration half
 * (./declarations.ts, which extends this class): strings and templates, literals, objects, arrays,
 * member/index access, calls, operators, the ternary and `[for ...]`.
 */
import { BicepParseError, type Expr } from './ast';
import { tokenize, type Token } from './tokenize';

export class ExprParser {
  protected pos = 0;
  /** >0 while inside parentheses, where newlines mean nothing. */
  protected parenDepth = 0;

  constructor(protected readonly tokens: Token[]) {}

  protected peek(skipNewlines = this.parenDepth > 0): Token {
    let p = this.pos;
    if (skipNewlines) while (this.tokens[p]!.t === 'newline') p++;
    return this.tokens[p]!;
  }

  protected next(skipNewlines = this.parenDepth > 0): Token {
    if (skipNewlines) this.skipNewlines();
    return this.tokens[this.pos++]!;
  }

  skipNewlines(): void {
    while (this.tokens[this.pos]!.t === 'newline') this.pos++;
  }

  protected fail(msg: string, tok: Token = this.peek()): never {
    throw new BicepParseError(`${msg} at line ${tok.line}, column ${tok.col}`);
  }

  protected isPunct(v: string, tok = this.peek()): boolean {
    return tok.t === 'punct' && tok.v === v;
  }

  protected isIdent(v?: string, tok = this.peek()): boolean {
    return tok.t === 'ident' && (v === undefined || tok.v === v);
  }

  protected expectPunct(v: string): void {
    const tok = this.next();
    if (tok.t !== 'punct' || tok.v !== v) this.fail(`expected '${v}'`, tok);
  }

  protected expectIdent(v?: string): string {
    const tok = this.next();
    if (tok.t !== 'ident' || (v !== undefined && tok.v !== v)) this.fail(v ? `expected '${v}'` : 'expected a name', tok);
    return (tok as { v: string }).v;
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
    if (level >= ExprParser.LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      const tok = this.peek();
      if (tok.t !== 'punct' || !ExprParser.LEVELS[level]!.includes(tok.v)) return left;
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

  protected callArgs(): Expr[] {
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

  protected object(): Expr {
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

  protected array(): Expr {
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
      const parser = new ExprParser(tokenize(p.src, p.line - 1));
      const e = parser.expr();
      parser.skipNewlines();
      return e;
    }),
  };
}
