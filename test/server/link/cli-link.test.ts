/**
 * The link as an operator runs it: two built `parley-server` processes, the site one with LINK_URL
 * and LINK_ROOMS, each on a data folder of its own. The cloud relay is killed (SIGKILL) while the
 * site chats and comes back on the same folder and port; the site relay is restarted too; every
 * message ends up on the other side once, in order.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeAllClients, type TestSocket } from '../../helpers/clients';
import { person as personIn, say, settle, textsBy } from '../../helpers/rooms';
import { freePort, waitForHttp } from '../../helpers/net';

const CLI = 'dist/server/cli.js';
const children: ChildProcess[] = [];
const dirs: string[] = [];

beforeAll(() => {
  if (!existsSync(CLI)) spawnSync(process.execPath, ['scripts/build-node.mjs', 'server'], { stdio: 'inherit' });
});
afterEach(() => {
  closeAllClients();
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function folder(): string {
  const d = mkdtempSync(join(tmpdir(), 'parley-link-cli-'));
  dirs.push(d);
  return d;
}

async function relay(port: number, dataDir: string, env: Record<string, string> = {}): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CLI], { env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env }, stdio: 'ignore' });
  children.push(child);
  await waitForHttp({ port });
  return child;
}

function stopped(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

const person = async (port: number, name: string, room: string): Promise<TestSocket> => (await personIn(`http://127.0.0.1:${port}`, name, room)).socket;

describe('parley-server with LINK_URL', () => {
  it('links a room to another relay across a kill and restart of each, every message once', async () => {
    const [sitePort, cloudPort] = [await freePort(), await freePort()];
    const [siteDir, cloudDir] = [folder(), folder()];
    const siteEnv = { LINK_URL: `http://127.0.0.1:${cloudPort}`, LINK_ROOMS: 'ops:site-a', LINK_NAME: 'site-a' };
    const cloud = await relay(cloudPort, cloudDir);
    let site = await relay(sitePort, siteDir, siteEnv);
    let ana = await person(sitePort, 'Ana', 'ops');
    let ben = await person(cloudPort, 'Ben', 'site-a');
    await say(ana, 'ops', 'a1');
    await say(ben, 'site-a', 'b1');
    expect((await settle(ben, 'site-a', 2)).find((m) => m.message === 'a1')).toMatchObject({ username: 'Ana', via: 'site-a' });
    await settle(ana, 'ops', 2);
    // The link's key was made and kept in the site's data folder, readable by its owner only.
    expect(readFileSync(join(siteDir, 'link', 'key'), 'utf8').trim()).toMatch(/^[A-Za-z0-9_-]{22,64}$/);

    // The cloud dies without a word; the site keeps chatting.
    closeAllClients();
    await stopped(cloud, 'SIGKILL');
    ana = await person(sitePort, 'Ana', 'ops');
    await say(ana, 'ops', 'a2');
    await say(ana, 'ops', 'a3');
    await relay(cloudPort, cloudDir);
    ben = await person(cloudPort, 'Ben', 'site-a');
    await say(ben, 'site-a', 'b2');
    await settle(ben, 'site-a', 5);

    // Now the site relay restarts (gracefully), and both sides chat on.
    closeAllClients();
    await stopped(site, 'SIGTERM');
    site = await relay(sitePort, siteDir, siteEnv);
    ana = await person(sitePort, 'Ana', 'ops');
    ben = await person(cloudPort, 'Ben', 'site-a');
    await say(ana, 'ops', 'a4');
    await say(ben, 'site-a', 'b3');
    const atCloud = await settle(ben, 'site-a', 7);
    const atSite = await settle(ana, 'ops', 7);
    const by = textsBy;
    expect(by(atCloud, 'Ana')).toEqual(['a1', 'a2', 'a3', 'a4']);
    expect(by(atCloud, 'Ben')).toEqual(['b1', 'b2', 'b3']);
    expect(by(atSite, 'Ana')).toEqual(['a1', 'a2', 'a3', 'a4']);
    expect(by(atSite, 'Ben')).toEqual(['b1', 'b2', 'b3']);
    expect(site.exitCode).toBeNull();
  });
});
