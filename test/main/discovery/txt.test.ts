import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../../protocol/index';
import { cleanLabel, encodeTxt, sessionFromService } from '../../../main/discovery/txt';

describe('TXT record', () => {
  it('carries name, host nickname, needsCode and protocol version', () => {
    expect(encodeTxt({ name: 'Design review', host: 'Ana', port: 4000, needsCode: true })).toEqual({ name: 'Design review', host: 'Ana', needsCode: '1', protocol: String(PROTOCOL_VERSION) });
  });

  it('never sends an invalid nickname or an overlong name', () => {
    const txt = encodeTxt({ name: 'x'.repeat(500), host: 'a\u202Eb', port: 4000, needsCode: false });
    expect(txt.name).toHaveLength(64);
    expect(txt.host).toBe('');
    expect(txt.needsCode).toBe('0');
  });
});

describe('sessionFromService', () => {
  const FP = 'e5'.repeat(32);
  const service = { name: 'parley-abc', port: 4000, addresses: ['10.0.0.9', 'fe80::1'], referer: { address: '192.168.1.20', family: 'IPv4' }, txt: { name: 'Team', host: 'Ana', needsCode: '1', protocol: '1', fp: FP } };

  it('builds a LanSession, preferring the address the announcement came from', () => {
    expect(sessionFromService(service)).toEqual({ id: 'parley-abc', name: 'Team', host: 'Ana', url: 'https://192.168.1.20:4000', needsCode: true, protocol: 1, fingerprint: FP });
  });

  it('falls back to an announced IPv4 address', () => {
    expect(sessionFromService({ ...service, referer: { address: 'fe80::2', family: 'IPv6' } })?.url).toBe('https://10.0.0.9:4000');
  });

  it('sanitises what strangers on the LAN send', () => {
    const session = sessionFromService({ ...service, txt: { name: '\u202Egnp.exe\u0000  Team\n', host: 'x'.repeat(300), needsCode: 'maybe', protocol: '99999', fp: FP } });
    expect(session).toMatchObject({ name: 'gnp.exe Team', host: '', needsCode: true, protocol: 0 });
  });

  it('assumes a code is needed unless told otherwise, and defaults the name', () => {
    expect(sessionFromService({ ...service, txt: { fp: FP } })).toMatchObject({ name: 'parley-abc', host: '', needsCode: true });
    expect(sessionFromService({ ...service, txt: { needsCode: '0' } })?.needsCode).toBe(false);
  });

  it('lists no session that asks for a code without a certificate: the code would go out in the clear to whoever advertised it', () => {
    expect(sessionFromService({ ...service, txt: { name: 'Team', host: 'Ana', needsCode: '1', protocol: '1' } })).toBeNull();
    expect(sessionFromService({ ...service, txt: undefined })).toBeNull();
  });

  it('ignores services without a usable address or port', () => {
    expect(sessionFromService({ ...service, referer: undefined, addresses: ['fe80::1'] })).toBeNull();
    expect(sessionFromService({ ...service, referer: undefined, addresses: ['127.0.0.1'] })).toBeNull();
    expect(sessionFromService({ ...service, port: 0 })).toBeNull();
    expect(sessionFromService({ ...service, port: 70000 })).toBeNull();
    expect(sessionFromService({ ...service, name: '' })).toBeNull();
  });

  it('reaches a session announced from loopback (hosted on this computer) by loopback, but never trusts a loopback A record', () => {
    expect(sessionFromService({ ...service, referer: { address: '127.0.0.1' }, addresses: ['192.0.2.7'] })?.url).toBe('https://127.0.0.1:4000');
    expect(sessionFromService({ ...service, referer: { address: '192.168.1.9' }, addresses: ['127.0.0.1'] })?.url).toBe('https://192.168.1.9:4000');
  });

  it('cleanLabel keeps real text and drops invisible characters', () => {
    expect(cleanLabel('  Café \u200B Lounge ')).toBe('Café Lounge');
    expect(cleanLabel('\u0000\u202E')).toBeNull();
  });
});

describe('the certificate fingerprint in the record', () => {
  const FP = 'e5'.repeat(32);
  const service = { name: 'parley-abc', port: 4000, referer: { address: '192.168.1.20', family: 'IPv4' }, txt: { name: 'Team', host: 'Ana', needsCode: '1', protocol: '1' } };

  it('is advertised by a TLS host and makes the session an https:// one', () => {
    expect(encodeTxt({ name: 'Team', host: 'Ana', port: 4000, needsCode: true, fingerprint: FP }).fp).toBe(FP);
    expect(sessionFromService({ ...service, txt: { ...service.txt, fp: FP.toUpperCase() } })).toMatchObject({ url: 'https://192.168.1.20:4000', fingerprint: FP });
  });

  it('leaves an open host (no code) without one on plain http', () => {
    const open = { ...service, txt: { ...service.txt, needsCode: '0' } };
    expect(sessionFromService(open)).not.toHaveProperty('fingerprint');
    expect(sessionFromService(open)?.url).toBe('http://192.168.1.20:4000');
  });

  it('drops a record whose fingerprint is malformed, rather than downgrade it to plain http', () => {
    expect(sessionFromService({ ...service, txt: { ...service.txt, fp: 'e5'.repeat(31) } })).toBeNull();
    expect(sessionFromService({ ...service, txt: { ...service.txt, fp: '<script>' } })).toBeNull();
  });
});
