/** The Bicep reader itself: what it extracts, and that it refuses what it does not understand. */
import { describe, expect, it } from 'vitest';
import { at, BicepParseError, branches, calledFunctions, inlineVars, literal, parseBicep, parseBicepExpr, referencedNames, templateText } from './bicep';

describe('Bicep reader', () => {
  it('reads params with decorators, defaults and types', () => {
    const file = parseBicep(`
@description('How many')
@minValue(1)
@maxValue(30)
param count int = 2

@allowed([
  'a'
  'b'
])
param choice string = 'a'

@secure()
param key string
param tags object = {
  app: 'x'
}
`);
    expect(file.params.map((p) => p.name)).toEqual(['count', 'choice', 'key', 'tags']);
    const count = file.params[0]!;
    expect(count.type).toBe('int');
    expect(literal(count.defaultValue)).toBe(2);
    expect(count.decorators.map((d) => [d.name, literal(d.args[0])])).toEqual([
      ['description', 'How many'],
      ['minValue', 1],
      ['maxValue', 30],
    ]);
    const allowed = file.params[1]!.decorators[0]!.args[0]!;
    expect(allowed.kind === 'array' && allowed.items.map(literal)).toEqual(['a', 'b']);
    expect(file.params[2]!.defaultValue).toBeUndefined();
    expect(literal(at(file.params[3]!.defaultValue, 'app'))).toBe('x');
  });

  it('reads resources: type, api version, existing, condition, nested properties', () => {
    const file = parseBicep(`
resource cache 'Microsoft.Cache/redis@2024-11-01' existing = {
  name: redisName
}
resource site 'Microsoft.Web/sites@2024-11-01' = if (deploy) {
  name: 'app'
  properties: {
    httpsOnly: true // a comment
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      numbers: [1, 2, 3]
      minus: -4
    }
  }
}
`);
    const [cache, site] = file.resources;
    expect(cache).toMatchObject({ symbol: 'cache', type: 'Microsoft.Cache/redis', apiVersion: '2024-11-01', existing: true });
    expect(site!.existing).toBe(false);
    expect(site!.condition).toEqual({ kind: 'ref', name: 'deploy' });
    expect(literal(at(site!.body, 'properties.httpsOnly'))).toBe(true);
    expect(literal(at(site!.body, 'properties.siteConfig.linuxFxVersion'))).toBe('NODE|20-lts');
    const numbers = at(site!.body, 'properties.siteConfig.numbers');
    expect(numbers?.kind === 'array' && numbers.items.map(literal)).toEqual([1, 2, 3]);
    expect(literal(at(site!.body, 'properties.siteConfig.minus'))).toBe(-4);
    expect(at(site!.body, 'properties.nothing')).toBeUndefined();
  });

  it('reads string escapes, interpolation and multi-line strings', () => {
    expect(literal(parseBicepExpr(`'it\\'s \\$ \\\\ ok'`))).toBe("it's $ \\ ok");
    const t = parseBicepExpr(`'\${cache.properties.hostName}:6380,password=\${cache.listKeys().primaryKey},ssl=True'`);
    expect(t.kind).toBe('template');
    expect(templateText(t)).toBe('${…}:6380,password=${…},ssl=True');
    expect(calledFunctions(t)).toEqual(['listKeys']);
    expect(referencedNames(t)).toEqual(['cache', 'cache']);
    expect(literal(parseBicepExpr(`'''
line one
'quoted' \${not interpolated}'''`))).toBe("line one\n'quoted' ${not interpolated}");
    // a nested string with braces inside an interpolation
    expect(templateText(parseBicepExpr(`'a\${format('{0}', 'x')}b'`))).toBe('a${…}b');
  });

  it('reads operators, ternaries (also across lines), calls, member access and for-expressions', () => {
    const e = parseBicepExpr(`mode == 'keyVault' ? '@Microsoft.KeyVault(SecretUri=\${uri})' : conn`);
    expect(e.kind).toBe('ternary');
    expect(branches(e).map((b) => b.kind)).toEqual(['template', 'ref']);
    const file = parseBicep(`
var a = empty(x) ? {
  k: 1
} : {
  k: 2
}
var b = !empty(y) && z || resourceGroup().location != 'x'
var c = [for f in fqdns: {
  fqdn: f
}]
var d = take('\${p}kv\${s}', 24)
var e = site.identity.principalId
var f = mod.outputs.x!
`);
    const [a, b, c, d, eVar, f] = file.vars.map((v) => v.value);
    expect(a!.kind === 'ternary' && branches(a!).map((x) => literal(at(x, 'k')))).toEqual([1, 2]);
    expect(b).toMatchObject({ kind: 'binary', op: '||' });
    expect(c).toMatchObject({ kind: 'for', item: 'f', iterable: { kind: 'ref', name: 'fqdns' } });
    expect(calledFunctions(d!)).toEqual(['take']);
    expect(eVar).toMatchObject({ kind: 'member', property: 'principalId' });
    expect(f!.kind).toBe('nonNull');
  });

  it('inlines variables, recursively', () => {
    const file = parseBicep(`
var host = 'h'
var conn = '\${host}:6380'
output o string = conn
`);
    const inlined = inlineVars(file.outputs[0]!.value, file);
    expect(inlined.kind === 'template' && inlined.parts).toEqual([{ kind: 'string', value: 'h' }, ':6380']);
  });

  it('reads modules with conditions, outputs and targetScope', () => {
    const file = parseBicep(`
targetScope = 'resourceGroup'
module gw 'modules/appgw.bicep' = if (deployAppGateway) {
  name: 'gw'
  params: {
    n: 1
  }
}
@description('x')
output ip string = deployAppGateway ? gw.outputs.ip : ''
`);
    expect(literal(file.targetScope)).toBe('resourceGroup');
    expect(file.modules[0]).toMatchObject({ symbol: 'gw', path: 'modules/appgw.bicep', condition: { kind: 'ref', name: 'deployAppGateway' } });
    expect(file.outputs[0]).toMatchObject({ name: 'ip', type: 'string' });
  });

  it('refuses what it does not understand instead of guessing', () => {
    const bad = [
      `import 'x.bicep'`, // unsupported declaration
      `var f = map(xs, x => x.id)`, // lambda
      `var s = 'unterminated`,
      `resource r 'NoApiVersion' = {\n}`,
      `var o = {\n  a: 1 b: 2\n}`, // two properties on one line without a comma
      `var o = {\n  a: 1\n  a: 2\n}`, // duplicate key
      `var x = 1 2`,
      `@description('dangling')`,
    ];
    for (const src of bad) expect(() => parseBicep(src), src).toThrow(BicepParseError);
  });
});
