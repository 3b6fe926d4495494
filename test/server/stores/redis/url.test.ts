import { describe, expect, it } from 'vitest';
import { parseRedisUrl, RedisConfigError, toIoredisOptions, describeRedis } from '../../../../server/stores/redis/url';

describe('REDIS_URL forms', () => {
  it('parses redis:// with user, password and db', () => {
    expect(parseRedisUrl('redis://user:p%40ss@cache.local:6390/2')).toEqual({ host: 'cache.local', port: 6390, tls: false, username: 'user', password: 'p@ss', db: 2 });
    expect(parseRedisUrl('redis://127.0.0.1')).toEqual({ host: '127.0.0.1', port: 6379, tls: false });
  });

  it('turns rediss:// into TLS with SNI and certificate checks on', () => {
    const p = parseRedisUrl('rediss://:secret@name.redis.cache.windows.net:6380');
    expect(p).toMatchObject({ host: 'name.redis.cache.windows.net', port: 6380, tls: true, password: 'secret' });
    const o = toIoredisOptions(p);
    expect(o.tls).toEqual({ servername: 'name.redis.cache.windows.net' });
    expect(JSON.stringify(o)).not.toContain('rejectUnauthorized');
  });

  it('parses the Azure connection-string form', () => {
    const p = parseRedisUrl('parley.redis.cache.windows.net:6380,password=abc=123,ssl=True,abortConnect=False');
    expect(p).toEqual({ host: 'parley.redis.cache.windows.net', port: 6380, tls: true, password: 'abc=123' });
    expect(parseRedisUrl('localhost,ssl=false')).toEqual({ host: 'localhost', port: 6379, tls: false });
    expect(describeRedis(p)).toBe('rediss://parley.redis.cache.windows.net:6380');
  });

  it('rejects malformed values with a message that never contains the password', () => {
    for (const bad of ['', 'http://x:topsecret@host', 'redis://:topsecret@host:99999', 'host:port,password=topsecret', 'redis://:topsecret@host/db']) {
      let err: unknown;
      try {
        parseRedisUrl(bad);
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(RedisConfigError);
      expect((err as Error).message).not.toContain('topsecret');
    }
  });
});
