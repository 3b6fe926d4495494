/**
 * One origin list for the handshake check (allowRequest) and the CORS grant: they agree on every
 * listed origin, and differ only where they must (a page the relay served itself passes the
 * handshake and needs no CORS grant). The relay-level behaviour is in test/security/cross-site-handshake.test.ts.
 */
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { corsOrigin, DESKTOP_RENDERER_ORIGIN, originPolicy } from '../../../server/http/origin';

function request(host: string): IncomingMessage {
  const req = new IncomingMessage(new Socket());
  req.headers = { host };
  return req;
}

function granted(allowed: readonly string[] | '*', origin: string | undefined): Promise<boolean | undefined> {
  return new Promise((resolve, reject) => corsOrigin(allowed)(origin, (err, allow) => (err ? reject(err) : resolve(allow))));
}

describe('origin policy', () => {
  const allowed = ['https://chat.example.com', 'http://localhost:5173/'];
  const req = request('127.0.0.1:3000');

  it('the handshake check and the CORS grant agree on listed, unlisted and absent origins', async () => {
    const policy = originPolicy(allowed);
    const cases: [string | undefined, boolean][] = [
      [undefined, true],
      [DESKTOP_RENDERER_ORIGIN, true],
      ['HTTPS://CHAT.EXAMPLE.COM', true],
      ['http://localhost:5173', true],
      ['https://evil.example', false],
      ['app://parley.evil.example', false],
      ['http://localhost:5174', false],
    ];
    for (const [origin, expected] of cases) {
      expect(policy(origin, req), String(origin)).toBe(expected);
      expect(await granted(allowed, origin), String(origin)).toBe(expected);
    }
  });

  it('a page from the relay itself passes the handshake and gets no CORS grant (it needs none)', async () => {
    expect(originPolicy(allowed)('http://127.0.0.1:3000', req)).toBe(true);
    expect(await granted(allowed, 'http://127.0.0.1:3000')).toBe(false);
  });

  it("'*' allows every page in both", async () => {
    expect(originPolicy('*')('https://evil.example', req)).toBe(true);
    expect(await granted('*', 'https://evil.example')).toBe(true);
  });
});
