/**
 * A full disk: the durable store runs in a small tmpfs the test mounts. Sends fail with UNAVAILABLE
 * (nothing acknowledged that is not on disk), what was acknowledged stays readable, sending works
 * again once there is room, and everything acknowledged is there after a restart.
 *
 * Mounting needs root and CAP_SYS_ADMIN (a CI container has them; the test says so and skips where
 * they are missing, rather than pretending).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, ParleyError, type ChatMessage } from '../../../../protocol/index';
import { createDurableStores } from '../../../../server/stores/durable/index';
import type { ChatStores } from '../../../../server/stores/types';

const mountPoint = mkdtempSync(join(tmpdir(), 'parley-full-'));
const mount = (size: string, remount = false) =>
  spawnSync('mount', ['-t', 'tmpfs', '-o', `${remount ? 'remount,' : ''}size=${size}`, 'tmpfs', mountPoint], { encoding: 'utf8' });
let mounted = false;

beforeAll(() => {
  const res = mount('1m');
  mounted = res.status === 0;
  if (!mounted) console.warn(`[disk-full] skipped: cannot mount a tmpfs here (${(res.stderr || res.error?.message || '').trim()})`);
});

afterAll(() => {
  if (mounted) spawnSync('umount', [mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

const open = (dataDir: string): Promise<ChatStores> =>
  createDurableStores({ dataDir, historyLimit: 100_000, lobby: 'lobby', userMessages: { capacity: 1e9, perSecond: 1e9 } });

describe('disk full', () => {
  it('refuses sends with UNAVAILABLE, keeps what was acknowledged, and recovers when there is room', async (ctx) => {
    if (!mounted) return ctx.skip();
    const dataDir = join(mountPoint, 'data');
    const stores = await open(dataDir);
    const acked: ChatMessage[] = [];
    let refusal: unknown;
    const text = 'x'.repeat(3900);
    for (let i = 0; i < 2000 && refusal === undefined; i++) {
      try {
        acked.push((await stores.history.append({ room: 'lobby', userId: 'user-ana', username: 'ana', message: `${i} ${text}`, clientId: `full-${String(i).padStart(5, '0')}` })).message);
      } catch (err) {
        refusal = err;
      }
    }
    expect(refusal, 'the 1 MiB disk filled up').toBeInstanceOf(ParleyError);
    expect((refusal as ParleyError).code).toBe(ErrorCode.UNAVAILABLE);
    expect(acked.length).toBeGreaterThan(10);
    // Reading still works, and holds exactly what was acknowledged.
    const page = await stores.history.page('lobby', { limit: 100_000 });
    expect(page.messages.map((m) => m.id)).toEqual(acked.map((m) => m.id));

    // Another send while the disk is still full fails the same way (the database cannot even be
    // reopened now), and reading says so instead of answering with a wrong page.
    await expect(stores.history.append({ room: 'lobby', userId: 'user-ana', username: 'ana', message: 'still full', clientId: 'full-again' })).rejects.toMatchObject({ code: ErrorCode.UNAVAILABLE });
    await expect(stores.history.page('lobby', { limit: 10 })).rejects.toMatchObject({ code: ErrorCode.UNAVAILABLE });

    // Room again: the next message is stored and acknowledged, and reading works again.
    expect(mount('8m', true).status).toBe(0);
    const after = await stores.history.append({ room: 'lobby', userId: 'user-ana', username: 'ana', message: 'room again', clientId: 'full-after' });
    expect((await stores.history.page('lobby', { limit: 100_000 })).messages.at(-1)?.id).toBe(after.message.id);
    expect(after.duplicate).toBe(false);
    await stores.close();

    const reopened = await open(dataDir);
    try {
      const ids = (await reopened.history.page('lobby', { limit: 100_000 })).messages.map((m) => m.id);
      // The message acknowledged after the failure too: it was not appended behind the torn record.
      expect(ids).toEqual([...acked.map((m) => m.id), after.message.id]);
    } finally {
      await reopened.close();
    }
  });
});
