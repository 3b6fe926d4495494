/**
 * What one typist costs each recipient is bounded (server/chat/typing.ts): a client alternating
 * typing and stop typing as fast as it can reaches the others at most twice a second, and an
 * ordinary indicator still goes out.
 */
import { describe, expect, it } from 'vitest';
import type { SendOk } from '../../../protocol/index';
import { collect, loggedIn, next, request } from '../../helpers/clients';
import { startRelay, useRelayCleanup } from '../../helpers/relay';

useRelayCleanup();

describe('typing notices', () => {
  it('reach each recipient at most twice a second per typist, however fast they are sent', async () => {
    const relay = await startRelay({ limits: { socketEvents: { capacity: 1000, perSecond: 1000 } } });
    const { socket: typist } = await loggedIn(relay.url, 'tess');
    const { socket: reader } = await loggedIn(relay.url, 'rob');
    const typing = collect(reader, 'typing');
    const stops = collect(reader, 'stop typing');

    const started = Date.now();
    for (let i = 0; i < 200; i++) {
      typist.emit('typing');
      typist.emit('stop typing');
    }
    // Everything the typist sent before this message reaches the reader before it.
    const marker = next(reader, 'new message');
    expect(await request<SendOk>(typist, 'new message', { text: 'done typing', clientId: 'typing-bound-1' })).toMatchObject({ ok: true });
    await marker;
    const seconds = Math.ceil((Date.now() - started) / 1000) + 1;
    expect(typing.length).toBeGreaterThan(0);
    expect(typing.length).toBeLessThanOrEqual(2 * seconds);
    expect(stops.length).toBeLessThanOrEqual(typing.length);
  });
});
