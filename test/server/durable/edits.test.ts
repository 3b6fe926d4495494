/**
 * Edits and deletions on a relay with a data folder (issue 23): they survive a restart, and a
 * deleted message's words are gone from every answer, including the idempotency record of a retry.
 * (Not necessarily from LevelDB's table files yet: see docs/protocol.md.)
 */
import { expect, it } from 'vitest';
import type { ChangeOk, HistoryPage, SendOk } from '../../../protocol/index';
import { loggedIn, newKey, request } from '../../helpers/clients';
import { useDataDirs } from '../../helpers/data-dirs';

const { dir: newDir, relayOn, stop } = useDataDirs();

it('an edit and a deletion survive a restart, and the deleted words are in no answer', async () => {
  const dir = newDir('parley-edits-');
  const key = newKey();
  let relay = await relayOn(dir);
  let { socket } = await loggedIn(relay.url, 'ana', { key });
  const secret = (await request<SendOk>(socket, 'new message', { text: 'the door code is 4711', clientId: 'secret-00001' })) as SendOk;
  const typo = (await request<SendOk>(socket, 'new message', { text: 'see you tmorrow' })) as SendOk;
  expect(await request<ChangeOk>(socket, 'message:edit', { room: 'lobby', id: secret.id, seq: secret.seq, text: 'the door code is 4712' })).toMatchObject({ ok: true });
  expect(await request<ChangeOk>(socket, 'message:edit', { room: 'lobby', id: typo.id, seq: typo.seq, text: 'see you tomorrow' })).toMatchObject({ ok: true });
  expect(await request<ChangeOk>(socket, 'message:delete', { room: 'lobby', id: secret.id, seq: secret.seq })).toMatchObject({ ok: true });
  socket.disconnect();
  await stop(relay);
  relay = await relayOn(dir);
  ({ socket } = await loggedIn(relay.url, 'ana', { key }));
  const page = (await request<HistoryPage>(socket, 'history:fetch', { room: 'lobby' })) as HistoryPage;
  expect(page.messages.map((m) => m.change ?? (m.deleted ? 'deleted' : m.message))).toEqual(['deleted', 'see you tomorrow', 'edit', 'edit', 'delete']);
  expect(JSON.stringify(page)).not.toMatch(/door code|tmorrow/);
  const retry = await request<SendOk>(socket, 'new message', { text: 'the door code is 4711', clientId: 'secret-00001' });
  expect(retry).toMatchObject({ ok: true, duplicate: true, id: secret.id });
});
