/**
 * The main process proving a join code to a LAN host over TLS (main/security/lan-pairing.ts): real
 * relays over TLS, a real man in the middle on loopback, real certificate pins.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createLanPairing } from '../../../main/security/lan-pairing';
import { CertificatePins, type PinMap } from '../../../main/security/pins';
import { connected, parleyClient } from '../../helpers/clients';
import { startRelay, useRelayCleanup } from '../../helpers/relay';
import { identity, manInTheMiddle, type Mitm } from '../../helpers/tls';

useRelayCleanup();
const CODE = 'K7M2QX';
const mitms: Mitm[] = [];
afterEach(async () => {
  await Promise.all(mitms.splice(0).map((m) => m.close()));
});

async function setup(pinned: PinMap = {}) {
  let stored = pinned;
  const mismatches: [string, string, string][] = [];
  const pins = new CertificatePins({ read: () => stored, write: (next) => void (stored = next) });
  const pair = createLanPairing({ pins, onMismatch: (...m) => void mismatches.push(m) });
  return { pins, pair, mismatches, stored: () => stored };
}

describe('pairing from the main process', () => {
  it('proves the code to the host, pins its certificate, and the ticket opens a connection', async () => {
    const host = await identity('main-host');
    const relay = await startRelay({ tls: { cert: host.cert, key: host.key }, joinCode: CODE });
    const { pair, stored } = await setup();
    const result = await pair(relay.url, 'k7m-2qx', host.fingerprint);
    expect(result.ok).toBe(true);
    expect(stored()).toEqual({ 'https://127.0.0.1': { fingerprint: host.fingerprint, pinnedAt: expect.any(Number) } });
    if (result.ok) await connected(parleyClient(relay.url, { ca: host.cert, auth: result.auth }));
  });

  it('a wrong code pins nothing', async () => {
    const host = await identity('main-host');
    const relay = await startRelay({ tls: { cert: host.cert, key: host.key }, joinCode: CODE });
    const { pair, stored } = await setup();
    expect(await pair(relay.url, 'WRONG2', host.fingerprint)).toEqual({ ok: false, reason: 'WRONG_CODE_OR_HOST' });
    expect(stored()).toEqual({});
  });

  it('a man in the middle offering his own fingerprint: the proof fails, nothing is pinned, the code never crosses', async () => {
    const host = await identity('main-host');
    const intruder = await identity('main-intruder');
    const relay = await startRelay({ tls: { cert: host.cert, key: host.key }, joinCode: CODE });
    const mitm = await manInTheMiddle(relay.port!, intruder);
    mitms.push(mitm);
    const { pair, stored } = await setup();
    expect(await pair(mitm.url, CODE, intruder.fingerprint)).toEqual({ ok: false, reason: 'WRONG_CODE_OR_HOST' });
    expect(stored()).toEqual({});
    expect(mitm.seen()).not.toContain(CODE);
  });

  it('a man in the middle where the host’s certificate is expected: refused before anything is sent, and reported', async () => {
    const host = await identity('main-host');
    const intruder = await identity('main-intruder');
    const relay = await startRelay({ tls: { cert: host.cert, key: host.key }, joinCode: CODE });
    const mitm = await manInTheMiddle(relay.port!, intruder);
    mitms.push(mitm);
    const { pair, mismatches } = await setup();
    expect(await pair(mitm.url, CODE, host.fingerprint)).toEqual({ ok: false, reason: 'CERTIFICATE_MISMATCH', expected: host.fingerprint, presented: intruder.fingerprint });
    expect(mismatches).toEqual([['127.0.0.1', host.fingerprint, intruder.fingerprint]]);
    expect(mitm.seen()).not.toContain('/pair');
  });

  it('a host whose certificate changed: asked first, then replaced only when the code proves the new one', async () => {
    const old = await identity('main-host');
    const rotated = await identity('main-rotated');
    const relay = await startRelay({ tls: { cert: rotated.cert, key: rotated.key }, joinCode: CODE });
    // Pinned by an earlier session of this host on another port: a pin is the host's, whatever the port.
    const { pair, stored } = await setup({ 'https://127.0.0.1': { fingerprint: old.fingerprint, pinnedAt: 1 } });
    expect(await pair(relay.url, CODE, rotated.fingerprint)).toEqual({ ok: false, reason: 'CERTIFICATE_CHANGED', pinned: old.fingerprint, offered: rotated.fingerprint });
    expect(await pair(relay.url, 'WRONG2', rotated.fingerprint, { replace: true })).toEqual({ ok: false, reason: 'WRONG_CODE_OR_HOST' });
    expect(stored()['https://127.0.0.1']?.fingerprint).toBe(old.fingerprint);
    expect((await pair(relay.url, CODE, rotated.fingerprint, { replace: true })).ok).toBe(true);
    expect(stored()['https://127.0.0.1']?.fingerprint).toBe(rotated.fingerprint);
  });

  it('refuses public addresses and plain http outright', async () => {
    const { pair } = await setup();
    await expect(pair('https://chat.example.com', CODE, 'a'.repeat(64))).rejects.toThrow(/LAN addresses only/);
    await expect(pair('http://192.168.1.20:4000', CODE, 'a'.repeat(64))).rejects.toThrow(/LAN addresses only/);
  });
});
