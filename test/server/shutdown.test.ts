/** Graceful shutdown: refuse new work, tell connected clients, close their connections, release the port. */
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../protocol/index';
import { classicClient, connected, loggedIn, next, parleyClient, request } from '../helpers/clients';
import { startRelay, useRelayCleanup } from '../helpers/relay';

useRelayCleanup();

describe('relay.close()', () => {
  it('tells clients, disconnects them, and frees the port', async () => {
    const relay = await startRelay({ shutdownGraceMs: 100 });
    const { socket: parley } = await loggedIn(relay.url, 'ana');
    const classic = classicClient(relay.url);
    await connected(classic);
    const notices = [next(parley, 'server:shutdown'), next(classic, 'server:shutdown')];
    const disconnects = [parley, classic].map((s) => new Promise<string>((r) => s.once('disconnect', r)));
    const closing = relay.close();
    // Logins that arrive while the relay drains are refused rather than half-registered.
    const late = parleyClient(relay.url);
    const lateResult = new Promise((resolve) => {
      late.once('connect', () => void request(late, 'add user', { username: 'late' }).then(resolve, resolve));
      late.once('connect_error', () => resolve('refused'));
    });
    for (const notice of await Promise.all(notices)) expect(notice.reconnectAfterMs).toBeGreaterThan(0);
    expect(await Promise.all(disconnects)).toEqual(['io server disconnect', 'io server disconnect']);
    await closing;
    const outcome = await lateResult;
    expect(outcome === 'refused' || (outcome as { code?: string }).code === ErrorCode.SHUTTING_DOWN).toBe(true);
    await expect(fetch(`${relay.url}/healthz`)).rejects.toThrow();
    // close() is idempotent.
    await relay.close();
  });
});
