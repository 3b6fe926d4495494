/**
 * Storage quotas: the relay's total and each user's share. An upload is counted at its declared
 * length from the moment it is created, finished or not, so concurrent uploads cannot together pass
 * a quota that each alone would fit (the body can never outgrow its declaration: tus refuses it).
 * One relay counts in this process (UploadQuota), from the storage's listing at start; relays
 * sharing one store count in Redis (stores/redis/file-quota.ts), so the quota is the deployment's,
 * not each instance's. Both behind QuotaLedger.
 */

export interface QuotaLimits {
  /** Bytes all uploads together may take. */
  total: number;
  /** Bytes one user's uploads may take. */
  perUser: number;
}

/** Why an upload does not fit. */
export type QuotaRefusal = { scope: 'relay' | 'user'; limit: number; used: number };

/** Where uploads are counted: this process, or a store every instance shares. */
export interface QuotaLedger {
  readonly limits: QuotaLimits;
  /** Counts an upload if it fits, else says why not; check and count are one atomic step. */
  reserve(id: string, owner: string, size: number): Promise<QuotaRefusal | undefined>;
  /** Counts an upload that exists already (the listing at start), whatever the limits say now; once per id. */
  count(id: string, owner: string, size: number): Promise<void>;
  /** Stops counting an upload; nothing when it was not counted. */
  release(id: string): Promise<void>;
  /** Bytes `owner` may still upload: what is left of their share and of the relay's. */
  remaining(owner: string): Promise<number>;
}

/** The ledger of one relay on its own. */
export function localLedger(limits: QuotaLimits): QuotaLedger {
  const quota = new UploadQuota(limits);
  return {
    limits,
    reserve: async (id, owner, size) => quota.reserve(id, owner, size),
    count: async (id, owner, size) => quota.count(id, owner, size),
    release: async (id) => quota.release(id),
    remaining: async (owner) => quota.remaining(owner),
  };
}

export class UploadQuota {
  private readonly uploads = new Map<string, { owner: string; size: number }>();
  private readonly byOwner = new Map<string, number>();
  private used = 0;

  constructor(readonly limits: QuotaLimits) {}

  /** Counts an upload if it fits, else says why not. Synchronous: check and count are one step. */
  reserve(id: string, owner: string, size: number): QuotaRefusal | undefined {
    if (this.uploads.has(id)) return undefined;
    const mine = this.byOwner.get(owner) ?? 0;
    if (mine + size > this.limits.perUser) return { scope: 'user', limit: this.limits.perUser, used: mine };
    if (this.used + size > this.limits.total) return { scope: 'relay', limit: this.limits.total, used: this.used };
    this.count(id, owner, size);
    return undefined;
  }

  /** Counts an upload that exists already (the listing at start), whatever the limits say now. */
  count(id: string, owner: string, size: number): void {
    if (this.uploads.has(id)) return;
    this.uploads.set(id, { owner, size });
    this.byOwner.set(owner, (this.byOwner.get(owner) ?? 0) + size);
    this.used += size;
  }

  release(id: string): void {
    const entry = this.uploads.get(id);
    if (!entry) return;
    this.uploads.delete(id);
    this.used -= entry.size;
    const left = (this.byOwner.get(entry.owner) ?? 0) - entry.size;
    if (left > 0) this.byOwner.set(entry.owner, left);
    else this.byOwner.delete(entry.owner);
  }

  /** Bytes `owner` may still upload: what is left of their share and of the relay's. */
  remaining(owner: string): number {
    return Math.max(0, Math.min(this.limits.perUser - (this.byOwner.get(owner) ?? 0), this.limits.total - this.used));
  }
}
