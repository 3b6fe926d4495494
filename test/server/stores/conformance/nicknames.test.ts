/**
 * Nickname claims, memory and Redis alike: connect is refused when another user holds the nickname
 * key (so case and look-alike variants collide: server/nickname-key.ts), a refusal leaves no trace,
 * and a name is held until its holder's last session ends. Conflicts made during a Redis outage are
 * cluster behaviour: test/server/cluster/nickname-conflict.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { connect, LOBBY, session, useBackends } from './backends';

const backends = useBackends();

describe.each(backends)('nickname claims ($kind)', (backend) => {
  it.each([
    ['the same name', 'Ana'],
    ['a different case', 'ANA'],
    ['a Cyrillic look-alike', '\u0410na'],
    ['full-width letters', '\uFF21\uFF4E\uFF41'],
    ['an invisible character inserted', 'A\u200Bna'],
  ])('refuses another user taking %s', async (_what, name) => {
    const { presence } = await backend.stores();
    await connect(presence, session('s1', 'u-ana', 'Ana'));
    expect(await presence.connect(session('s2', 'u-eve', name), LOBBY)).toEqual({ ok: false, reason: 'nickname-taken' });
  });

  it('a refused connect leaves no trace', async () => {
    const { presence } = await backend.stores();
    await connect(presence, session('s1', 'u-ana', 'Ana'));
    const before = await presence.snapshot(LOBBY);
    await presence.connect(session('s2', 'u-eve', 'ana'), LOBBY);
    expect(await presence.snapshot(LOBBY)).toEqual(before);
    expect(await presence.user('u-eve')).toBeUndefined();
    expect(await presence.join('s2', 'dev')).toEqual({});
    expect(await presence.disconnect('s2')).toEqual({ changes: [] });
    expect(await presence.count(LOBBY)).toBe(1);
  });

  it('lets different names in', async () => {
    const { presence } = await backend.stores();
    await connect(presence, session('s1', 'u-bob', 'bob'));
    await connect(presence, session('s2', 'u-rob', 'rob'));
    expect(await presence.count(LOBBY)).toBe(2);
  });

  it('lets the holder use the name (in any variant) in another session', async () => {
    const { presence } = await backend.stores();
    await connect(presence, session('s1', 'u-ana', 'Ana'));
    expect(await presence.connect(session('s2', 'u-ana', 'ana'), LOBBY)).toMatchObject({ ok: true, firstSession: false });
  });

  it('holds the name until the holder’s last session ends', async () => {
    const { presence } = await backend.stores();
    await connect(presence, session('s1', 'u-ana', 'Ana'));
    await connect(presence, session('s2', 'u-ana', 'Ana'));
    await presence.disconnect('s1');
    expect(await presence.connect(session('s3', 'u-eve', 'ana'), LOBBY)).toMatchObject({ ok: false });
    await presence.disconnect('s2');
    expect(await connect(presence, session('s3', 'u-eve', 'ana'))).toMatchObject({ ok: true, user: { id: 'u-eve', username: 'ana' } });
  });

  it('a second session keeps the user’s first name and does not claim the new one', async () => {
    const { presence } = await backend.stores();
    await connect(presence, session('s1', 'u-ana', 'Ana'));
    const second = await connect(presence, session('s2', 'u-ana', 'Anastasia'));
    expect(second.user.username).toBe('Ana');
    expect(await presence.user('u-ana')).toEqual({ id: 'u-ana', username: 'Ana' });
    expect(await connect(presence, session('s3', 'u-other', 'Anastasia'))).toMatchObject({ ok: true });
  });

  it('refuses a second session of one user that names itself after another user', async () => {
    const { presence } = await backend.stores();
    await connect(presence, session('s1', 'u-ana', 'Ana'));
    await connect(presence, session('s2', 'u-bob', 'Bob'));
    expect(await presence.connect(session('s3', 'u-ana', 'BOB'), LOBBY)).toEqual({ ok: false, reason: 'nickname-taken' });
  });

  it('racing claims of one name by two users: exactly one wins', async () => {
    const { presence } = await backend.stores();
    const results = await Promise.all([presence.connect(session('s1', 'u-ana', 'Sam'), LOBBY), presence.connect(session('s2', 'u-eve', 'sam'), LOBBY)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await presence.count(LOBBY)).toBe(1);
  });
});
