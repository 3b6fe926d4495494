/**
 * Finds text that looks like a committed secret: private keys, JWTs, storage keys and SAS
 * signatures, credentials in connection strings, and long high-entropy tokens such as Azure access
 * keys. Placeholders (`<key>`, `${key}`, `…`, `[redacted]`) and references to parameters are not
 * secrets. Tuned for the deploy files; a hit names the line so a person can judge it.
 */

export interface Finding {
  line: number;
  rule: string;
  text: string;
}

const PLACEHOLDER = /^(\$\{|\$[A-Za-z_]|<|…|\.\.\.|\[redacted\]|\*+$|x+$|%|\{\{)/i;

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
  return h;
}

function looksLikeKey(token: string): boolean {
  if (token.length < 32) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((r) => r.test(token)).length;
  return classes === 3 && entropy(token) > 4.2;
}

export function findSecrets(text: string): Finding[] {
  const out: Finding[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = i + 1;
    const hit = (rule: string) => out.push({ line, rule, text: raw.trim().slice(0, 120) });
    if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(raw)) hit('private key');
    if (/\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/.test(raw)) hit('JWT');
    for (const m of raw.matchAll(/\b(AccountKey|SharedAccessKey|password|pwd|secret|sig)\s*([=:])\s*(['"]?)([^\s,;'"&)]+)/gi)) {
      const value = m[4]!;
      // `password: certPassword` in Bicep or YAML names a parameter; `password=x` is always a value
      const isReference = m[2] === ':' && m[3] === '' && /^[A-Za-z_][A-Za-z0-9_.]*$/.test(value) && /[A-Z]/.test(value) && !looksLikeKey(value);
      if (!PLACEHOLDER.test(value) && !isReference && value.length >= 6) hit(`${m[1]} with a literal value`);
    }
    for (const m of raw.matchAll(/\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:([^@\s/]+)@/gi)) {
      if (!PLACEHOLDER.test(m[1]!)) hit('credentials in a URL');
    }
    // A URL's host and path (dates, camelCase names) are not keys; its query string may hold one.
    const withoutUrls = raw.replace(/\bhttps?:\/\/[^\s"'`)]+/g, (u) => ` ${u.split('?')[1] ?? ''} `);
    for (const m of withoutUrls.matchAll(/[A-Za-z0-9+/_-]{32,}={0,2}/g)) {
      const token = m[0];
      if (/^[a-f0-9]{32,}$/i.test(token) && entropy(token) < 4.2) continue; // plain hashes are not keys
      if (looksLikeKey(token.replace(/=+$/, ''))) hit('high-entropy token');
    }
  });
  return out;
}
