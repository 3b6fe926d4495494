import { join, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveAppFile } from '../../../main/security/app-files';

const root = resolve('/srv/parley/renderer');

describe('resolveAppFile', () => {
  it('serves index.html for the root and files by path', () => {
    expect(resolveAppFile('GET', 'app://parley/', root)).toEqual({ ok: true, path: join(root, 'index.html'), contentType: 'text/html; charset=utf-8' });
    expect(resolveAppFile('GET', 'app://parley/assets/index-abc.js?v=1', root)).toEqual({ ok: true, path: join(root, 'assets', 'index-abc.js'), contentType: 'text/javascript; charset=utf-8' });
    expect(resolveAppFile('HEAD', 'app://parley/favicon.svg', root)).toMatchObject({ ok: true, contentType: 'image/svg+xml' });
  });

  it.each([
    ['app://parley/../../etc/passwd.html'],
    ['app://parley/%2e%2e/%2e%2e/etc/passwd.html'],
    ['app://parley/assets/%2e%2e%2f%2e%2e%2fsecret.js'],
    ['app://parley/..%5c..%5csecret.js'],
    ['app://parley/a%00.js'],
  ])('never leaves the renderer folder for %s', (url) => {
    const result = resolveAppFile('GET', url, root);
    // The URL parser already folds plain dot-segments into the root; encoded ones are refused.
    if (result.ok) expect(result.path.startsWith(`${root}${sep}`)).toBe(true);
  });

  it('refuses dot-segments that survive URL parsing', () => {
    expect(resolveAppFile('GET', 'app://parley/assets/%2e%2e%2f%2e%2e%2fsecret.js', root)).toEqual({ ok: false, status: 403 });
    expect(resolveAppFile('GET', 'app://parley/..%5c..%5csecret.js', root)).toEqual({ ok: false, status: 400 });
  });

  it('refuses other hosts, methods and unknown types', () => {
    expect(resolveAppFile('GET', 'app://other/index.html', root)).toEqual({ ok: false, status: 404 });
    expect(resolveAppFile('POST', 'app://parley/index.html', root)).toEqual({ ok: false, status: 405 });
    expect(resolveAppFile('GET', 'app://parley/server.ts', root)).toEqual({ ok: false, status: 404 });
    expect(resolveAppFile('GET', 'app://parley/%E0%A4%A', root)).toEqual({ ok: false, status: 400 });
  });
});
