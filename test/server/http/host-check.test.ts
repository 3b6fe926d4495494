/** The DNS-rebinding guard's reading of the Host header: strict about what follows a name or an IPv6 literal. */
import { describe, expect, it } from 'vitest';
import { hostPolicy } from '../../../server/http/host-check';

describe('hostPolicy', () => {
  const allow = hostPolicy(['parley.example']);

  it('accepts IP literals, localhost, configured names, with or without a port', () => {
    for (const h of ['127.0.0.1', '127.0.0.1:3000', '[::1]', '[::1]:3000', 'localhost:3000', 'a.localhost', 'parley.example', 'PARLEY.example:443', undefined]) {
      expect(allow(h), String(h)).toBe(true);
    }
  });

  it('refuses names it was not told about', () => {
    for (const h of ['evil.example', 'evil.example:3000', 'parley.example.evil.example']) expect(allow(h), h).toBe(false);
  });

  it('refuses anything after an IPv6 literal but a port, and ports that are not numbers', () => {
    for (const h of ['[::1]evil.example', '[::1].evil', '[::1]:', '[::1]:80x', '[::1]:80:81', '[::1', 'localhost:', 'localhost:80x', 'parley.example:-1', '127.0.0.1:99999', '127.0.0.1:3000:1']) {
      expect(allow(h), h).toBe(false);
    }
  });
});
