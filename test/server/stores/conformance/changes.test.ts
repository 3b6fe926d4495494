/**
 * Edits and deletions in every store (protocol/edits.ts): a change entry takes the next seq like a
 * message, the target is rewritten in place (pages, get and idempotency retries all see the new
 * version), and a deletion leaves no trace of the words anywhere the store keeps them.
 */
import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../../protocol/index';
import type { HistoryStore } from '../../../../server/stores/types';
import { draft, LOBBY, useBackends } from './backends';

const backends = useBackends();

async function change(history: HistoryStore, kind: 'edit' | 'delete', target: ChatMessage, text = '', clientId?: string): Promise<ChatMessage> {
  const { message } = await history.append(draft(text, { change: kind, target: { id: target.id, seq: target.seq }, ...(clientId ? { clientId } : {}) }));
  await history.applyChange(message);
  return message;
}

describe.each(backends)('changes ($kind)', (backend) => {
  it('an edit is an entry with its own seq, and the target holds the latest text', async () => {
    const { history } = await backend.stores();
    const { message: original } = await history.append(draft('teh plan', { clientId: 'orig-000001' }));
    const other = (await history.append(draft('meanwhile'))).message;
    const edit = await change(history, 'edit', original, 'the plan');
    expect(edit.seq).toBe(other.seq + 1);
    expect(edit).toMatchObject({ change: 'edit', target: { id: original.id, seq: original.seq }, message: 'the plan' });
    const page = await history.page(LOBBY, { limit: 10 });
    expect(page.lastSeq).toBe(edit.seq);
    expect(page.messages.map((m) => m.seq)).toEqual([original.seq, other.seq, edit.seq]);
    expect(page.messages[0]).toMatchObject({ id: original.id, message: 'the plan', edited: edit.ts, editSeq: edit.seq });
    expect(await history.get(LOBBY, original.seq)).toMatchObject({ message: 'the plan' });
    // A retry of the original send is answered with the message as it is now.
    const retry = await history.append(draft('teh plan', { clientId: 'orig-000001' }));
    expect(retry.duplicate).toBe(true);
    expect(retry.message.message).toBe('the plan');
    // Catch-up from after the original: the edit entry is there for clients that have the original.
    expect((await history.page(LOBBY, { afterSeq: other.seq, limit: 10 })).messages.map((m) => m.change)).toEqual(['edit']);
  });

  it('a deletion blanks the message, every edit of it and the idempotency records', async () => {
    const { history } = await backend.stores();
    const { message: original } = await history.append(draft('my password is hunter2', { clientId: 'orig-000002' }));
    await change(history, 'edit', original, 'my password is hunter3', 'edit-000002');
    const del = await change(history, 'delete', original);
    expect(del).toMatchObject({ change: 'delete', message: '' });
    const page = await history.page(LOBBY, { limit: 10 });
    expect(page.messages.map((m) => m.change ?? 'message')).toEqual(['message', 'edit', 'delete']);
    expect(page.messages[0]).toMatchObject({ id: original.id, message: '', deleted: true });
    expect(page.messages[0]).not.toHaveProperty('edited');
    expect(JSON.stringify(page)).not.toContain('hunter');
    expect(JSON.stringify(await history.get(LOBBY, original.seq))).not.toContain('hunter');
    const retried = await history.append(draft('my password is hunter2', { clientId: 'orig-000002' }));
    const retriedEdit = await history.append(draft('my password is hunter3', { clientId: 'edit-000002', change: 'edit', target: { id: original.id, seq: original.seq } }));
    expect(retried.duplicate && retriedEdit.duplicate).toBe(true);
    expect(JSON.stringify([retried.message, retriedEdit.message])).not.toContain('hunter');
  });

  it('an edit that arrives after the deletion does not bring the words back', async () => {
    const { history } = await backend.stores();
    const { message: original } = await history.append(draft('first words'));
    const del = await change(history, 'delete', original);
    const late = await change(history, 'edit', original, 'second words');
    expect(late.seq).toBeGreaterThan(del.seq);
    const page = await history.page(LOBBY, { limit: 10 });
    expect(page.messages[0]).toMatchObject({ message: '', deleted: true });
    expect(JSON.stringify(page)).not.toMatch(/first words|second words/);
  });

  it('racing edits end with the one ordered last, whatever order they are applied in', async () => {
    const { history } = await backend.stores();
    const { message: original } = await history.append(draft('v1'));
    const a = (await history.append(draft('v2', { change: 'edit', target: { id: original.id, seq: original.seq } }))).message;
    const b = (await history.append(draft('v3', { change: 'edit', target: { id: original.id, seq: original.seq } }))).message;
    await history.applyChange(b);
    await history.applyChange(a);
    expect(await history.get(LOBBY, original.seq)).toMatchObject({ message: 'v3', editSeq: b.seq });
  });

  it('get answers undefined for what is not retained, and a change of it changes nothing', async () => {
    const { history } = await backend.stores();
    const { message } = await history.append(draft('kept'));
    expect(await history.get(LOBBY, message.seq + 5)).toBeUndefined();
    expect(await history.get('nowhere', message.seq)).toBeUndefined();
    const stray = (await history.append(draft('x', { change: 'edit', target: { id: 'NOPE', seq: message.seq } }))).message;
    expect(await history.applyChange(stray)).toBeUndefined();
    expect(await history.get(LOBBY, message.seq)).toMatchObject({ message: 'kept' });
  });

  it('stored() answers what an idempotency key names, as it is now', async () => {
    const { history } = await backend.stores();
    const { message } = await history.append(draft('to be edited', { clientId: 'stored-00001' }));
    expect(await history.stored('user-ana', 'stored-00001')).toMatchObject({ id: message.id, message: 'to be edited' });
    await change(history, 'edit', message, 'edited');
    expect(await history.stored('user-ana', 'stored-00001')).toMatchObject({ id: message.id, message: 'edited' });
    expect(await history.stored('user-ana', 'never-used-1')).toBeUndefined();
    expect(await history.stored('user-bob', 'stored-00001')).toBeUndefined();
  });
});
