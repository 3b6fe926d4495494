/**
 * The built preload as Electron would run it: a CommonJS script in a sandboxed renderer whose
 * `require` only knows `electron` (and a few modules Parley does not use). It must expose exactly
 * `window.parley`, and nothing may leak ipcRenderer. Exposed through a stand-in for contextBridge that
 * copies errors as Electron does (message only), a failed call's typed code must still reach the page.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DesktopBridge } from '../../../protocol/index';
import { adaptDesktopBridge, DesktopApiError } from '../../../renderer/platform/desktop-api';
import { fakeContextBridge } from './context-bridge';

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

  /** Runs the built preload with a fake ipcRenderer; returns what the page's window got. */
  function runPreload(answer: (channel: string) => unknown) {
    const code = readFileSync(join(out, 'preload', 'index.cjs'), 'utf8');
    const window: Record<string, unknown> = {};
    const exposed: string[] = [];
    const ipcCalls: string[] = [];
    const bridge = fakeContextBridge(window);
    const electron = {
      contextBridge: {
        exposeInMainWorld: (key: string, api: unknown) => {
          exposed.push(key);
          bridge.exposeInMainWorld(key, api);
        },
      },
      ipcRenderer: {
        invoke: async (channel: string) => {
          ipcCalls.push(channel);
          return answer(channel);
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
    return { window, exposed, ipcCalls };
  }

  it('exposes exactly window.parley, in a sandbox-like context', () => {
    const { window, exposed, ipcCalls } = runPreload(() => ({ ok: true, value: { nickname: 'Ana' } }));
    expect(exposed).toEqual(['parley']);
    expect(Object.keys(window)).toEqual(['parley']);
    const api = window.parley as Record<string, unknown>;
    expect(Object.isFrozen(api)).toBe(true);
    expect(api.platform).toBe('linux');
    expect(api.appVersion).toBe('2.0.0');
    expect(Object.keys(api)).toHaveLength(27);
    expect(Object.keys(api).some((k) => /ipc|invoke|send|require/i.test(k))).toBe(false);
    void (api.getSettings as () => Promise<unknown>)();
    expect(ipcCalls).toEqual(['settings:get']);
  });

  it("carries a failed call's typed code across the bridge to the renderer's DesktopApiError", async () => {
    const { window } = runPreload((channel) =>
      channel === 'relay:host' ? { ok: false, code: 'ALREADY_HOSTING', message: 'Already hosting "Team".' } : { ok: true, value: { nickname: 'Ana' } },
    );
    const api = adaptDesktopBridge(window.parley as DesktopBridge);
    expect(await api.getSettings()).toEqual({ nickname: 'Ana' });
    const err = await api.hostSession({ name: 'again', lan: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DesktopApiError);
    expect(err).toMatchObject({ operation: 'hostSession', code: 'ALREADY_HOSTING', message: 'Already hosting "Team".' });
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
