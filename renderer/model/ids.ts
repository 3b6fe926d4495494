/** Client-side random ids: the user key (identity) and message client ids (idempotency). Web Crypto, in browsers and Node. */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export function randomId(length: number): string {
  const bytes = new Uint8Array(length);
  crypto.getRandomValues(bytes);
  let out = '';
  for (const b of bytes) out += ALPHABET[b & 63];
  return out;
}

/** 24 base64url characters = 144 bits: the secret that identifies this browser/app as one user. */
export const newUserKey = (): string => randomId(24);
export const newClientId = (): string => randomId(16);
