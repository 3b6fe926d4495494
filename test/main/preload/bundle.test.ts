/**
 * The built preload as Electron would run it: a CommonJS script in a sandboxed renderer whose
 * `require` only knows `electron` (and a few modules Parley does not use). It must expose exactly
 * `window.parley`, and nothing may leak ipcRenderer.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let out: string;
beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'parley-build-'));
  execFileSync(process.execPath, ['scripts/build-node.mjs', 'preload', 'main'], { env: { ...process.env, BUILD_OUTDIR: out }, stdio: 'pipe' });
}, 60_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('preload bundle', () => {
  it('is CommonJS and requires nothing but electron', () => {
    const code = readFileSync(join(out, 'preload', 'index.cjs'), 'utf8');
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    const required = [...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect([...new Set(required)]).toEqual(['electron']);
  });

  it('carries no zod: the IPC argument schemas stay in main', () => {
    const code = readFileSync(join(out, 'preload', 'index.cjs'), 'utf8');
    expect(code).not.toMatch(/\$ZodType|ZodError|Invalid input/);
    // The main bundle does validate with them, so the pattern would find them there.
    expect(readFileSync(join(out, 'main', 'index.js'), 'utf8')).toMatch(/\$ZodType/);
  });

  it('exposes exactly window.parley, in a sandbox-like context', () => {
    const code = readFileSync(join(out, 'preload', 'index.cjs'), 'utf8');
    const exposed: [string, Record<string, unknown>][] = [];
    const ipcCalls: string[] = [];
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => void exposed.push([key, api]) },
      ipcRenderer: {
        invoke: async (channel: string) => {
          ipcCalls.push(channel);
          return { ok: true, value: { nickname: 'Ana' } };
        },
        send: (channel: string) => void ipcCalls.push(channel),
        on: () => undefined,
      },
    };
    const sandboxRequire = (name: string) => {
      if (name === 'electron') return electron;
      throw new Error(`module not found: ${name}`);
    };
    const module = { exports: {} };
    runInNewContext(code, { require: sandboxRequire, module, exports: module.exports, process: { platform: 'linux', argv: ['electron', '--parley-app-version=2.0.0'] }, queueMicrotask });
    expect(exposed.map(([key]) => key)).toEqual(['parley']);
    const api = exposed[0]?.[1] ?? {};
    expect(api.platform).toBe('linux');
    expect(api.appVersion).toBe('2.0.0');
    expect(Object.keys(api)).toHaveLength(15);
    expect(Object.keys(api).some((k) => /ipc|invoke|send|require/i.test(k))).toBe(false);
    void (api.getSettings as () => Promise<unknown>)();
    expect(ipcCalls).toEqual(['settings:get']);
  });
});

describe('main bundle', () => {
  it('is an ESM bundle that leaves electron and npm packages external', () => {
    const code = readFileSync(join(out, 'main', 'index.js'), 'utf8');
    expect(code).toMatch(/from "electron"/);
    expect(code).not.toMatch(/\brequire\("electron"\)/);
    // Parley's own code is inside; the relay's Redis backend is not part of the desktop app.
    expect(code).toContain('createRelay');
    expect(code).not.toMatch(/from "ioredis"/);
  });
});
