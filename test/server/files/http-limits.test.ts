/**
 * One address cannot flood /uploads and /files: past its request rate or its requests in flight it
 * gets 429 with Retry-After and a RATE_LIMITED reason, while other addresses, loopback (this
 * computer) and the chat go on. Addresses come from X-Forwarded-For through a trusted proxy hop.
 */
import { request as httpRequest, type ClientRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { loggedIn } from '../../helpers/clients';
import { createUpload, raw, tusHeaders, uploadToken } from '../../helpers/files';
import { startRelay, useRelayCleanup } from '../../helpers/relay';

useRelayCleanup();

const from = (ip: string, headers: Record<string, string | number> = {}) => ({ 'x-forwarded-for': ip, ...headers });

describe('file HTTP limits per address', () => {
  it('refuses an address past its request rate with 429 and Retry-After; others are unaffected', async () => {
    const relay = await startRelay({ trustProxy: 1, fileHttpLimits: { requests: { capacity: 5, perSecond: 0.01 } } });
    for (let i = 0; i < 5; i++) expect((await raw(relay, 'HEAD', '/uploads/AAAAAAAAAAAAAAAAAAAA', from('203.0.113.7'))).status).toBe(401);
    const refused = await raw(relay, 'GET', '/files/AAAAAAAAAAAAAAAAAAAA?c=lobby&e=1&s=x', from('203.0.113.7', { origin: relay.url }));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused.body.toString()).toMatch(/^RATE_LIMITED: Too many file requests/);

    // Another address, and this computer, are still answered on their merits.
    expect((await raw(relay, 'HEAD', '/uploads/AAAAAAAAAAAAAAAAAAAA', from('203.0.113.8'))).status).toBe(401);
    expect((await raw(relay, 'HEAD', '/uploads/AAAAAAAAAAAAAAAAAAAA')).status).toBe(401);
    // The chat is not behind this limit.
    const { socket } = await loggedIn(relay.url, 'ana');
    expect((await uploadToken(socket)).token).toBeTruthy();
  });

  it('holds an address to its requests in flight; a finished request frees its place', async () => {
    const relay = await startRelay({ trustProxy: 1, fileHttpLimits: { inFlight: 2 } });
    const { socket } = await loggedIn(relay.url, 'ana');
    const { token } = await uploadToken(socket);
    // Two slow uploads: headers sent, body withheld, so tus waits on them.
    const slow: ClientRequest[] = [];
    for (let i = 0; i < 2; i++) {
      const { path } = await createUpload(relay, token, 1000);
      const req = httpRequest(new URL(path, relay.url), {
        method: 'PATCH',
        headers: tusHeaders(token, { 'upload-offset': 0, 'content-type': 'application/offset+octet-stream', 'content-length': 1000, ...from('198.51.100.4') }),
      });
      req.on('error', () => {});
      req.write(Buffer.alloc(10));
      slow.push(req);
    }
    const probe = () => raw(relay, 'GET', '/files/AAAAAAAAAAAAAAAAAAAA?c=lobby&e=1&s=x', from('198.51.100.4'));
    let third = await probe();
    // The two PATCHes may still be on their way in; ask until they hold both places.
    for (let i = 0; third.status !== 429 && i < 100; i++) third = await probe();
    expect(third.status).toBe(429);
    expect(third.body.toString()).toMatch(/^RATE_LIMITED: At most 2 file requests at once/);
    expect((await raw(relay, 'HEAD', '/uploads/AAAAAAAAAAAAAAAAAAAA', from('198.51.100.5'))).status).toBe(401);

    for (const req of slow) req.destroy();
    // The relay frees the places when it sees the connections close: ask until it has.
    const deadline = Date.now() + 10_000;
    let after = third;
    while (after.status === 429 && Date.now() < deadline) after = await probe();
    expect(after.status).toBe(403);
  });
});
