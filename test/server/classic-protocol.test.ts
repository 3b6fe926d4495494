/**
 * The classic socket.io chat example's protocol, spoken by clients that behave like its browser client:
 * no handshake auth, polling first, bare-string payloads, no acknowledgements.
 */
import { describe, expect, it } from 'vitest';
import { classicClient, collect, connected, next, sleep, until } from '../helpers/clients';
import { startRelay, useRelayCleanup } from '../helpers/relay';

useRelayCleanup();

describe('classic chat protocol', () => {
  it('runs the classic flow with three clients: counts, broadcast, typing, user left', async () => {
    const relay = await startRelay();
    const [a, b, c] = [classicClient(relay.url), classicClient(relay.url), classicClient(relay.url)];
    await Promise.all([a, b, c].map(connected));

    const aLogin = next(a, 'login');
    a.emit('add user', 'ana');
    expect(await aLogin).toEqual({ numUsers: 1 });

    const aSeesBob = next(a, 'user joined');
    const bLogin = next(b, 'login');
    b.emit('add user', 'bob');
    expect((await bLogin).numUsers).toBe(2);
    expect(await aSeesBob).toMatchObject({ username: 'bob', numUsers: 2 });

    const joinsSeenByA = collect(a, 'user joined');
    const joinsSeenByB = collect(b, 'user joined');
    const joinsSeenByC = collect(c, 'user joined');
    c.emit('add user', 'cy');
    expect((await next(c, 'login')).numUsers).toBe(3);
    await until(() => joinsSeenByA.length === 1 && joinsSeenByB.length === 1, 3000, 'user joined');
    expect(joinsSeenByA[0]).toMatchObject({ username: 'cy', numUsers: 3 });
    expect(joinsSeenByC).toEqual([]);

    // A message goes to everyone but its sender, with the classic fields.
    const aMessages = collect(a, 'new message');
    const bGets = next(b, 'new message');
    const cGets = next(c, 'new message');
    a.emit('new message', 'hello all');
    expect(await bGets).toMatchObject({ username: 'ana', message: 'hello all' });
    expect(await cGets).toMatchObject({ username: 'ana', message: 'hello all' });
    await sleep(100);
    expect(aMessages).toEqual([]);

    const typing = next(b, 'typing');
    a.emit('typing');
    expect(await typing).toMatchObject({ username: 'ana' });
    const stop = next(c, 'stop typing');
    a.emit('stop typing');
    expect(await stop).toMatchObject({ username: 'ana' });

    const left = next(a, 'user left');
    c.disconnect();
    expect(await left).toMatchObject({ username: 'cy', numUsers: 2 });
  });

  it('clears a typing indicator when the typist disconnects', async () => {
    const relay = await startRelay();
    const [a, b] = [classicClient(relay.url), classicClient(relay.url)];
    await Promise.all([a, b].map(connected));
    a.emit('add user', 'ana');
    b.emit('add user', 'bob');
    await next(b, 'login');
    const typing = next(b, 'typing');
    a.emit('typing');
    await typing;
    const stop = next(b, 'stop typing');
    a.disconnect();
    expect(await stop).toMatchObject({ username: 'ana' });
  });

  it('serves the Socket.IO client bundle at the standard path', async () => {
    const relay = await startRelay();
    const res = await fetch(`${relay.url}/socket.io/socket.io.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(await res.text()).toContain('io');
  });
});
