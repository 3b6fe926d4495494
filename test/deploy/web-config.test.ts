/**
 * Windows App Service (IIS + iisnode): deploy/azure/windows/web.config parsed as XML, its URL Rewrite
 * rules run through our model of IIS against sample requests, and the CommonJS shim that lets
 * iisnode start the ES-module relay.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { attr, child, children, evaluate, loadRewriteConfig, type Site } from './iis-rewrite';

const WEB_CONFIG = 'deploy/azure/windows/web.config';
const SHIM = 'deploy/azure/windows/server.cjs';
const config = loadRewriteConfig(readFileSync(WEB_CONFIG, 'utf8'));
const ws = child(child(config.doc, 'configuration'), 'system.webServer');

const ROOT = 'D:\\home\\site\\wwwroot\\';
/** The site root as deploy.sh --windows lays it out (the client files are stand-ins when dist/ is absent). */
const site: Site = {
  root: ROOT,
  files: [
    'web.config',
    'server.cjs',
    'package.json',
    'package-lock.json',
    'dist/server/cli.js',
    'dist/renderer/index.html',
    'dist/renderer/favicon.svg',
    'dist/renderer/assets/index-abc.js',
    'dist/renderer/assets/index-abc.css',
    'node_modules/socket.io/package.json',
    'iisnode/index.html',
  ],
};

const outcome = (url: string) => evaluate(config, site, url);

describe('web.config: IIS and iisnode settings', () => {
  it('is well-formed and turns IIS\'s own WebSocket module off so Node handles upgrades', () => {
    expect(attr(child(ws, 'webSocket'), 'enabled')).toBe('false');
  });

  it('states HOST, as every deployment of the relay does (loopback: only IIS talks to node.exe)', () => {
    expect(readFileSync('deploy/azure/windows/web.config', 'utf8')).toMatch(/<appSettings>\s*<add key="HOST" value="127\.0\.0\.1" \/>/);
  });

  it('registers iisnode for the CommonJS shim, which exists and is what deploy.sh --windows ships', () => {
    expect(config.iisnodeEntries).toEqual(['server.cjs']);
    const handler = children(child(ws, 'handlers'), 'add')[0];
    expect(attr(handler, 'verb')).toBe('*');
    expect(existsSync(SHIM)).toBe(true);
    expect(readFileSync('deploy/azure/deploy.sh', 'utf8')).toMatch(/windows\/web\.config" "\$script_dir\/windows\/server\.cjs"/);
  });

  it('runs one node process per instance, logs, and restarts when the entry or bundle changes', () => {
    const n = child(ws, 'iisnode');
    expect(attr(n, 'nodeProcessCountPerApplication')).toBe('1');
    expect(attr(n, 'loggingEnabled')).toBe('true');
    expect(attr(n, 'devErrorsEnabled')).toBe('false');
    expect(attr(n, 'debuggingEnabled')).toBe('false');
    expect(attr(n, 'node_env')).toBe('production');
    const watched = (attr(n, 'watchedFiles') ?? '').split(';');
    expect(watched).toEqual(expect.arrayContaining(['web.config', 'server.cjs', 'dist\\server\\*.js']));
    // a cap here would cap concurrent WebSockets; App Service's default is unlimited
    expect(attr(n, 'enableXFF')).toBe('false'); // the front end's X-Forwarded-For is the one TRUST_PROXY counts
    expect(attr(n, 'maxConcurrentRequestsPerProcess')).toBeUndefined();
  });

  it('passes the relay\'s own error responses through (a 503 from /healthz stays a 503 with its body)', () => {
    expect(attr(child(ws, 'httpErrors'), 'existingResponse')).toBe('PassThrough');
  });
});

describe('web.config: URL Rewrite rules, evaluated', () => {
  it.each([
    ['/socket.io/?EIO=4&transport=polling', 'SocketIO'],
    ['/socket.io/?EIO=4&transport=websocket&sid=abc', 'SocketIO'],
    ['/socket.io/socket.io.js', 'SocketIO'],
    ['/SOCKET.IO/?EIO=4&transport=polling', 'SocketIO'],
    ['/healthz', 'Health'],
    ['/', 'Relay'],
    ['/index.html', 'Relay'],
    ['/assets/missing-file.js', 'Relay'],
    ['/dist/renderer/index.html', 'Relay'],
    ['/package.json', 'Relay'],
    ['/server.cjs', 'Relay'],
  ])('%s goes to the relay with its original URL (rule %s)', (url, rule) => {
    expect(outcome(url)).toMatchObject({ kind: 'node', entry: 'server.cjs', url, rules: [rule] });
  });

  it('Socket.IO and /healthz reach the relay even if the client folder held files of those names', () => {
    const shadowed: Site = { root: ROOT, files: [...site.files, 'dist/renderer/socket.io/socket.io.js', 'dist/renderer/healthz'] };
    expect(evaluate(config, shadowed, '/socket.io/socket.io.js')).toMatchObject({ kind: 'node', rules: ['SocketIO'] });
    expect(evaluate(config, shadowed, '/healthz')).toMatchObject({ kind: 'node', rules: ['Health'] });
  });

  it.each([
    ['/assets/index-abc.js', 'dist/renderer/assets/index-abc.js'],
    ['/assets/index-abc.css', 'dist/renderer/assets/index-abc.css'],
    ['/favicon.svg', 'dist/renderer/favicon.svg'],
  ])('%s is an existing client file: IIS serves %s', (url, file) => {
    expect(outcome(url)).toMatchObject({ kind: 'static', file, rules: ['StaticClient'] });
  });

  it.each([['/iisnode/index.html'], ['/iisnode/'], ['/node_modules/socket.io/package.json'], ['/dist/server/cli.js'], ['/DIST/Server/cli.js']])(
    '%s is never served',
    (url) => {
      expect(outcome(url)).toMatchObject({ kind: 'status', status: 404 });
    },
  );

  it('the relay sees the query string of polling requests unchanged', () => {
    const o = outcome('/socket.io/?EIO=4&transport=polling&t=abc');
    expect(o.kind === 'node' && o.url).toBe('/socket.io/?EIO=4&transport=polling&t=abc');
  });

  it('every file of the real build is served: index.html by the relay (for its CSP), the rest by IIS', () => {
    const dir = 'dist/renderer';
    if (!existsSync(dir)) return; // the suite's build step makes it; nothing to compare before that
    const walk = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]));
    const built = walk(dir).map((f) => relative(dir, f).split('\\').join('/'));
    expect(built).toContain('index.html');
    const realSite: Site = { root: ROOT, files: [...built.map((f) => `dist/renderer/${f}`), 'server.cjs'] };
    for (const f of built) {
      const o = evaluate(config, realSite, `/${f}`);
      if (f === 'index.html') expect(o.kind, f).toBe('node');
      else expect(o, f).toMatchObject({ kind: 'static', file: `dist/renderer/${f}` });
    }
  });
});

describe('the IIS model itself', () => {
  const cfg = (rules: string) =>
    loadRewriteConfig(`<?xml version="1.0"?><configuration><system.webServer>
      <handlers><add name="iisnode" path="app.cjs" verb="*" modules="iisnode" /></handlers>
      <rewrite><rules>${rules}</rules></rewrite></system.webServer></configuration>`);
  const s: Site = { root: 'C:\\site\\', files: ['public/a.txt', 'app.cjs'] };

  it('chains rewrites until stopProcessing, with back-references and negated conditions', () => {
    const c = cfg(`
      <rule name="one"><match url="^old/(.*)$" /><action type="Rewrite" url="public/{R:1}" /></rule>
      <rule name="two" stopProcessing="true"><match url=".*" />
        <conditions><add input="{REQUEST_FILENAME}" matchType="IsFile" negate="true" /></conditions>
        <action type="Rewrite" url="app.cjs" /></rule>
      <rule name="last"><match url="^public/" negate="true" /><action type="CustomResponse" statusCode="500" /></rule>`);
    expect(evaluate(c, s, '/old/a.txt')).toMatchObject({ kind: 'static', file: 'public/a.txt', rules: ['one'] });
    expect(evaluate(c, s, '/old/b.txt')).toMatchObject({ kind: 'node', rules: ['one', 'two'] });
    expect(evaluate(c, s, '/elsewhere')).toMatchObject({ kind: 'node', rules: ['two'] }); // two stops before last
    expect(evaluate(c, s, '/app.cjs')).toMatchObject({ kind: 'status', status: 500, rules: ['last'] });
  });

  it('honours MatchAny, {C:n}, case sensitivity and negated matches', () => {
    const c = cfg(`
      <rule name="any" stopProcessing="true"><match url="^x$" ignoreCase="false" />
        <conditions logicalGrouping="MatchAny">
          <add input="{QUERY_STRING}" pattern="^a=(\\d+)$" />
          <add input="{URL}" pattern="^/never$" />
        </conditions>
        <action type="Redirect" url="/to/{C:1}" /></rule>
      <rule name="neg" stopProcessing="true"><match url="^keep" negate="true" /><action type="CustomResponse" statusCode="403" /></rule>`);
    expect(evaluate(c, s, '/x?a=42')).toMatchObject({ kind: 'redirect', location: '/to/42' });
    expect(evaluate(c, s, '/X?a=42')).toMatchObject({ kind: 'status', status: 403 });
    expect(evaluate(c, s, '/keep/this')).toMatchObject({ kind: 'notFound' });
  });

  it('refuses what it does not model', () => {
    expect(() => cfg(`<rule name="w" patternSyntax="Wildcard"><match url="*" /><action type="None" /></rule>`)).toThrow(/not modelled/);
    expect(() => evaluate(cfg(`<rule name="v"><match url=".*" /><conditions><add input="{HTTPS}" pattern="on" /></conditions><action type="None" /></rule>`), s, '/')).toThrow(/not modelled/);
    expect(() => loadRewriteConfig('<configuration><system.webServer></configuration>')).toThrow(/well-formed/);
  });
});

describe('server.cjs: the iisnode entry', () => {
  const src = readFileSync(SHIM, 'utf8');

  it('is CommonJS that imports the ES-module relay the build produces', () => {
    expect(src).not.toMatch(/^\s*(import|export)\s[^(]/m); // no static ESM syntax: iisnode require()s it
    expect(src).toMatch(/import\('\.\/dist\/server\/cli\.js'\)/);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { type: string; scripts: Record<string, string> };
    expect(pkg.type).toBe('module'); // why the shim is needed at all
    expect(pkg.scripts.start).toBe('node dist/server/cli.js');
  });
});
