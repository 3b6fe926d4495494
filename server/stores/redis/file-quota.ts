/**
 * The upload quota ledger in Redis (files/quota.ts, file-quota-lua.ts): every instance of a
 * deployment sharing one file store counts against the same totals. While Redis is away nothing can
 * be reserved (uploads are refused as unavailable, not let through uncounted); a release that fails
 * is kept and retried, so a cancelled upload's bytes are not counted forever.
 */
import type { QuotaLedger, QuotaLimits } from '../../files/quota';
import type { Logger } from '../../logger';
import type { ParleyCommands } from './commands';
import type { Redis } from 'ioredis';

export function redisQuotaLedger(cmd: Redis & ParleyCommands, prefix: string, limits: QuotaLimits, log: Logger): QuotaLedger {
  const unreleased = new Set<string>();
  const release = async (id: string): Promise<void> => {
    await cmd.parleyQuotaRelease(prefix, id);
    unreleased.delete(id);
  };
  const retryReleases = () => {
    for (const id of unreleased) release(id).catch(() => {});
  };

  return {
    limits,
    async reserve(id, owner, size) {
      retryReleases();
      const [verdict, used] = (await cmd.parleyQuotaReserve(prefix, id, owner, size, limits.perUser, limits.total, '0')) as [number, number];
      if (verdict === 0) return undefined;
      return verdict === 1 ? { scope: 'user', limit: limits.perUser, used: Number(used) } : { scope: 'relay', limit: limits.total, used: Number(used) };
    },
    async count(id, owner, size) {
      await cmd.parleyQuotaReserve(prefix, id, owner, size, limits.perUser, limits.total, '1');
    },
    async release(id) {
      try {
        await release(id);
      } catch (err) {
        unreleased.add(id);
        log.warn({ err, id }, 'could not release an upload from the shared quota; retried with the next upload');
      }
    },
    async remaining(owner) {
      const [mine, used] = await Promise.all([cmd.hget(`${prefix}fq:o`, owner), cmd.get(`${prefix}fq:t`)]);
      return Math.max(0, Math.min(limits.perUser - Number(mine ?? 0), limits.total - Number(used ?? 0)));
    },
  };
}
