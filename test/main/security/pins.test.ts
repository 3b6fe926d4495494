/**
 * Certificate pins (main/security/pins.ts) with real certificates: what Electron's certificate hook
 * answers for pinned, expected, changed and unknown hosts, and which addresses may be pinned at all.
 */
import { describe, expect, it } from 'vitest';
import { ACCEPT, CertificatePins, CHROMIUM_DECIDES, isLanHost, NotLanError, originKey, REFUSE, type PinMap } from '../../../main/security/pins';
import type { TlsRefusal } from '../../../protocol/index';
import { identity } from '../../helpers/tls';

function pins(initial: PinMap = {}) {
  let stored = initial;
  const refusals: TlsRefusal[] = [];
  let t = 1000;
  const p = new CertificatePins({ read: () => stored, write: (next) => void (stored = next) }, (r) => void refusals.push(r), () => t++);
  return { p, refusals, stored: () => stored };
}

describe('certificate pins', () => {
  it('accepts only a pinned (proved) certificate at a LAN host, and refuses another there, loudly', async () => {
    const host = await identity('pin-host');
    const intruder = await identity('pin-intruder');
    const { p, refusals, stored } = pins();
    const origin = 'https://192.168.1.20:4000';
    // Nothing known of the host: Chromium decides (and refuses a self-signed certificate).
    expect(p.verify('192.168.1.20', host.cert, 'net::ERR_CERT_AUTHORITY_INVALID')).toBe(CHROMIUM_DECIDES);
    await p.trust(origin, host.fingerprint);
    // Per host, whatever the port: the hook is told the host only, and Chromium caches per host.
    expect(stored()).toEqual({ 'https://192.168.1.20': { fingerprint: host.fingerprint, pinnedAt: expect.any(Number) } });
    expect(p.pinned('https://192.168.1.20:5000')).toBe(host.fingerprint);
    expect(p.verify('192.168.1.20', host.cert, 'net::ERR_CERT_AUTHORITY_INVALID')).toBe(ACCEPT);
    expect(p.verify('192.168.1.20', intruder.cert, 'net::ERR_CERT_AUTHORITY_INVALID')).toBe(REFUSE);
    expect(refusals).toEqual([{ hostname: '192.168.1.20', presented: intruder.fingerprint, expected: [host.fingerprint], chromiumVerdict: 'net::ERR_CERT_AUTHORITY_INVALID' }]);
  });

  it('a new pin replaces the old one at its host, whichever port it came from; forgetting it hands the host back to Chromium', async () => {
    const host = await identity('pin-host');
    const rotated = await identity('pin-rotated');
    const origin = 'https://10.0.0.5:4000';
    const { p } = pins({ 'https://10.0.0.5': { fingerprint: host.fingerprint, pinnedAt: 1 } });
    expect(p.verify('10.0.0.5', rotated.cert, 'net::OK')).toBe(REFUSE);
    await p.trust(origin, rotated.fingerprint);
    expect(p.verify('10.0.0.5', rotated.cert, 'net::OK')).toBe(ACCEPT);
    expect(p.verify('10.0.0.5', host.cert, 'net::OK')).toBe(REFUSE);
    await p.forget(origin);
    expect(p.list()).toEqual([]);
    expect(p.verify('10.0.0.5', host.cert, 'net::OK')).toBe(CHROMIUM_DECIDES);
  });

  it('accepts this computer’s own hosted session without pinning it', async () => {
    const own = await identity('pin-own');
    const { p, stored } = pins();
    p.allow('https://127.0.0.1:4000', own.fingerprint);
    expect(p.verify('127.0.0.1', own.cert, 'net::ERR_CERT_AUTHORITY_INVALID')).toBe(ACCEPT);
    expect(stored()).toEqual({});
  });

  it('leaves cloud servers to Chromium and never pins a public name or plain http', async () => {
    const { p } = pins();
    expect(p.verify('chat.example.com', 'not even a certificate', 'OK')).toBe(CHROMIUM_DECIDES);
    await expect(p.trust('https://chat.example.com', 'a'.repeat(64))).rejects.toThrow(NotLanError);
    await expect(p.trust('http://192.168.1.20:4000', 'a'.repeat(64))).rejects.toThrow(NotLanError);
    await expect(p.trust('https://192.168.1.20:4000', 'not hex')).rejects.toThrow(NotLanError);
    expect(() => p.allow('https://8.8.8.8:443', 'a'.repeat(64))).toThrow(NotLanError);
  });

  it('refuses a certificate it cannot read for a pinned host', async () => {
    const host = await identity('pin-host');
    const { p, refusals } = pins({ 'https://192.168.1.20': { fingerprint: host.fingerprint, pinnedAt: 1 } });
    expect(p.verify('192.168.1.20', '-----BEGIN CERTIFICATE-----\ngarbage\n-----END CERTIFICATE-----', 'OK')).toBe(REFUSE);
    expect(refusals[0]).toMatchObject({ presented: '' });
  });

  it('keeps at most MAX_PINS pins, dropping the oldest', async () => {
    const { p, stored } = pins();
    for (let i = 0; i < 205; i++) await p.trust(`https://10.0.${Math.floor(i / 250)}.${i % 250}:4000`, i.toString(16).padStart(64, '0'));
    expect(Object.keys(stored())).toHaveLength(200);
    expect(stored()['https://10.0.0.0']).toBeUndefined();
    expect(stored()['https://10.0.0.204']).toBeDefined();
  });

  it.each([
    ['192.168.0.1', true],
    ['10.1.2.3', true],
    ['172.16.0.1', true],
    ['172.32.0.1', false],
    ['169.254.9.9', true],
    ['127.0.0.1', true],
    ['8.8.8.8', false],
    ['::1', true],
    ['fd00::1', true],
    ['2001:db8::1', false],
    ['anas-laptop', true],
    ['anas-laptop.local', true],
    ['chat.example.com', false],
  ])('%s is a LAN host: %s', (host, lan) => {
    expect(isLanHost(host)).toBe(lan);
  });

  it('keys pins by https host, lower-cased, without port, path or credentials', () => {
    expect(originKey('https://Anas-Laptop.local:4000/x?y')).toBe('https://anas-laptop.local');
    expect(originKey('https://u:p@192.168.1.2:4000')).toBeUndefined();
    expect(originKey('https://[fd00::1]:4000')).toBe('https://[fd00::1]');
  });
});
