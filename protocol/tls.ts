/**
 * Certificate fingerprints as Parley writes and compares them. A LAN host has no certificate
 * authority: its certificate is trusted by its SHA-256 fingerprint, which travels in invites
 * (`fp=`), in the mDNS record and in the desktop's pin store, and binds the join code (pairing.ts).
 *
 *  - canonical form: 64 lower-case hex digits (URLs, TXT records, settings, comparisons);
 *  - shown to people: upper-case pairs with colons, as `openssl x509 -fingerprint -sha256` prints
 *    them, so a user can compare it with what the host shows.
 */

/** Hex digits only, lower case: "AB:CD:…", "abcd…" and "sha256/AB CD…" compare equal. */
export function normalizeFingerprint(fp: string): string {
  return fp.replace(/^sha-?256[/:=]?/i, '').replace(/[^0-9a-f]/gi, '').toLowerCase();
}

/** The canonical form of a SHA-256 fingerprint written any usual way, or undefined if it is not one. */
export function parseFingerprint(fp: string | undefined | null): string | undefined {
  if (typeof fp !== 'string' || fp.length > 200) return undefined;
  const hex = normalizeFingerprint(fp);
  return /^[0-9a-f]{64}$/.test(hex) ? hex : undefined;
}

/** "AB:CD:…" for people. */
export function displayFingerprint(fp: string): string {
  return normalizeFingerprint(fp).toUpperCase().replace(/(..)(?=.)/g, '$1:');
}

/** The 32 bytes of a canonical fingerprint. */
export function fingerprintBytes(fp: string): Uint8Array {
  const hex = parseFingerprint(fp);
  if (!hex) throw new Error('not a SHA-256 fingerprint');
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}
