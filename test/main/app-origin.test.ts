import { describe, expect, it } from 'vitest';
import { APP_ORIGIN, devServerOrigin, isRendererUrl } from '../../main/app-origin';

const prod = { devServer: null };
const dev = { devServer: 'http://localhost:5173' };

describe('renderer origin', () => {
  it('is the origin the relay trusts for the desktop renderer', () => {
    expect(APP_ORIGIN).toBe('app://parley');
  });

  it('accepts pages of app://parley only', () => {
    expect(isRendererUrl('app://parley/index.html', prod)).toBe(true);
    expect(isRendererUrl('app://parley/', prod)).toBe(true);
    expect(isRendererUrl('app://PARLEY/index.html', prod)).toBe(true);
    for (const url of ['app://evil/index.html', 'app://parley.evil/', 'file:///index.html', 'http://localhost:5173/', 'https://parley/', 'app://user:pw@parley/', '', 'not a url', null, undefined]) {
      expect(isRendererUrl(url, prod), String(url)).toBe(false);
    }
  });

  it('accepts the dev server only when one is configured', () => {
    expect(isRendererUrl('http://localhost:5173/index.html', dev)).toBe(true);
    expect(isRendererUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isRendererUrl('http://localhost:5173/', prod)).toBe(false);
  });

  it('takes a dev server URL only over http on loopback', () => {
    expect(devServerOrigin('http://localhost:5173/')).toBe('http://localhost:5173');
    expect(devServerOrigin('http://127.0.0.1:5173')).toBe('http://127.0.0.1:5173');
    expect(devServerOrigin('http://[::1]:5173')).toBe('http://[::1]:5173');
    for (const raw of ['https://localhost:5173', 'http://192.168.1.2:5173', 'http://evil.com', 'http://u:p@localhost:5173', 'file:///x', 'garbage', '', undefined]) {
      expect(devServerOrigin(raw), String(raw)).toBeNull();
    }
  });
});
