/**
 * The two permissions the relay signs for files, with one secret:
 *
 *  - **Upload tokens** (`v1.<payload>.<mac>`, payload = base64url JSON `{u, c, e}`): this user may
 *    upload for this conversation until `e`. Bound to the user so an upload belongs to whoever
 *    started it, and to the conversation so a file can only be sent where it was uploaded for.
 *  - **Download signatures** over `(id, conversation, expiry)`, and the variant when it is one (an
 *    image's thumbnail): whoever holds the URL may fetch that file, or that variant, until then; a
 *    thumbnail's URL never opens the image, nor the other way round. Only `file:url` mints them, after
 *    checking membership. The URLs it gives Parley clients are **member-only** (`m=1`, signed too):
 *    they work only with the download token minted with them, sent as `Authorization: Bearer`, so a
 *    link copied out of the app is refused. Classic clients' links (in their text) are plain.
 *  - **Download tokens**: an upload token's claims under a key of their own.
 *
 * Each kind has its own key derived from the secret, so a token can never pass as a signature or the
 * other way round. Every instance that serves the same files must share the secret (FILES_SECRET); a
 * single relay makes one and, with a data folder, keeps it there so URLs survive a restart (with
 * files in Azure, instances share one kept in the container: azure-storage.ts, sharedSecret).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What an upload token grants. */
export interface UploadClaims {
  userId: string;
  conversation: string;
  /** ms since epoch. */
  expiresAt: number;
}

/** Shortest secret accepted: 128 bits. */
export const SECRET_MIN_BYTES = 16;
/** Longer than any token the relay issues (user id 22, conversation ≤ 200, expiry): a cap before hashing. */
const TOKEN_MAX = 1024;

export class FileSigner {
  private readonly tokenKey: Buffer;
  private readonly urlKey: Buffer;
  private readonly downloadKey: Buffer;

  constructor(secret: Buffer) {
    if (secret.length < SECRET_MIN_BYTES) throw new RangeError(`The files secret must be at least ${SECRET_MIN_BYTES} bytes.`);
    this.tokenKey = mac(secret, 'parley upload token v1');
    this.urlKey = mac(secret, 'parley file url v1');
    this.downloadKey = mac(secret, 'parley download token v1');
  }

  uploadToken(claims: UploadClaims): string {
    return this.token(this.tokenKey, claims);
  }

  /** The claims of a genuine token that has not expired at `now`, else undefined. */
  verifyUploadToken(token: string, now = Date.now()): UploadClaims | undefined {
    return this.verify(this.tokenKey, token, now);
  }

  /**
   * Sent with a member-bound download URL (as `Authorization: Bearer`): the URL alone, copied out of
   * the app, is refused; the same claims as an upload token, under a key of its own.
   */
  downloadToken(claims: UploadClaims): string {
    return this.token(this.downloadKey, claims);
  }

  verifyDownloadToken(token: string, now = Date.now()): UploadClaims | undefined {
    return this.verify(this.downloadKey, token, now);
  }

  private token(key: Buffer, claims: UploadClaims): string {
    const payload = Buffer.from(JSON.stringify({ u: claims.userId, c: claims.conversation, e: claims.expiresAt })).toString('base64url');
    const body = `v1.${payload}`;
    return `${body}.${mac(key, body).toString('base64url')}`;
  }

  private verify(key: Buffer, token: string, now: number): UploadClaims | undefined {
    if (token.length > TOKEN_MAX) return undefined;
    const dot = token.lastIndexOf('.');
    if (dot < 0 || !token.startsWith('v1.')) return undefined;
    const body = token.slice(0, dot);
    if (!sameMac(mac(key, body), token.slice(dot + 1))) return undefined;
    let claims: unknown;
    try {
      claims = JSON.parse(Buffer.from(body.slice(3), 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    const { u, c, e } = (claims ?? {}) as { u?: unknown; c?: unknown; e?: unknown };
    if (typeof u !== 'string' || typeof c !== 'string' || typeof e !== 'number' || e <= now) return undefined;
    return { userId: u, conversation: c, expiresAt: e };
  }

  fileSignature(id: string, conversation: string, expiresAt: number, variant?: string, memberOnly = false): string {
    return mac(this.urlKey, signedFields(id, conversation, expiresAt, variant, memberOnly)).toString('base64url');
  }

  /** Whether `signature` is genuine for these values (expiry is the caller's check). */
  verifyFileSignature(id: string, conversation: string, expiresAt: number, signature: string, variant?: string, memberOnly = false): boolean {
    return sameMac(mac(this.urlKey, signedFields(id, conversation, expiresAt, variant, memberOnly)), signature);
  }
}

/**
 * The secret: the one configured, else the one kept in `dir` (made on first start), else a fresh one
 * for this process only (a relay without a data folder: its files go when it stops anyway).
 */
export async function loadSecret(configured: string | Buffer | undefined, dir: string | undefined): Promise<Buffer> {
  if (configured !== undefined) return typeof configured === 'string' ? Buffer.from(configured, 'utf8') : configured;
  if (dir === undefined) return randomBytes(32);
  const path = join(dir, 'secret');
  try {
    const kept = Buffer.from((await readFile(path, 'utf8')).trim(), 'hex');
    if (kept.length >= SECRET_MIN_BYTES) return kept;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const fresh = randomBytes(32);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // Readable by the relay's user only: whoever reads it can mint download URLs.
  await writeFile(path, `${fresh.toString('hex')}\n`, { mode: 0o600 });
  return fresh;
}

/**
 * The signed text: three lines for a file, a fourth naming a variant. A file's URL keeps the form it
 * had before variants existed, so URLs handed out by an older relay stay valid across an upgrade.
 */
function signedFields(id: string, conversation: string, expiresAt: number, variant: string | undefined, memberOnly: boolean): string {
  const fields = variant === undefined ? `${id}\n${conversation}\n${expiresAt}` : `${id}\n${conversation}\n${expiresAt}\n${variant}`;
  // A last line no variant can be: dropping `m=1` from a member-only URL breaks its signature.
  return memberOnly ? `${fields}\n member only` : fields;
}

function mac(key: Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/**
 * Constant-time comparison with a presented base64url MAC, as text: decoding first would accept
 * other spellings of the same bytes (base64 decoders are lenient), so one URL would have many forms.
 */
function sameMac(expected: Buffer, presented: string): boolean {
  const want = Buffer.from(expected.toString('base64url'));
  const given = Buffer.from(presented);
  return given.length === want.length && timingSafeEqual(given, want);
}
