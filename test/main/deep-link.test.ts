import { describe, expect, it } from 'vitest';
import { deepLinkFromArgv, parseDeepLink } from '../../main/deep-link';

const link = (query: string) => `parley://join?${query}`;
const u = (s: string) => encodeURIComponent(s);

describe('parseDeepLink', () => {
  it('reads url, room and code', () => {
    expect(parseDeepLink(link(`url=${u('http://192.168.1.20:3000')}&room=design-review&code=ab3-k9m`))).toEqual({
      ok: true,
      link: { url: 'http://192.168.1.20:3000', room: 'design-review', code: 'AB3K9M' },
    });
  });

  it('needs only the url', () => {
    expect(parseDeepLink(link(`url=${u('https://chat.example.com/')}`))).toEqual({ ok: true, link: { url: 'https://chat.example.com' } });
  });

  it('accepts the path forms of the scheme', () => {
    for (const raw of [`parley:join?url=${u('http://a.b')}`, `parley:///join?url=${u('http://a.b')}`, `PARLEY://JOIN?url=${u('http://a.b')}`, `parley://join/?url=${u('http://a.b')}`]) {
      expect(parseDeepLink(raw), raw).toEqual({ ok: true, link: { url: 'http://a.b' } });
    }
  });

  it('keeps a path prefix of the relay URL, drops query and fragment', () => {
    expect(parseDeepLink(link(`url=${u('https://example.com/parley/?x=1#y')}`))).toEqual({ ok: true, link: { url: 'https://example.com/parley' } });
  });

  it.each([
    ['javascript URL', link(`url=${u('javascript:alert(1)')}`)],
    ['file URL', link(`url=${u('file:///etc/passwd')}`)],
    ['ws URL', link(`url=${u('ws://host:3000')}`)],
    ['credentials', link(`url=${u('http://user:pw@host:3000')}`)],
    ['no url', link('room=lobby')],
    ['two urls', link(`url=${u('http://a.b')}&url=${u('http://c.d')}`)],
    ['bad room', link(`url=${u('http://a.b')}&room=${u('Bad Room!')}`)],
    ['DM room', link(`url=${u('http://a.b')}&room=${u('dm:aaaaaaaaaaaaaaaa:bbbbbbbbbbbbbbbb')}`)],
    ['code with look-alikes', link(`url=${u('http://a.b')}&code=O0I1L2`)],
    ['short code', link(`url=${u('http://a.b')}&code=ABC`)],
    ['unknown parameter', link(`url=${u('http://a.b')}&exec=calc`)],
    ['unknown action', `parley://open?url=${u('http://a.b')}`],
    ['other scheme', `https://join?url=${u('http://a.b')}`],
    ['not a URL', 'parley join'],
    ['too long', link(`url=${u(`http://a.b/${'x'.repeat(3000)}`)}`)],
  ])('refuses %s', (_what, raw) => {
    const result = parseDeepLink(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason.length).toBeGreaterThan(0);
  });
});

describe('deepLinkFromArgv', () => {
  it('finds the link among Electron and Chromium arguments (Windows/Linux second instance)', () => {
    const argv = ['/opt/Parley/parley', '--allow-file-access-from-files', '--original-process-start-time=1', link(`url=${u('http://10.0.0.5:3000')}&code=ABCDEF`)];
    expect(deepLinkFromArgv(argv)).toEqual({ ok: true, link: { url: 'http://10.0.0.5:3000', code: 'ABCDEF' } });
  });

  it('returns null when there is no link, and an error for a bad one', () => {
    expect(deepLinkFromArgv(['/usr/bin/electron', '.'])).toBeNull();
    expect(deepLinkFromArgv(['parley', 'parley://join?url=file:///x'])?.ok).toBe(false);
  });
});

describe('the fingerprint of an invite', () => {
  const FP = 'f6'.repeat(32);
  it('is read with an https url, in any usual spelling', () => {
    const colons = FP.toUpperCase().replace(/(..)(?=.)/g, '$1:');
    expect(parseDeepLink(link(`url=${u('https://192.168.1.20:4000')}&code=AB3K9M&fp=${u(colons)}`))).toEqual({ ok: true, link: { url: 'https://192.168.1.20:4000', code: 'AB3K9M', fingerprint: FP } });
  });

  it('is refused with a plain http url, twice, or malformed', () => {
    expect(parseDeepLink(link(`url=${u('http://192.168.1.20:4000')}&fp=${FP}`))).toMatchObject({ ok: false, reason: expect.stringContaining('https') });
    expect(parseDeepLink(link(`url=${u('https://192.168.1.20:4000')}&fp=${FP}&fp=${FP}`)).ok).toBe(false);
    expect(parseDeepLink(link(`url=${u('https://192.168.1.20:4000')}&fp=abc`)).ok).toBe(false);
  });
});
