/**
 * Files in a cluster: relay instances in Redis mode on one Azure Blob Storage container (Azurite),
 * without FILES_SECRET. Any instance serves any file, with a URL any instance signed, and an upload
 * that one instance was taking when it died goes on at another from the last byte the container has.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpRequest } from 'tus-js-client';
import type { SendOk } from '../../../protocol/index';
import { useAzurite } from '../../helpers/azurite';
import { loggedIn, newKey, next, request } from '../../helpers/clients';
import { redisRelay, RelayProcess } from '../../helpers/cluster';
import { bytes, download, fileUrl, raw, sha256, tusHeaders, tusUpload, uploadToken } from '../../helpers/files';
import { useRedisSuite } from '../../helpers/redis-suite';
import { CLI, ensureCli } from '../../security/support/cli';

const { redis, relays } = useRedisSuite();
const { azurite, container } = useAzurite();
const processes: RelayProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(processes.splice(0).map((p) => p.kill()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The built CLI, rebuilt when it predates files in Azure (a dist/ left from an older checkout). */
function cliWithAzure(): void {
  ensureCli();
  if (readFileSync(CLI, 'utf8').includes('AZURE_STORAGE_CONNECTION_STRING')) return;
  const res = spawnSync(process.execPath, ['scripts/build-node.mjs', 'server'], { stdio: 'inherit' });
  if (res.status !== 0) throw new Error('could not build the relay CLI');
}

describe('files across relay instances on one container', () => {
  it('Ben on B gets the file Ana sent on A, and downloads it from B with a URL B signed and one A signed', async () => {
    const azureStorage = { connectionString: azurite().connectionString, container: container() };
    // Started together: they race to create the shared secret and must agree on it.
    const [a, b] = await Promise.all([redisRelay(redis().url, { azureStorage }), redisRelay(redis().url, { azureStorage })]);
    relays.push(a, b);
    const ana = await loggedIn(a.url, 'ana');
    const ben = await loggedIn(b.url, 'ben');
    const data = bytes(700_000, 21);
    const { token } = await uploadToken(ana.socket);
    const { id } = await tusUpload(a, token, data, { filename: 'plan.bin', chunkSize: 256 * 1024 });

    const arrived = next(ben.socket, 'new message');
    const sent = await request<SendOk>(ana.socket, 'new message', { text: 'the plan', attachments: [id] });
    expect(sent.ok).toBe(true);
    const message = await arrived;
    expect(message).toMatchObject({ message: 'the plan', attachments: [{ id, name: 'plan.bin', size: data.length }] });

    const signedByB = await fileUrl(ben.socket, 'lobby', id);
    const fromB = await download(b, signedByB);
    expect(fromB.status).toBe(200);
    expect(sha256(fromB.body)).toBe(sha256(data));
    const signedByA = await fileUrl(ana.socket, 'lobby', id);
    // Both sign with the one secret: the same file, conversation and expiry give the same URL.
    expect(signedByA.url).toBe(signedByB.url);
    expect(sha256((await download(b, signedByA)).body)).toBe(sha256(data));
    const part = await download(b, signedByA, { range: 'bytes=300000-300099' });
    expect(part.status).toBe(206);
    expect(part.body.equals(data.subarray(300_000, 300_100))).toBe(true);
    // And A serves what B signed.
    expect(sha256((await download(a, signedByB)).body)).toBe(sha256(data));
  });

  it('an upload A was taking when it was killed is resumed on B and completes intact', async () => {
    cliWithAzure();
    const name = container();
    // A's files go to the container: its data folder stays empty.
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-relay-'));
    dirs.push(dataDir);
    const a = await RelayProcess.start({
      DATA_DIR: dataDir,
      REDIS_URL: redis().url,
      AZURE_STORAGE_CONNECTION_STRING: azurite().connectionString,
      AZURE_STORAGE_CONTAINER: name,
      LOG_LEVEL: 'warn',
    });
    processes.push(a);
    const b = await redisRelay(redis().url, { azureStorage: { connectionString: azurite().connectionString, container: name } });
    relays.push(b);

    const key = newKey();
    const ana = await loggedIn(a.url, 'ana', { key });
    const CHUNK = 256 * 1024;
    const data = bytes(8 * CHUNK + 5, 22);
    const { token } = await uploadToken(ana.socket);
    let url = '';
    let killed: Promise<void> | undefined;
    const interrupted = await tusUpload(a, token, data, {
      filename: 'big.bin',
      chunkSize: CHUNK,
      onBeforeRequest: (req) => void (req.getMethod() === 'POST' || (url ||= req.getURL())),
      // Killed while the third chunk's body is on its way: two chunks are acknowledged, the third is not.
      onProgress: (sent) => void (sent > 2 * CHUNK + CHUNK / 4 && (killed ??= a.kill('SIGKILL'))),
    }).then(
      () => 'finished',
      () => 'failed',
    );
    await killed;
    expect(interrupted).toBe('failed');
    expect(readdirSync(dataDir)).toEqual([]);
    const path = new URL(url).pathname;

    // Ana, on B now, with a token B issued.
    const again = await loggedIn(b.url, 'ana', { key });
    expect(again.login.userId).toBe(ana.login.userId);
    const { token: fresh } = await uploadToken(again.socket);
    const head = await raw(b, 'HEAD', path, tusHeaders(fresh));
    expect(head.status).toBe(200);
    const offset = Number(head.headers['upload-offset']);
    // Nothing acknowledged is lost; the unacknowledged rest is sent again.
    expect(offset).toBeGreaterThanOrEqual(2 * CHUNK);
    expect(offset).toBeLessThan(data.length);

    const patches: number[] = [];
    const hook = (req: HttpRequest) => void (req.getMethod() === 'PATCH' && patches.push(Number(req.getHeader('Upload-Offset'))));
    const resumed = await tusUpload(b, fresh, data, { chunkSize: CHUNK, uploadUrl: new URL(path, b.url).href, onBeforeRequest: hook });
    expect(patches[0]).toBe(offset);
    const ben = await loggedIn(b.url, 'ben');
    const arrived = next(ben.socket, 'new message');
    expect(await request<SendOk>(again.socket, 'new message', { text: 'finally', attachments: [resumed.id] })).toMatchObject({ ok: true });
    expect((await arrived).attachments?.[0]).toMatchObject({ id: resumed.id, name: 'big.bin', size: data.length });
    const got = await download(b, await fileUrl(ben.socket, 'lobby', resumed.id));
    expect(sha256(got.body)).toBe(sha256(data));
  });
});
