/** Counts what happened to every message sent: acknowledged, delivered to each observer, lost, duplicated (see run.ts). */
import { sent, sims, type Sim } from './clients';

export function countDeliveries(chatStart: number) {
  const observers = sims.filter((s) => s.role === 'steady');
  const lobbyOf = (s: Sim) => s.chat.conversation('lobby')?.timeline.entries().flatMap((e) => (e.kind === 'message' ? [e.msg] : [])) ?? [];
  // Per client: its lobby messages indexed by clientId (a timeline holds each server id once).
  const indexes = new Map(
    sims.map((s) => {
      const byClientId = new Map<string, { id: string; seq: number; userId: string }[]>();
      for (const m of lobbyOf(s)) {
        if (m.clientId === undefined) continue;
        const list = byClientId.get(m.clientId) ?? [];
        list.push({ id: m.id, seq: m.seq, userId: m.userId });
        byClientId.set(m.clientId, list);
      }
      return [s, byClientId] as const;
    }),
  );
  let acked = 0;
  let lost = 0;
  let lostPairs = 0;
  let delivered = 0;
  let duplicated = 0;
  let unackedLeft = 0;
  let unconfirmed = 0;
  const lostExamples: string[] = [];
  const unackedExamples: string[] = [];
  for (const rec of sent) {
    const senderId = rec.sender.chat.me.value?.userId ?? rec.sender.userId;
    const copiesIn = (s: Sim) => (indexes.get(s)?.get(rec.clientId) ?? []).filter((m) => m.userId === senderId);
    if (!copiesIn(rec.sender).some((m) => m.seq > 0)) {
      unackedLeft++;
      // Why: a churning client that closed before its ack came, or an outbox that gave up.
      if (unackedExamples.length < 5) {
        const item = rec.sender.chat.outbox.list().find((i) => i.clientId === rec.clientId);
        const where = item ? `outbox: ${item.state}${item.error ? ` (${item.error})` : ''}, ${item.attempts} attempts` : 'not in the outbox';
        unackedExamples.push(`${rec.text} (${rec.sender.role}${rec.sender.left ? ', left' : ''}; sent at +${((rec.at - chatStart) / 1000).toFixed(1)}s; ${where})`);
      }
      continue;
    }
    acked++;
    const ids = new Set<string>();
    for (const s of sims) for (const m of copiesIn(s)) ids.add(m.id);
    if (ids.size > 1) duplicated++;
    let missing = 0;
    for (const o of observers) {
      const copies = copiesIn(o);
      if (copies.length === 0) missing++;
      else {
        delivered++;
        if (copies.every((m) => m.seq === 0)) unconfirmed++;
      }
    }
    if (missing > 0) {
      lost++;
      lostPairs += missing;
      if (lostExamples.length < 5) lostExamples.push(`${rec.text} (missing from ${missing} observers, sent at +${((rec.at - chatStart) / 1000).toFixed(1)}s)`);
    }
  }
  return { observers, acked, lost, lostPairs, delivered, duplicated, unackedLeft, unconfirmed, lostExamples, unackedExamples };
}
