/** Behind a reverse proxy: forwarded headers are believed only when configured, and only the proxy's own entries. */
import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { clientAddress, publicOrigin, requestHost, requestScheme, toHops } from '../../../server/http/forwarded';
import { httpGet } from '../../helpers/net';
import { startRelay, useRelayCleanup } from '../../helpers/relay';
import { PROTOCOL_VERSION } from '../../../protocol/index';

useRelayCleanup();

function req(headers: Record<string, string>, remote = '10.0.0.4'): IncomingMessage {
  return { headers, socket: { remoteAddress: remote } } as unknown as IncomingMessage;
}

describe('forwarded headers', () => {
  it('are ignored without trusted proxies', () => {
    const r = req({ 'x-forwarded-for': '1.2.3.4', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example', host: 'relay:3000' });
    expect(clientAddress(r, 0)).toBe('10.0.0.4');
    expect(requestScheme(r, 0)).toBe('http');
    expect(requestHost(r, 0)).toBe('relay:3000');
  });

  it('take the entry the trusted proxy appended, not one the client forged', () => {
    const r = req({ 'x-forwarded-for': '6.6.6.6, 203.0.113.5:61234' });
    expect(clientAddress(r, 1)).toBe('203.0.113.5');
    expect(clientAddress(r, 2)).toBe('6.6.6.6');
    expect(clientAddress(req({ 'x-forwarded-for': '[2001:db8::1]:443' }), 1)).toBe('2001:db8::1');
  });

  it('build the public origin behind TLS termination, including App Gateway host rewriting', () => {
    expect(publicOrigin(req({ host: 'app-internal:8080', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'Chat.Example.com' }), 1)).toBe('https://chat.example.com');
    expect(publicOrigin(req({ host: 'backend.azurewebsites.net', 'x-forwarded-proto': 'https', 'x-original-host': 'chat.example.com' }), 1)).toBe('https://chat.example.com');
    expect(toHops(true)).toBe(1);
    expect(toHops(false)).toBe(0);
    expect(toHops(3)).toBe(3);
  });
});

describe('relay behind a proxy', () => {
  it('reports its public URL on /healthz and accepts pages from the public origin', async () => {
    const relay = await startRelay({ trustProxy: true, allowedHosts: ['chat.example.com'], healthDetails: 'public' });
    const headers = { host: `127.0.0.1:${relay.port}`, 'x-forwarded-proto': 'https', 'x-forwarded-host': 'chat.example.com', 'x-forwarded-for': '198.51.100.7' };
    const health = await httpGet({ port: relay.port! }, '/healthz', headers);
    expect(JSON.parse(health.body).url).toBe('https://chat.example.com');
    // The browser's Origin is the public one; the relay compares it with the forwarded host.
    const ok = await httpGet({ port: relay.port! }, '/socket.io/?EIO=4&transport=polling', { ...headers, origin: 'https://chat.example.com' });
    expect(ok.status).toBe(200);
    const foreign = await httpGet({ port: relay.port! }, '/socket.io/?EIO=4&transport=polling', { ...headers, origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
  });

  it('ignores the same headers when not told to trust a proxy', async () => {
    const relay = await startRelay({ healthDetails: 'public' });
    const headers = { host: `127.0.0.1:${relay.port}`, 'x-forwarded-proto': 'https', 'x-forwarded-host': 'chat.example.com' };
    expect(JSON.parse((await httpGet({ port: relay.port! }, '/healthz', headers)).body).url).toBe(`http://127.0.0.1:${relay.port}`);
    const spoofed = await httpGet({ port: relay.port! }, `/socket.io/?EIO=4&transport=polling&v=${PROTOCOL_VERSION}`, { ...headers, origin: 'https://chat.example.com' });
    expect(spoofed.status).toBe(403);
  });
});
