import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { APP_CSP, appResponseHeaders, withCsp } from '../../../main/security/csp';

const require = createRequire(import.meta.url);

function directives(policy: string): Map<string, string[]> {
  return new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...values]) => [name as string, values]));
}

describe('app:// CSP', () => {
  const csp = directives(APP_CSP);

  it('allows scripts and styles only from the app, no inline code, no eval', () => {
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'"]);
    expect(APP_CSP).not.toMatch(/unsafe-inline|unsafe-eval|unsafe-hashes|wasm-unsafe-eval|\*/);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('lets the renderer reach LAN relays over http/ws and cloud relays over https/wss', () => {
    expect(csp.get('connect-src')).toEqual(["'self'", 'http:', 'https:', 'ws:', 'wss:']);
  });

  it('is at least as strict as the meta tag of renderer/index.html for everything but connect-src', () => {
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(readFileSync('renderer/index.html', 'utf8'))?.[1];
    expect(meta).toBeTruthy();
    for (const [name, values] of directives(meta as string)) {
      if (name === 'connect-src') continue;
      expect(csp.get(name), name).toEqual(values);
    }
  });

  it('has no high or medium finding in the CSP evaluator Electronegativity uses', () => {
    const evaluator = require('@doyensec/csp-evaluator') as {
      CspParser: new (s: string) => { csp: unknown };
      CspEvaluator: new (csp: unknown, version: unknown) => { evaluate(): { severity: number; directive: string; description: string }[] };
      Version: { CSP3: unknown };
      severities: Record<string, number>;
    };
    const findings = new evaluator.CspEvaluator(new evaluator.CspParser(APP_CSP).csp, evaluator.Version.CSP3).evaluate();
    const { HIGH, SYNTAX, MEDIUM, HIGH_MAYBE } = evaluator.severities;
    const serious = findings.filter((f) => [HIGH, SYNTAX, MEDIUM, HIGH_MAYBE].includes(f.severity));
    expect(serious.map((f) => `${f.directive}: ${f.description}`)).toEqual([]);
  });

  it('goes out with nosniff and no referrer', () => {
    expect(appResponseHeaders('text/html')).toMatchObject({ 'Content-Security-Policy': APP_CSP, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' });
  });

  it('replaces any CSP a dev server sent, whatever its case', () => {
    expect(withCsp({ 'content-security-policy': ["default-src *"], 'X-Other': ['1'] })).toEqual({ 'X-Other': ['1'], 'Content-Security-Policy': [APP_CSP] });
    expect(withCsp(undefined)).toEqual({ 'Content-Security-Policy': [APP_CSP] });
  });
});
