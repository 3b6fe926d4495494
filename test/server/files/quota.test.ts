/** Quota accounting: declared lengths count at once, per user and in total; releases give them back. */
import { describe, expect, it } from 'vitest';
import { UploadQuota } from '../../../server/files/quota';

describe('UploadQuota', () => {
  it('refuses what would pass a user share or the total, and counts nothing it refused', () => {
    const q = new UploadQuota({ total: 100, perUser: 60 });
    expect(q.reserve('a1', 'ana', 50)).toBeUndefined();
    expect(q.reserve('a2', 'ana', 11)).toEqual({ scope: 'user', limit: 60, used: 50 });
    expect(q.remaining('ana')).toBe(10);
    expect(q.reserve('b1', 'bob', 51)).toEqual({ scope: 'relay', limit: 100, used: 50 });
    expect(q.reserve('b1', 'bob', 40)).toBeUndefined();
    expect(q.remaining('bob')).toBe(10);
    q.release('a1');
    q.release('a1');
    expect(q.remaining('ana')).toBe(60);
    expect(q.remaining('bob')).toBe(20);
  });

  it('counts what exists at start even over the limits, and a reservation once', () => {
    const q = new UploadQuota({ total: 10, perUser: 5 });
    q.count('x', 'ana', 50);
    expect(q.remaining('ana')).toBe(0);
    expect(q.remaining('bob')).toBe(0);
    q.release('x');
    expect(q.reserve('y', 'bob', 5)).toBeUndefined();
    expect(q.reserve('y', 'bob', 5)).toBeUndefined();
    expect(q.remaining('carl')).toBe(5);
  });
});

describe('unsent uploads expire', () => {
  it('a finished upload never sent goes after the window and frees its quota; a sent one stays', async () => {
    const { startRelay } = await import('../../helpers/relay');
    const { loggedIn, request, sleep } = await import('../../helpers/clients');
    const { bytes, uploaded, uploadToken, fileUrl } = await import('../../helpers/files');
    // Each file is 600 bytes of a 1,000-byte share: two cannot be held at once.
    const relay = await startRelay({ unattachedUploadMs: 1500, uploadQuotaBytes: 10_000, uploadUserQuotaBytes: 1000 });
    try {
      const ana = await loggedIn(relay.url, 'ana');
      const kept = await uploaded(relay, ana.socket, bytes(300, 1), 'kept.bin');
      expect(await request(ana.socket, 'new message', { text: 'here it is', attachments: [kept] })).toMatchObject({ ok: true });
      const unsent = await uploaded(relay, ana.socket, bytes(600, 2), 'unsent.bin');
      // Over the share while the unsent one is held…
      await expect(uploaded(relay, ana.socket, bytes(600, 3), 'next.bin')).rejects.toThrow();
      // …until the sweep (every second at the least) removes it.
      const gone = async () => !(await request(ana.socket, 'file:url', { room: 'lobby', id: unsent })).ok;
      // Asked a few times a second (each ask is a request under the socket's rate limit), up to 15 s.
      const end = Date.now() + 15_000;
      while (!(await gone())) {
        if (Date.now() > end) throw new Error('the unsent upload did not expire');
        await sleep(200);
      }
      expect((await fileUrl(ana.socket, 'lobby', kept)).url).toMatch(/^\/files\//);
      expect((await uploadToken(ana.socket)).token).toBeTruthy();
      await uploaded(relay, ana.socket, bytes(600, 3), 'next.bin');
    } finally {
      await relay.close();
    }
  });
});
