/**
 * The harness's session.setCertificateVerifyProc, proved against real HTTPS relays with self-signed
 * certificates (a LAN host's kind) from a desktop's window: Chromium's own verdict when no proc is
 * set, a proc pinning one fingerprint accepting that certificate and no other, for fetch and
 * WebSockets alike, -3 and the verdict cache as Electron has them, and plain http still carried.
 * The app sets no proc yet: the tests set one on the session stand-in, as the main process will.
 */
import { rootCertificates } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { Page } from '@playwright/test';
import { createRelay, type Relay } from '../../../server/index';
import { createSelfSigned, type TlsIdentity } from '../../../server/tls/certificate';
import { normalizeFingerprint } from '../../../protocol/tls';
import { chromiumVerdict, type CertificateVerifyProc, type CertificateVerifyRequest } from '../harness/cert-verifier';
import { expect, test } from './support';

let ana: TlsIdentity;
let mallory: TlsIdentity;
/** Ana's relay (the certificate pinned below), on every interface so a LAN address reaches it too. */
let anaRelay: Relay;
/** Same kind of relay, another certificate: what a machine in the middle would present. */
let malloryRelay: Relay;
let plainRelay: Relay;

test.beforeAll(async ({ renderer }) => {
  [ana, mallory] = await Promise.all([createSelfSigned('Ana'), createSelfSigned('Mallory')]);
  // The window's origin in the harness is the renderer server's (app://parley in the app).
  const allowedOrigins = [renderer.origin];
  [anaRelay, malloryRelay, plainRelay] = await Promise.all([
    createRelay({ host: '0.0.0.0', tls: { cert: ana.cert, key: ana.key }, allowedOrigins }),
    createRelay({ tls: { cert: mallory.cert, key: mallory.key }, allowedOrigins }),
    createRelay({ allowedOrigins }),
  ]);
});

test.afterAll(async () => {
  await Promise.all([anaRelay?.close(), malloryRelay?.close(), plainRelay?.close()]);
});

const https = (relay: Relay) => `https://127.0.0.1:${relay.port}`;
const socketIo = (origin: string) => `${origin.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;
/** Electron's Certificate.fingerprint of an identity. */
const electronFingerprint = (id: TlsIdentity) => `sha256/${Buffer.from(id.fingerprint, 'hex').toString('base64')}`;
const lanAddress = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

/** Whether the page reaches `url` at all: /healthz sends no CORS headers, so an opaque answer is the success. */
const reach = (page: Page, url: string) => page.evaluate((u) => fetch(u, { mode: 'no-cors', cache: 'no-store' }).then(() => 'reached', () => 'failed'), url);
const openSocket = (page: Page, url: string) =>
  page.evaluate(
    (u) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(u);
        ws.onopen = () => {
          ws.close();
          resolve('open');
        };
        ws.onerror = () => resolve('error');
      }),
    url,
  );

/** A port nothing listens on (one just released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A proc as the app will write it: accept the certificate whose SHA-256 (of the PEM's DER) is pinned, refuse any other. */
function pinning(fingerprint: string, asked: CertificateVerifyRequest[]): CertificateVerifyProc {
  return (request, callback) => {
    asked.push(request);
    callback(normalizeFingerprint(new X509Certificate(request.certificate.data).fingerprint256) === fingerprint ? 0 : -2);
  };
}

test('the app’s own proc leaves a host it expects nothing of to Chromium: a self-signed relay is refused over https and wss', async ({ launch }) => {
  const desktop = await launch();
  const page = await desktop.page();

  expect(await reach(page, `${https(anaRelay)}/healthz`)).toBe('failed');
  expect(await openSocket(page, socketIo(https(anaRelay)))).toBe('error');
  // One verification: the WebSocket's handshake met the verdict cached for this certificate and host.
  expect(desktop.certificateChecks).toEqual([
    { hostname: '127.0.0.1', port: anaRelay.port, fingerprint: electronFingerprint(ana), verificationResult: 'net::ERR_CERT_AUTHORITY_INVALID', errorCode: -202, procResult: -3, decision: 'reject' },
  ]);
  expect(desktop.traffic.filter((t) => t.kind === 'tls').every((t) => t.allowed === false)).toBe(true);
});

test('a proc pinning a fingerprint: that certificate is reached over https and wss, another is refused', async ({ launch }) => {
  const desktop = await launch();
  const page = await desktop.page();
  const asked: CertificateVerifyRequest[] = [];
  desktop.session.setCertificateVerifyProc(pinning(ana.fingerprint, asked));

  expect(await reach(page, `${https(anaRelay)}/healthz`)).toBe('reached');
  expect(await openSocket(page, socketIo(https(anaRelay)))).toBe('open');
  expect(await reach(page, `${https(malloryRelay)}/healthz`)).toBe('failed');
  expect(await openSocket(page, socketIo(https(malloryRelay)))).toBe('error');

  // Asked once per certificate and host, with Electron's request: Chromium's verdict and the certificate.
  expect(asked).toHaveLength(2);
  const request = asked[0]!;
  expect(request).toMatchObject({ hostname: '127.0.0.1', verificationResult: 'net::ERR_CERT_AUTHORITY_INVALID', errorCode: -202, isIssuedByKnownRoot: false });
  expect(request.certificate).toMatchObject({ fingerprint: electronFingerprint(ana), subjectName: 'Ana', issuerName: 'Ana', subject: { commonName: 'Ana' } });
  expect(request.certificate.data).toBe(new X509Certificate(ana.cert).toString());
  expect(request.certificate.validExpiry).toBe(ana.notAfter.getTime() / 1000);
  expect('issuerCert' in request.certificate, 'a self-signed certificate has no issuerCert in Electron').toBe(false);
  expect(request.validatedCertificate).toEqual(request.certificate);
  expect(desktop.certificateChecks.map((c) => [c.port, c.procResult, c.decision])).toEqual([
    [anaRelay.port, 0, 'accept'],
    [malloryRelay.port, -2, 'reject'],
  ]);

  // A LAN address (when this machine has one) is another host name: asked again, named as the page wrote it.
  if (lanAddress) {
    expect(await reach(page, `https://${lanAddress}:${anaRelay.port}/healthz`)).toBe('reached');
    expect(asked.map((r) => r.hostname)).toEqual(['127.0.0.1', '127.0.0.1', lanAddress]);
  }
});

test('-3 keeps Chromium’s verdict, and verdicts stay cached across setCertificateVerifyProc, as in Electron', async ({ launch }) => {
  const desktop = await launch();
  const page = await desktop.page();
  desktop.session.setCertificateVerifyProc((_request, callback) => callback(-3));
  expect(await reach(page, `${https(anaRelay)}/healthz`)).toBe('failed');
  expect(desktop.certificateChecks.at(-1)).toMatchObject({ procResult: -3, decision: 'reject' });

  // electron/electron#41448: a new proc is not asked about a certificate and host already decided,
  // so the app must set its proc before any window reaches a LAN host.
  const asked: CertificateVerifyRequest[] = [];
  desktop.session.setCertificateVerifyProc((request, callback) => {
    asked.push(request);
    callback(0);
  });
  expect(await reach(page, `${https(anaRelay)}/healthz`)).toBe('failed');
  expect(await reach(page, `${https(malloryRelay)}/healthz`)).toBe('reached');
  expect(asked.map((r) => r.certificate.fingerprint)).toEqual([electronFingerprint(mallory)]);

  // null restores Chromium's verdict for what is not cached yet.
  desktop.session.setCertificateVerifyProc(null);
  expect(await reach(page, `https://localhost:${malloryRelay.port}/healthz`)).toBe('failed');
  expect(desktop.certificateChecks.at(-1)).toMatchObject({ hostname: 'localhost', procResult: null, decision: 'reject' });
});

test('plain http and ws go through the session’s proxy untouched; the renderer is not proxied', async ({ launch, renderer }) => {
  const desktop = await launch();
  const page = await desktop.page();
  // A host that is gone is a network error, as without the proxy, not an answer from the proxy.
  const gone = `127.0.0.1:${await closedPort()}`;
  expect(await reach(page, `http://${gone}/healthz`)).toBe('failed');
  expect(await openSocket(page, socketIo(`http://${gone}`))).toBe('error');
  expect(await reach(page, `https://${gone}/healthz`)).toBe('failed');

  expect(await reach(page, `${plainRelay.url}/healthz`)).toBe('reached');
  expect(await openSocket(page, socketIo(plainRelay.url))).toBe('open');
  const plain = new URL(plainRelay.url).host;
  expect(desktop.traffic).toEqual(expect.arrayContaining([{ kind: 'http', target: plain }, { kind: 'tunnel', target: plain }]));
  expect(desktop.traffic.some((t) => t.target === new URL(renderer.origin).host)).toBe(false);
  expect(desktop.certificateChecks).toEqual([]);
});

test('Chromium’s verdict as the harness computes it: trust first, then the name, then dates', async () => {
  const old = new Date();
  old.setFullYear(old.getFullYear() - 11);
  const expired = await createSelfSigned('Old', old);
  // OpenSSL reports an expired self-signed certificate as CERT_HAS_EXPIRED; Chromium as untrusted.
  expect(chromiumVerdict([new X509Certificate(expired.cert)], '127.0.0.1', 'CERT_HAS_EXPIRED')).toEqual({ verificationResult: 'net::ERR_CERT_AUTHORITY_INVALID', errorCode: -202, isIssuedByKnownRoot: false });
  // A root of Node's store is trusted; it names no web host, which outranks its being out of date.
  const root = new X509Certificate(rootCertificates[0]!);
  const later = Date.parse(root.validTo) + 86_400_000;
  expect(chromiumVerdict([root], 'example.com', undefined, later)).toEqual({ verificationResult: 'net::ERR_CERT_COMMON_NAME_INVALID', errorCode: -200, isIssuedByKnownRoot: true });
  expect(chromiumVerdict([new X509Certificate(ana.cert)], 'localhost')).toMatchObject({ errorCode: -202 });
});
