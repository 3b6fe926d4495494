/** Questions tests ask of a parsed Bicep file: values at paths, literals, references, calls, variables inlined. */
import { BicepParseError, type BicepFile, type Decorator, type Expr, type ResourceDecl } from './ast';

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
