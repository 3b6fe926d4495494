/** Presence deltas carry one change per user: a join and a leave inside one delta collapse. */
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { PresenceChange, PresenceDelta } from '../../../protocol/index';
import { PresenceBroadcaster } from '../../../server/chat/presence-broadcaster';

function harness() {
  const sent: PresenceDelta[] = [];
  const io = { to: () => ({ except: () => ({ emit: (_e: string, d: PresenceDelta) => sent.push(d) }) }) };
  const store = { count: async () => 1 };
  const b = new PresenceBroadcaster(io as never, store as never, pino({ level: 'silent' }), 1000);
  return { b, sent };
}
const change = (pv: number, op: 'join' | 'leave', id: string): PresenceChange => ({ pv, op, user: { id, username: id } as PresenceChange['user'] });

describe('PresenceBroadcaster', () => {
  it('keeps only the last change of each user in a delta, in pv order', async () => {
    const { b, sent } = harness();
    b.queue('lobby', change(1, 'join', 'flap'));
    b.queue('lobby', change(2, 'join', 'ana'));
    b.queue('lobby', change(3, 'leave', 'flap'));
    b.queue('lobby', change(4, 'join', 'flap'));
    b.queue('lobby', change(5, 'leave', 'flap'));
    await b.flush();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.changes.map((c) => `${c.pv}:${c.op}:${c.user.id}`)).toEqual(['2:join:ana', '5:leave:flap']);
  });

  it('a user churning a thousand times costs each recipient one change', async () => {
    const { b, sent } = harness();
    for (let i = 1; i <= 1000; i++) b.queue('lobby', change(i, i % 2 ? 'join' : 'leave', 'churner'));
    await b.flush();
    expect(sent[0]!.changes).toHaveLength(1);
    expect(sent[0]!.changes[0]).toMatchObject({ pv: 1000, op: 'leave' });
  });
});
