/**
 * The Azure templates in deploy/azure, read with our Bicep reader (no Bicep CLI here): every setting
 * the relay depends on is asserted where it is set, module wiring is checked like `bicep build`
 * would, and the health probe's status codes are checked against the relay's own /healthz handler.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { at, branches, calledFunctions, decorator, inlineVars, literal, parseBicep, resourcesOfType, templateText, type BicepFile, type Expr, type ResourceDecl } from './bicep';
import { handleHealth, type HealthStatus } from '../../server/http/health';
import { resolveOptions } from '../../server/options';
import { resolveConfig } from '../../server/config';
import { clientAddress } from '../../server/http/forwarded';

const DIR = 'deploy/azure';
const files = new Map<string, BicepFile>();
for (const f of ['main.bicep', ...readdirSync(join(DIR, 'modules')).filter((x) => x.endsWith('.bicep')).map((x) => `modules/${x}`)]) {
  files.set(f, parseBicep(readFileSync(join(DIR, f), 'utf8')));
}
const file = (name: string): BicepFile => {
  const f = files.get(name);
  if (!f) throw new Error(`${name} not found`);
  return f;
};
const main = file('main.bicep');

function one(f: BicepFile, type: string, opts: { existing?: boolean } = {}): ResourceDecl {
  const found = resourcesOfType(f, type).filter((r) => opts.existing === undefined || r.existing === opts.existing);
  expect(found, `${type} resources`).toHaveLength(1);
  return found[0]!;
}

function param(f: BicepFile, name: string) {
  const p = f.params.find((x) => x.name === name);
  if (!p) throw new Error(`param ${name} not declared`);
  return p;
}

const ref = (name: string): Expr => ({ kind: 'ref', name });

/** `'${gatewayId}/probes/parley-healthz'` → ['probes', 'parley-healthz']. */
function childRef(e: Expr | undefined): [string, string] {
  const text = e ? templateText(e) : undefined;
  const m = text ? /^\$\{…\}\/([A-Za-z]+)\/([^/]+)$/.exec(text) : null;
  if (!m) throw new Error(`not a gateway child reference: ${JSON.stringify(e)}`);
  return [m[1]!, m[2]!];
}

function items(e: Expr | undefined): Expr[] {
  if (!e || e.kind !== 'array') throw new Error(`expected an array, got ${e?.kind}`);
  return e.items;
}

function named(list: Expr | undefined, name: string): Expr {
  const hit = items(list).find((x) => literal(at(x, 'name')) === name);
  if (!hit) throw new Error(`no element named ${name}`);
  return hit;
}

describe('Azure templates: structure', () => {
  it('every parameter and output of every file has a description', () => {
    for (const [name, f] of files) {
      for (const p of f.params) {
        const d = decorator(p, 'description');
        expect(typeof literal(d?.args[0]) === 'string' && String(literal(d?.args[0])).length > 5, `${name}: param ${p.name}`).toBe(true);
      }
      for (const o of f.outputs) expect(decorator(o, 'description'), `${name}: output ${o.name}`).toBeDefined();
    }
  });

  it('every module exists and gets exactly the parameters it declares, all required ones included', () => {
    expect(main.modules.length).toBeGreaterThanOrEqual(4);
    for (const m of main.modules) {
      const target = resolve(DIR, m.path);
      expect(existsSync(target), m.path).toBe(true);
      const mod = file(m.path);
      const given = at(m.body, 'params');
      const keys = given?.kind === 'object' ? given.properties.map((p) => p.key) : [];
      for (const k of keys) expect(mod.params.map((p) => p.name), `${m.path} has no param ${k}`).toContain(k);
      for (const p of mod.params.filter((x) => !x.defaultValue)) expect(keys, `${m.path} needs ${p.name}`).toContain(p.name);
      expect(dirname(m.path)).toBe('modules');
    }
  });

  it('README documents every parameter of main.bicep; the example parameters file uses only real ones', () => {
    const readme = readFileSync(join(DIR, 'README.md'), 'utf8');
    for (const p of main.params) expect(readme, `README: ${p.name}`).toContain(`\`${p.name}\``);
    const example = JSON.parse(readFileSync(join(DIR, 'parameters.example.json'), 'utf8')) as { parameters: Record<string, unknown> };
    for (const k of Object.keys(example.parameters)) expect(main.params.map((p) => p.name)).toContain(k);
    for (const p of main.params.filter((x) => decorator(x, 'secure'))) expect(Object.keys(example.parameters)).not.toContain(p.name);
  });

  it('secrets are @secure() parameters without a default other than empty', () => {
    for (const [name, f] of files) {
      for (const p of f.params.filter((x) => /password|pfx|joinCode|token|key$/i.test(x.name) && !/keyVault/i.test(x.name))) {
        expect(decorator(p, 'secure'), `${name}: ${p.name} must be @secure()`).toBeDefined();
        if (p.defaultValue) expect(literal(p.defaultValue), `${name}: ${p.name} default`).toBe('');
      }
    }
  });

  it('no output carries a key (listKeys appears only in app settings and the Key Vault secret)', () => {
    for (const [name, f] of files) {
      for (const o of f.outputs) expect(calledFunctions(inlineVars(o.value, f)), `${name}: output ${o.name}`).not.toContain('listKeys');
      for (const v of f.vars.filter((x) => calledFunctions(x.value).includes('listKeys'))) {
        expect(['modules/appsettings.bicep'], `${name}: var ${v.name}`).toContain(name);
      }
    }
  });
});

describe('Azure templates: App Service', () => {
  const webapp = file('modules/webapp.bicep');
  const plan = one(webapp, 'Microsoft.Web/serverfarms');
  const site = one(webapp, 'Microsoft.Web/sites');

  it('is a Linux plan whose capacity is the instance-count parameter (scale-out)', () => {
    expect(literal(at(plan.body, 'kind'))).toBe('linux');
    expect(literal(at(plan.body, 'properties.reserved'))).toBe(true);
    expect(at(plan.body, 'sku.capacity')).toEqual(ref('instanceCount'));
    expect(literal(decorator(param(webapp, 'instanceCount'), 'minValue')?.args[0])).toBe(1);
    // main.bicep exposes it with a default of 2 and passes it through
    const p = param(main, 'instanceCount');
    expect(literal(p.defaultValue)).toBe(2);
    expect(literal(decorator(p, 'minValue')?.args[0])).toBe(1);
    expect(at(main.modules.find((m) => m.symbol === 'webApp')!.body, 'params.instanceCount')).toEqual(ref('instanceCount'));
  });

  it('offers no Free or Shared plan (WebSocket caps, no Always On)', () => {
    const allowed = decorator(param(main, 'appServicePlanSku'), 'allowed')!.args[0]!;
    const skus = items(allowed).map(literal);
    expect(skus).toContain(literal(param(main, 'appServicePlanSku').defaultValue));
    for (const s of skus) expect(String(s)).not.toMatch(/^(F1|D1|FREE|SHARED)$/i);
  });

  it('runs Node 20 LTS with WebSockets, ARR affinity, Always On, HTTPS only, TLS 1.2 and the /healthz check', () => {
    expect(literal(at(site.body, 'properties.httpsOnly'))).toBe(true);
    expect(literal(at(site.body, 'properties.clientAffinityEnabled'))).toBe(true);
    expect(at(site.body, 'properties.serverFarmId')).toMatchObject({ kind: 'member', object: ref(plan.symbol), property: 'id' });
    const config = (k: string) => literal(at(site.body, `properties.siteConfig.${k}`));
    expect(at(site.body, 'properties.siteConfig.linuxFxVersion')).toEqual(ref('linuxFxVersion'));
    expect(literal(param(main, 'linuxFxVersion').defaultValue)).toBe('NODE|20-lts');
    for (const f of [main, webapp]) {
      const allowed = items(decorator(param(f, 'linuxFxVersion'), 'allowed')?.args[0]).map(literal);
      for (const v of allowed) expect(String(v)).toMatch(/^NODE\|(2\d)-lts$/); // Node 20 or newer LTS, never 18
      expect(allowed).toContain('NODE|20-lts');
    }
    expect(at(main.modules.find((m) => m.symbol === 'webApp')!.body, 'params.linuxFxVersion')).toEqual(ref('linuxFxVersion'));
    expect(config('webSocketsEnabled')).toBe(true);
    expect(config('alwaysOn')).toBe(true);
    expect(config('minTlsVersion')).toBe('1.2');
    expect(config('healthCheckPath')).toBe('/healthz');
    expect(config('appCommandLine')).toBe('node dist/server/cli.js');
    expect(config('ftpsState')).toBe('Disabled');
    // behind a gateway that rewrites Host, the ARR cookie must follow the public host name
    expect(at(site.body, 'properties.clientAffinityProxyEnabled')).toEqual(ref('behindGateway'));
    expect(at(main.modules.find((m) => m.symbol === 'webApp')!.body, 'params.behindGateway')).toEqual(ref('deployAppGateway'));
  });

  it('the start command names the file the build produces', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string>; bin: Record<string, string> };
    expect(pkg.scripts.start).toBe('node dist/server/cli.js');
    expect(Object.values(pkg.bin)).toContain('dist/server/cli.js');
  });
});

describe('Azure templates: app settings', () => {
  const settingsFile = file('modules/appsettings.bicep');
  const settings = one(settingsFile, 'Microsoft.Web/sites/config');
  const value = (k: string) => at(settings.body, `properties.${k}`);

  it('is the appsettings resource of the web app', () => {
    expect(literal(at(settings.body, 'name'))).toBe('appsettings');
    const parent = at(settings.body, 'parent');
    expect(parent?.kind).toBe('ref');
    const site = settingsFile.resources.find((r) => r.symbol === (parent as { name: string }).name)!;
    expect(site).toMatchObject({ type: 'Microsoft.Web/sites', existing: true });
  });

  it('sets the relay environment for running behind the App Service front end', () => {
    // one proxy (the App Service front end) appends to X-Forwarded-For, two with the gateway
    const trust = value('TRUST_PROXY')!;
    expect(trust).toMatchObject({ kind: 'ternary', test: ref('behindGateway') });
    expect(branches(trust).map(literal)).toEqual(['2', '1']);
    expect(at(main.modules.find((m) => m.path === 'modules/appsettings.bicep')!.body, 'params.behindGateway')).toEqual(ref('deployAppGateway'));
    expect(literal(value('NODE_ENV'))).toBe('production');
    expect(literal(value('HOST'))).toBe('0.0.0.0'); // the relay's default is loopback
    expect(literal(value('SCM_DO_BUILD_DURING_DEPLOYMENT'))).toBe('false'); // deploy.sh ships node_modules
    expect(value('LOG_LEVEL')).toEqual(ref('logLevel'));
    expect(value('HISTORY_LIMIT')).toMatchObject({ kind: 'call', callee: ref('string'), args: [ref('historyLimit')] });
    expect(value('ALLOWED_ORIGINS')).toEqual(ref('allowedOrigins'));
    expect(value('ALLOWED_HOSTS')).toEqual(ref('allowedHosts'));
    expect(value('JOIN_CODE')).toEqual(ref('joinCode'));
    expect(value('HEALTH_TOKEN')).toEqual(ref('healthToken')); // /healthz details for its bearer only
    expect(value('WEBSITE_HEALTHCHECK_MAXPINGFAILURES')).toBeDefined();
  });

  it('the relay reads those TRUST_PROXY values as the client address each topology puts in X-Forwarded-For', () => {
    const req = (xff: string) => ({ headers: { 'x-forwarded-for': xff }, socket: { remoteAddress: '10.0.0.9' } }) as unknown as IncomingMessage;
    const hops = (v: string) => resolveConfig({}, { TRUST_PROXY: v }).trustProxy;
    // App Service alone: the front end appends "client:port"; a client-sent entry stays to the left
    expect(clientAddress(req('198.51.100.7, 203.0.113.5:61234'), hops('1'))).toBe('203.0.113.5');
    // gateway in front: the gateway appends the client, the front end appends the gateway
    expect(clientAddress(req('198.51.100.7, 203.0.113.5:61234, 10.42.0.4:50000'), hops('2'))).toBe('203.0.113.5');
  });

  it('REDIS_URL is host:6380 with the access key from listKeys() and ssl=True, or a Key Vault reference', () => {
    const redisUrl = value('REDIS_URL')!;
    const [keyVaultRef, direct] = branches(inlineVars(redisUrl, settingsFile));
    expect(templateText(keyVaultRef!)).toBe('@Microsoft.KeyVault(SecretUri=${…})');
    expect(templateText(direct!)).toBe('${…}:6380,password=${…},ssl=True,abortConnect=False');
    // host and key both come from the existing Azure Cache for Redis resource
    const cache = one(settingsFile, 'Microsoft.Cache/redis', { existing: true });
    const parts = (direct as { parts: (string | Expr)[] }).parts.filter((p): p is Expr => typeof p !== 'string');
    expect(parts[0]).toEqual({ kind: 'member', object: { kind: 'member', object: ref(cache.symbol), property: 'properties', safe: false }, property: 'hostName', safe: false });
    expect(parts[1]).toEqual({ kind: 'member', object: { kind: 'call', callee: { kind: 'member', object: ref(cache.symbol), property: 'listKeys', safe: false }, args: [] }, property: 'primaryKey', safe: false });
  });

  it('the Key Vault secret holds the same connection string, readable by the app identity only', () => {
    const kv = file('modules/keyvault.bicep');
    const secret = one(kv, 'Microsoft.KeyVault/vaults/secrets');
    const v = at(secret.body, 'properties.value')!;
    expect(templateText(v)).toBe('${…}:6380,password=${…},ssl=True,abortConnect=False');
    expect(calledFunctions(v)).toEqual(['listKeys']);
    expect(literal(at(one(kv, 'Microsoft.KeyVault/vaults').body, 'properties.enableRbacAuthorization'))).toBe(true);
    const role = one(kv, 'Microsoft.Authorization/roleAssignments');
    expect(at(role.body, 'properties.principalId')).toEqual(ref('readerPrincipalId'));
    expect(JSON.stringify(inlineVars(at(role.body, 'properties.roleDefinitionId')!, kv))).toContain('4633458b-17de-408a-b874-0445c86b69e6'); // Key Vault Secrets User
  });

  it('the generated REDIS_URL form is one the relay parses as TLS on 6380 (when Redis mode is present)', async () => {
    const parser = 'server/stores/redis/url.ts';
    if (!existsSync(parser)) return; // Redis mode is built in parallel; nothing to check against yet
    const mod = (await import(resolve(parser))) as { parseRedisUrl(s: string): { host: string; port: number; tls: boolean; password?: string } };
    const key = 'AbC+dEf/GhIjKlMnOpQrStUvWxYz0123456789abcd='; // the shape of an access key: base64, may end in '='
    const parsed = mod.parseRedisUrl(`parley-redis-x.redis.cache.windows.net:6380,password=${key},ssl=True,abortConnect=False`);
    expect(parsed).toMatchObject({ host: 'parley-redis-x.redis.cache.windows.net', port: 6380, tls: true, password: key });
  });
});

describe('Azure templates: Azure Cache for Redis', () => {
  it('has the non-TLS port off and TLS 1.2 minimum', () => {
    const redis = one(file('modules/redis.bicep'), 'Microsoft.Cache/redis');
    expect(literal(at(redis.body, 'properties.enableNonSslPort'))).toBe(false);
    expect(literal(at(redis.body, 'properties.minimumTlsVersion'))).toBe('1.2');
    expect(at(redis.body, 'properties.sku.name')).toEqual(ref('skuName'));
  });
});

describe('Azure templates: Application Gateway', () => {
  const gwFile = file('modules/appgw.bicep');
  const gw = one(gwFile, 'Microsoft.Network/applicationGateways');
  const props = (k: string) => at(gw.body, `properties.${k}`);

  it('is optional: deployed only when deployAppGateway is true', () => {
    const m = main.modules.find((x) => x.path === 'modules/appgw.bicep')!;
    expect(m.condition).toEqual(ref('deployAppGateway'));
    expect(literal(param(main, 'deployAppGateway').defaultValue)).toBe(false);
  });

  it('is v2 (WebSocket is native there, no setting) with listeners on 80 and 443', () => {
    expect(literal(props('sku.name'))).toBe('Standard_v2');
    expect(literal(props('sku.tier'))).toBe('Standard_v2');
    const ports = new Map(items(props('frontendPorts')).map((p) => [literal(at(p, 'name')), literal(at(p, 'properties.port'))]));
    const listeners = items(props('httpListeners')).map((l) => ({
      protocol: literal(at(l, 'properties.protocol')),
      port: ports.get(childRef(at(l, 'properties.frontendPort.id'))[1]),
      cert: at(l, 'properties.sslCertificate.id'),
    }));
    expect(listeners).toContainEqual(expect.objectContaining({ protocol: 'Http', port: 80 }));
    const https = listeners.find((l) => l.port === 443)!;
    expect(https.protocol).toBe('Https');
    expect(childRef(https.cert)).toEqual(['sslCertificates', 'public-cert']);
  });

  it('takes its certificate from Key Vault or a PFX parameter, never a literal', () => {
    const cert = named(props('sslCertificates'), 'public-cert');
    const [kv, pfx] = branches(at(cert, 'properties')!);
    expect(at(kv, 'keyVaultSecretId')).toEqual(ref('certKeyVaultSecretId'));
    expect(at(pfx, 'data')).toEqual(ref('certPfxBase64'));
    expect(at(pfx, 'password')).toEqual(ref('certPassword'));
  });

  it('sends traffic to the web app host names with host-name pick-up, cookie affinity and a long-poll-friendly timeout', () => {
    const pool = named(props('backendAddressPools'), 'parley-webapps');
    expect(at(pool, 'properties.backendAddresses')).toMatchObject({ kind: 'for', iterable: ref('backendFqdns'), body: { kind: 'object' } });
    const appgwModule = main.modules.find((x) => x.path === 'modules/appgw.bicep')!;
    expect(items(at(appgwModule.body, 'params.backendFqdns'))).toContainEqual({ kind: 'member', object: { kind: 'member', object: ref('webApp'), property: 'outputs', safe: false }, property: 'defaultHostName', safe: false });

    const settings = named(props('backendHttpSettingsCollection'), 'parley-https');
    expect(literal(at(settings, 'properties.pickHostNameFromBackendAddress'))).toBe(true);
    expect(literal(at(settings, 'properties.cookieBasedAffinity'))).toBe('Enabled');
    expect(literal(at(settings, 'properties.protocol'))).toBe('Https');
    expect(literal(at(settings, 'properties.port'))).toBe(443);
    expect(at(settings, 'properties.requestTimeout')).toEqual(ref('requestTimeoutSeconds'));
    // A long-poll GET is held up to the relay's pingInterval: the timeout must be longer, in every
    // value the parameters allow.
    const pingIntervalS = resolveOptions({}).pingIntervalMs / 1000;
    expect(Number(literal(decorator(param(gwFile, 'requestTimeoutSeconds'), 'minValue')?.args[0]))).toBeGreaterThan(pingIntervalS);
    const top = param(main, 'appGatewayRequestTimeoutSeconds');
    expect(Number(literal(decorator(top, 'minValue')?.args[0]))).toBeGreaterThan(pingIntervalS);
    expect(Number(literal(top.defaultValue))).toBeGreaterThanOrEqual(60);
    expect(Number(literal(decorator(top, 'maxValue')?.args[0]))).toBeLessThanOrEqual(230); // App Service front-end limit
    expect(childRef(at(settings, 'properties.probe.id'))).toEqual(['probes', 'parley-healthz']);
  });

  it('probes /healthz and counts only 200 as healthy', () => {
    const probe = named(props('probes'), 'parley-healthz');
    expect(literal(at(probe, 'properties.path'))).toBe('/healthz');
    expect(literal(at(probe, 'properties.pickHostNameFromBackendHttpSettings'))).toBe(true);
    expect(items(at(probe, 'properties.match.statusCodes')).map(literal)).toEqual(['200']);
  });

  it('routes 443 to the app and 80 either to the HTTPS redirect or to the app; every rule has a priority', () => {
    const rules = items(props('requestRoutingRules'));
    const bodies = rules.flatMap((r) => branches(at(r, 'properties')!));
    for (const b of bodies) expect(typeof literal(at(b, 'priority'))).toBe('number');
    const byListener = (name: string) => bodies.filter((b) => childRef(at(b, 'httpListener.id'))[1] === name);
    const [https] = byListener('https-443');
    expect(childRef(at(https, 'backendAddressPool.id'))).toEqual(['backendAddressPools', 'parley-webapps']);
    expect(childRef(at(https, 'backendHttpSettings.id'))).toEqual(['backendHttpSettingsCollection', 'parley-https']);
    const http = byListener('http-80');
    expect(http).toHaveLength(2);
    expect(childRef(at(http[0], 'redirectConfiguration.id'))).toEqual(['redirectConfigurations', 'http-to-https']);
    expect(childRef(at(http[1], 'backendAddressPool.id'))).toEqual(['backendAddressPools', 'parley-webapps']);
    const redirect = named(props('redirectConfigurations'), 'http-to-https');
    expect(childRef(at(redirect, 'properties.targetListener.id'))).toEqual(['httpListeners', 'https-443']);
  });

  it('every ${gatewayId}/<collection>/<name> reference points at a declared element', () => {
    const texts = JSON.stringify(gw.body).match(/"\/[A-Za-z]+\/[^"/]+"/g) ?? [];
    expect(texts.length).toBeGreaterThan(8);
    for (const t of texts) {
      const [, collection, name] = /"\/([A-Za-z]+)\/([^"/]+)"/.exec(t)!;
      expect(items(props(collection!)).map((x) => literal(at(x, 'name'))), `${collection}/${name}`).toContain(name);
    }
  });

  it('adds the gateway host name to ALLOWED_ORIGINS and ALLOWED_HOSTS', () => {
    const v = (name: string) => inlineVars(ref(name), main);
    expect(JSON.stringify(v('effectiveAllowedOrigins'))).toContain('https://');
    expect(JSON.stringify(v('effectiveAllowedOrigins'))).toContain('appGatewayHostName');
    expect(JSON.stringify(v('effectiveAllowedHosts'))).toContain('appGatewayHostName');
    const settingsModule = main.modules.find((m) => m.path === 'modules/appsettings.bicep')!;
    expect(at(settingsModule.body, 'params.allowedOrigins')).toEqual(ref('effectiveAllowedOrigins'));
    expect(at(settingsModule.body, 'params.allowedHosts')).toEqual(ref('effectiveAllowedHosts'));
  });
});

describe('health probe codes agree with the relay', () => {
  function statusFor(s: HealthStatus): number {
    let code = 0;
    const res = { writeHead: (c: number) => (code = c), end: () => undefined } as unknown as ServerResponse;
    handleHealth({ method: 'GET' } as IncomingMessage, res, { status: () => s, showDetails: () => false, details: () => ({}) });
    return code;
  }

  it('ok and degraded pass the gateway probe and App Service health check; every other status fails both', () => {
    // Exhaustive on purpose: a new HealthStatus fails to compile here until someone decides how
    // the probes should treat it.
    const servesClients: Record<HealthStatus, boolean> = { ok: true, degraded: true, misconfigured: false, stopping: false };
    const probe = named(at(one(file('modules/appgw.bicep'), 'Microsoft.Network/applicationGateways').body, 'properties.probes'), 'parley-healthz');
    const gatewayHealthy = items(at(probe, 'properties.match.statusCodes')).map((c) => Number(literal(c)));
    const appServiceHealthy = (code: number) => code >= 200 && code <= 299; // App Service's documented rule
    for (const [s, up] of Object.entries(servesClients) as [HealthStatus, boolean][]) {
      expect(gatewayHealthy.includes(statusFor(s)), `gateway, ${s}`).toBe(up);
      expect(appServiceHealthy(statusFor(s)), `App Service, ${s}`).toBe(up);
    }
  });
});
