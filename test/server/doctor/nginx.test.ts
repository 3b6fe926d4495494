/**
 * nginx in front of a relay. Without `proxy_http_version 1.1` and the Upgrade/Connection headers
 * (nginx's defaults), the WebSocket request reaches the relay as a plain GET: the doctor fails the
 * websocket check with the nginx lines to add, and the checks that need a session fall back to
 * polling as Parley clients do. The same nginx with those lines passes everything.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { troubleshootingAnchor, type DoctorReport } from '../../../protocol/diagnostics';
import { runDoctor } from '../../../server/doctor/index';
import { Nginx } from '../../helpers/nginx';
import { startRelay, useRelayCleanup } from '../../helpers/relay';

useRelayCleanup();
let nginx: Nginx | undefined;
afterEach(async () => {
  await nginx?.stop();
});

const check = (r: DoctorReport, id: string) => r.checks.find((c) => c.id === id)!;

function proxyTo(relayUrl: string, upgrade: boolean): (port: number) => string {
  return (port) =>
    [
      '  server {',
      `    listen 127.0.0.1:${port};`,
      '    location / {',
      `      proxy_pass ${relayUrl};`,
      ...(upgrade ? ['      proxy_http_version 1.1;', '      proxy_set_header Upgrade $http_upgrade;', '      proxy_set_header Connection "upgrade";'] : []),
      '    }',
      '  }',
    ].join('\n');
}

describe('connection doctor: nginx in front', () => {
  it('without the upgrade headers: websocket fails with the nginx fix; protocol and latency still answer over polling', async () => {
    const relay = await startRelay();
    nginx = await Nginx.start(proxyTo(relay.url, false));
    const report = await runDoctor(nginx.url, { from: 'cli', idleSeconds: 5 });
    const ws = check(report, 'websocket');
    expect(ws.status).toBe('fail');
    expect(ws.detail).toMatch(/without its Upgrade header .*drops the Upgrade and Connection headers/);
    expect(ws.hint).toContain('proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade";');
    expect(ws.hint).toContain('Web sockets On');
    expect(ws.hint!.endsWith(troubleshootingAnchor('websocket'))).toBe(true);
    expect(check(report, 'idle')).toMatchObject({ status: 'skip', detail: 'Not run: the websocket check failed.' });
    expect(check(report, 'latency')).toMatchObject({ status: 'ok', detail: expect.stringContaining('(HTTP long-polling)') });
    expect(check(report, 'protocol')).toMatchObject({ status: 'ok', detail: expect.stringContaining('over HTTP long-polling') });
    expect(report.checks.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual(['websocket']);
  });

  it('with proxy_http_version 1.1 and the Upgrade/Connection headers: no check fails', async () => {
    const relay = await startRelay({ pingIntervalMs: 500 });
    nginx = await Nginx.start(proxyTo(relay.url, true));
    const report = await runDoctor(nginx.url, { from: 'cli', idleSeconds: 1 });
    expect(report.checks.filter((c) => c.status === 'fail' || c.status === 'warn')).toEqual([]);
    expect(check(report, 'websocket').detail).toMatch(/^Upgraded to WebSocket/);
  });
});
