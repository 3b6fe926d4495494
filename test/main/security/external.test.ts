import { describe, expect, it, vi } from 'vitest';
import { createExternalOpener, vetExternalUrl } from '../../../main/security/external';

describe('vetExternalUrl', () => {
  it('allows web and mail links', () => {
    expect(vetExternalUrl('https://example.com/a?b=c#d')).toBe('https://example.com/a?b=c#d');
    expect(vetExternalUrl('http://192.168.1.5:3000/')).toBe('http://192.168.1.5:3000/');
    expect(vetExternalUrl('mailto:ana@example.com?subject=hi')).toBe('mailto:ana@example.com?subject=hi');
  });

  it.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'file:///C:/Windows/System32/calc.exe',
    'smb://evil/share',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox',
    'ms-msdt:/id PCWDiagnostic',
    'search-ms:query=x',
    'parley://join?url=http://a',
    'app://parley/index.html',
    'chrome://settings',
    'http://user:pw@example.com/',
    'https://exa mple.com/',
    'https://example.com/\u0000',
    ' https://example.com/',
    'not a url',
    '',
  ])('refuses %j', (url) => {
    expect(vetExternalUrl(url)).toBeNull();
  });

  it('refuses non-strings and huge URLs', () => {
    expect(vetExternalUrl(42)).toBeNull();
    expect(vetExternalUrl({ toString: () => 'https://x.y' })).toBeNull();
    expect(vetExternalUrl(`https://example.com/${'a'.repeat(5000)}`)).toBeNull();
  });
});

describe('createExternalOpener', () => {
  it('calls the OS opener only with vetted URLs', async () => {
    const open = vi.fn(async () => undefined);
    const opener = createExternalOpener(open);
    expect(await opener('https://example.com')).toBe(true);
    expect(await opener('file:///etc/passwd')).toBe(false);
    expect(open).toHaveBeenCalledTimes(1);
    expect(open).toHaveBeenCalledWith('https://example.com/');
  });

  it('reports a failing opener as false rather than throwing', async () => {
    const opener = createExternalOpener(async () => {
      throw new Error('no browser');
    });
    expect(await opener('https://example.com')).toBe(false);
  });
});
