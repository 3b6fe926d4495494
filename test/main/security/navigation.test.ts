import { describe, expect, it } from 'vitest';
import { decideWindowOpen, shouldBlockNavigation } from '../../../main/security/navigation';

const prod = { devServer: null };

describe('navigation guard', () => {
  it('lets the renderer reload itself', () => {
    expect(shouldBlockNavigation('app://parley/index.html', prod)).toBe(false);
    expect(shouldBlockNavigation('app://parley/index.html#room', prod)).toBe(false);
  });

  it('blocks everything else', () => {
    for (const url of ['https://example.com', 'http://192.168.1.5:3000/', 'file:///etc/passwd', 'app://other/', 'javascript:alert(1)', 'about:blank', 'data:text/html,x']) {
      expect(shouldBlockNavigation(url, prod), url).toBe(true);
    }
  });

  it('allows the dev server only in development', () => {
    expect(shouldBlockNavigation('http://localhost:5173/', { devServer: 'http://localhost:5173' })).toBe(false);
    expect(shouldBlockNavigation('http://localhost:5173/', prod)).toBe(true);
  });
});

describe('window.open', () => {
  it('never opens an Electron window; web links go to the system browser', () => {
    expect(decideWindowOpen('https://example.com/x')).toEqual({ action: 'deny', openExternally: 'https://example.com/x' });
    expect(decideWindowOpen('mailto:a@b.c')).toEqual({ action: 'deny', openExternally: 'mailto:a@b.c' });
    expect(decideWindowOpen('file:///etc/passwd')).toEqual({ action: 'deny', openExternally: null });
    expect(decideWindowOpen('app://parley/index.html')).toEqual({ action: 'deny', openExternally: null });
    expect(decideWindowOpen('about:blank')).toEqual({ action: 'deny', openExternally: null });
  });
});
