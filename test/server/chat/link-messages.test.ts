/**
 * `new message` with a link part (protocol/link.ts), sent by hand as a hostile or broken link
 * would: every refusal is typed and goes to that client only, nothing is stored for it, and a
 * message arriving twice by its origin is stored once. Classic pages see where it came from.
 */
import { describe, expect, it } from 'vitest';
import { LINK_HOPS_MAX, MESSAGE_MAX, type SendOk } from '../../../protocol/index';
import { userIdFromKey } from '../../../protocol/identity';
import { classicClient, connected, loggedIn, newKey, next, request } from '../../helpers/clients';
import { startRelay, useRelayCleanup } from '../../helpers/relay';
import { historyOf } from '../../helpers/rooms';

useRelayCleanup();

const ORIGIN = '01JEXAMPLEORIGIN00000000AA';
const OTHER_RELAY = 'other-relay-1';

const lobby = (socket: Parameters<typeof historyOf>[0]) => historyOf(socket, 'lobby');

describe('link messages', () => {
  it('are stored under the author with the sender as via, once per origin whoever sends them', async () => {
    const relay = await startRelay();
    const { socket: linkA } = await loggedIn(relay.url, 'site-a');
    const { socket: linkB } = await loggedIn(relay.url, 'site-b');
    const link = { author: 'Ana', origin: ORIGIN, hops: [OTHER_RELAY] };
    const first = await request<SendOk>(linkA, 'new message', { text: 'hi', link });
    const second = await request<SendOk>(linkB, 'new message', { text: 'hi', link });
    expect(first).toMatchObject({ ok: true, duplicate: false });
    expect(second).toMatchObject({ ok: true, duplicate: true });
    if (!first.ok || !second.ok) return;
    expect(second.id).toBe(first.id);
    const stored = (await lobby(linkA)).filter((m) => m.message === 'hi');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ username: 'Ana', via: 'site-a', origin: ORIGIN, hops: [OTHER_RELAY] });
  });

  it('reach classic pages with where they came from in the nickname', async () => {
    const relay = await startRelay();
    const classic = classicClient(relay.url);
    await connected(classic);
    classic.emit('add user', 'old-page');
    await next(classic, 'login');
    const { socket: link } = await loggedIn(relay.url, 'site-a');
    const arriving = next(classic, 'new message');
    await request(link, 'new message', { text: 'hello', link: { author: 'Ana', origin: ORIGIN, hops: [OTHER_RELAY] } });
    expect(await arriving).toMatchObject({ username: 'Ana (via site-a)', message: 'hello' });
  });

  it('come only from the links a relay lists, when it lists them (LINK_ACCEPT)', async () => {
    const linkKey = newKey();
    const relay = await startRelay({ linkSenders: [userIdFromKey(linkKey)] });
    const { socket: link } = await loggedIn(relay.url, 'site-a', { key: linkKey });
    const { socket: other } = await loggedIn(relay.url, 'mallory');
    const part = { author: 'Ana', origin: ORIGIN, hops: [OTHER_RELAY] };
    expect(await request(other, 'new message', { text: 'forged', link: part })).toMatchObject({ ok: false, code: 'LINK_NOT_ACCEPTED' });
    expect(await request(link, 'new message', { text: 'real', link: part })).toMatchObject({ ok: true, duplicate: false });
    expect((await lobby(other)).filter((m) => m.origin === ORIGIN).map((m) => m.message)).toEqual(['real']);
  });

  it('are refused with a typed error, to that client only, and nothing is stored', async () => {
    const relay = await startRelay();
    const { socket: hostile, login } = await loggedIn(relay.url, 'mallory');
    const { socket: bystander, login: ben } = await loggedIn(relay.url, 'ben');
    const seenByBystander: unknown[] = [];
    bystander.on('new message', (m) => seenByBystander.push(m));
    const base = { author: 'Ana', origin: ORIGIN, hops: [OTHER_RELAY] };
    const cases: [string, unknown, string][] = [
      ['a loop (this relay in its hops)', { text: 'x', link: { ...base, hops: [OTHER_RELAY, login.relay] } }, 'INVALID_PAYLOAD'],
      ['too many hops', { text: 'x', link: { ...base, hops: Array.from({ length: LINK_HOPS_MAX + 1 }, (_, i) => `relay-id-${i}`) } }, 'INVALID_PAYLOAD'],
      ['no hops', { text: 'x', link: { ...base, hops: [] } }, 'INVALID_PAYLOAD'],
      ['a malformed origin', { text: 'x', link: { ...base, origin: 'no spaces allowed' } }, 'INVALID_PAYLOAD'],
      ['an invalid author', { text: 'x', link: { ...base, author: '   ' } }, 'INVALID_NICKNAME'],
      ['an oversized text', { text: 'y'.repeat(MESSAGE_MAX + 1), link: base }, 'TOO_LARGE'],
      ['a direct message', { text: 'x', to: ben.userId, link: base }, 'INVALID_PAYLOAD'],
    ];
    for (const [what, payload, code] of cases) {
      const res = await request(hostile, 'new message', payload);
      expect(res, what).toMatchObject({ ok: false, code });
    }
    // The bystander's view: nothing arrived; the relay still serves both.
    expect((await lobby(bystander)).some((m) => m.message === 'x')).toBe(false);
    expect(seenByBystander).toEqual([]);
    const ok = await request<SendOk>(hostile, 'new message', { text: 'still here' });
    expect(ok.ok).toBe(true);
  });
});
