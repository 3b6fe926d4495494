/**
 * Message text must be well-formed Unicode. A lone surrogate survives JSON but not UTF-8: Redis (and
 * any UTF-8 store) would keep U+FFFD instead, so the stored message would differ from the one that
 * was acknowledged. It is refused with a typed error, to the sender only.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCode, type ChatMessage, type SendOk } from '../../protocol/index';
import { collect, loggedIn, request, until } from '../helpers/clients';
import { startRelay, useRelayCleanup } from '../helpers/relay';

useRelayCleanup();

describe('well-formed text', () => {
  it('refuses a message with a lone surrogate; bystanders and history are unaffected', async () => {
    const relay = await startRelay();
    const { socket: ana } = await loggedIn(relay.url, 'ana');
    const { socket: bob } = await loggedIn(relay.url, 'bob');
    const seen = collect(bob, 'new message');
    for (const text of ['half \uD83D pair', 'trailing \uDE00', '\uDC00 leading']) {
      const res = await request<SendOk>(ana, 'new message', { text });
      expect(res, text).toMatchObject({ ok: false, code: ErrorCode.INVALID_PAYLOAD });
    }
    // A real pair (an emoji) is fine, and is the only thing anyone received.
    expect(await request<SendOk>(ana, 'new message', { text: 'pair \uD83D\uDE00 ok' })).toMatchObject({ ok: true });
    // Delivery keeps the sender's order: had a refused message been broadcast, it would be here first.
    await until(() => seen.length >= 1, 3000, 'the good message');
    expect(seen.map((m: ChatMessage) => m.message)).toEqual(['pair \uD83D\uDE00 ok']);
  });
});
