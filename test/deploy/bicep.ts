/**
 * A small Bicep reader for tests: enough of the language to read the templates in deploy/azure and
 * assert what they set, without the Bicep CLI (not installable here). It tokenizes and parses
 * declarations (param, var, resource, module, output, targetScope) with their decorators, and
 * expressions: strings with interpolation, multi-line strings, numbers, booleans, null, objects,
 * arrays, identifiers, member/index access, calls, unary and binary operators, the ternary and
 * `[for x in xs: ...]`. Anything else (lambdas, imports, user-defined types and functions) is a
 * parse error, not silently skipped: an assertion never rests on text this reader did not understand.
 */
// The reader is split by stage under ./bicep/: the tree (ast), tokens (tokenize), expressions and
// declarations (the parser), and queries. This module is the one the tests import.
export type { BicepFile, Decorator, Expr, ModuleDecl, ParamDecl, ResourceDecl } from './bicep/ast';
export { BicepParseError } from './bicep/ast';
export { parseBicep, parseBicepExpr } from './bicep/declarations';
export { at, branches, calledFunctions, decorator, inlineVars, literal, referencedNames, resourcesOfType, templateText, walk } from './bicep/queries';
