/**
 * Two people took the same nickname because one relay instance was cut off from Redis: when it is
 * back, the later claim is renamed ("Bob-2"), that user is told in the lobby, and the other side
 * sees their messages under the new name.
 */
import { test, expect, joinAs, send, CLIENT_DIR } from './fixtures';
import { redisRelay } from '../../helpers/cluster';
import { RedisServer } from '../../helpers/redis';
import { TcpCut } from '../../helpers/tcp-cut';

test('a nickname claimed on a cut-off instance is renamed when it returns, and its user is told', async ({ browser }) => {
  const redis = await RedisServer.start();
  const cut = await TcpCut.start(redis.port);
  const a = await redisRelay(redis.url, { staticDir: CLIENT_DIR });
  const b = await redisRelay(cut.redisUrl, { staticDir: CLIENT_DIR });
  try {
    const first = await joinAs(browser, a.url, 'Bob');
    cut.cut();
    await expect.poll(() => b.health(), { timeout: 10_000 }).toBe('degraded');
    const second = await joinAs(browser, b.url, 'Bob');

    cut.restore();
    const log = second.getByRole('log');
    await expect(log).toContainText('is your name now: "Bob" was taken on another server', { timeout: 20_000 });
    await expect(log.locator('.system').filter({ hasText: 'is your name now' })).toContainText('Bob-2');
    await send(second, 'hello from the second Bob');
    const seen = first.locator('.msg').filter({ hasText: 'hello from the second Bob' });
    await expect(seen).toContainText('Bob-2');
    await second.screenshot({ path: 'test-results/screens/nickname-conflict.png' });
  } finally {
    await Promise.all([a.close(), b.close()]);
    await cut.close();
    await redis.stop();
  }
});
