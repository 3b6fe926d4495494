/**
 * The declaration half of the Bicep parser: a file of param, var, resource, module, output and
 * targetScope declarations with their decorators; expressions are parsed by ./expressions.ts.
 */
import type { BicepFile, Decorator, Expr } from './ast';
import { ExprParser } from './expressions';
import { tokenize } from './tokenize';

class Parser extends ExprParser {
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
}

export function parseBicep(source: string): BicepFile {
  return new Parser(tokenize(source)).file();
}

/** Parses one expression (for tests of the reader itself). */
export function parseBicepExpr(source: string): Expr {
  return new Parser(tokenize(source)).expr();
}
