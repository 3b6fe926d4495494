/** The syntax tree the Bicep reader produces (see ../bicep.ts for what it covers). */

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
