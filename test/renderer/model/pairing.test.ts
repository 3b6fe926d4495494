/**
 * A client of an https LAN relay with a join code pairs before every connection
 * (renderer/model/relay-connection.ts): a refused proof is a typed ConnectFailure and no connection is
 * attempted; a host out of reach is retried like any unreachable relay.
 */
import { describe, expect, it } from 'vitest';
import type { LanPairResult } from '../../../protocol/index';
import { ChatClient } from '../../../renderer/model/chat-client';

const FP = 'a'.repeat(64);

function client(answer: LanPairResult, calls: string[] = []) {
  return new ChatClient({
    // Nothing listens on port 1: a connection attempt would fail as UNREACHABLE, not as the pairing says.
    url: 'https://127.0.0.1:1',
    nickname: 'Ana',
    key: 'k'.repeat(22),
    joinCode: 'ABC234',
    fingerprint: FP,
    transports: ['websocket'],
    pair: async (url, code, fingerprint) => {
      calls.push(`${url} ${code} ${fingerprint}`);
      return answer;
    },
  });
}

describe('pairing before connecting', () => {
  it.each<[LanPairResult, string]>([
    [{ ok: false, reason: 'WRONG_CODE_OR_HOST' }, 'HOST_NOT_PROVEN'],
    [{ ok: false, reason: 'CERTIFICATE_MISMATCH', expected: FP, presented: 'b'.repeat(64) }, 'CERTIFICATE_REFUSED'],
    [{ ok: false, reason: 'REFUSED', status: 429 }, 'LOCKED_OUT'],
    [{ ok: false, reason: 'UNREACHABLE' }, 'UNREACHABLE'],
  ])('%o fails the first connection with %s', async (answer, code) => {
    const calls: string[] = [];
    const c = client(answer, calls);
    await expect(c.start()).rejects.toMatchObject({ code });
    expect(calls).toEqual([`https://127.0.0.1:1 ABC234 ${FP}`]);
  });

  it('a changed certificate carries both fingerprints, for the warning', async () => {
    const c = client({ ok: false, reason: 'CERTIFICATE_CHANGED', pinned: FP, offered: 'c'.repeat(64) });
    await expect(c.start()).rejects.toMatchObject({ code: 'CERTIFICATE_CHANGED', certificates: { pinned: FP, offered: 'c'.repeat(64) } });
  });

  it('never puts the code in the handshake of an https relay', async () => {
    const c = client({ ok: false, reason: 'WRONG_CODE_OR_HOST' });
    await c.start().catch(() => undefined);
    expect(JSON.stringify((c as unknown as { relay: { socket: { auth: unknown } } }).relay.socket.auth)).not.toContain('ABC234');
  });
});
