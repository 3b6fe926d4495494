/**
 * A file lives as long as the message that carried it: one file goes in one message (a retry of that
 * message aside), and deleting the message deletes the file, frees its quota, and turns its links
 * and `file:url` into "no such file" for everyone.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCode, type ChangeOk, type SendOk } from '../../../protocol/index';
import { loggedIn, next, request } from '../../helpers/clients';
import { download, fileUrl, uploaded, uploadToken } from '../../helpers/files';
import { startRelay, useRelayCleanup } from '../../helpers/relay';

useRelayCleanup();

describe('file retention', () => {
  it('deleting a message deletes its files and gives their quota back', async () => {
    // Ana's share is exactly one of these files.
    const relay = await startRelay({ uploadUserQuotaBytes: 1000 });
    const { socket: ana } = await loggedIn(relay.url, 'ana');
    const { socket: bob } = await loggedIn(relay.url, 'bob');
    const id = await uploaded(relay, ana, Buffer.alloc(1000, 1), 'report.bin');
    const toBob = next(bob, 'new message');
    const sent = await request<SendOk>(ana, 'new message', { text: 'the report', attachments: [id], clientId: 'c-report-0001' });
    expect(sent).toMatchObject({ ok: true });
    await toBob;
    const link = await fileUrl(bob, 'lobby', id);
    expect((await download(relay, link)).status).toBe(200);
    expect(await request(ana, 'upload:token', { room: 'lobby' })).toMatchObject({ ok: false, code: ErrorCode.QUOTA_EXCEEDED });

    const deleted = await request<ChangeOk>(ana, 'message:delete', { room: 'lobby', id: sent.ok ? sent.id : '', seq: sent.ok ? sent.seq : 0 });
    expect(deleted).toMatchObject({ ok: true });
    expect((await download(relay, link)).status).toBe(404);
    expect(await request(bob, 'file:url', { room: 'lobby', id })).toMatchObject({ ok: false, code: ErrorCode.UNKNOWN_FILE });
    // Her share is free again.
    expect((await uploadToken(ana)).token).toBeTruthy();
  });

  it('a sent file goes in no second message; a retry of the first is answered as before', async () => {
    const relay = await startRelay();
    const { socket: ana } = await loggedIn(relay.url, 'ana');
    const id = await uploaded(relay, ana, Buffer.from('once\n'), 'once.txt');
    const first = await request<SendOk>(ana, 'new message', { text: 'one', attachments: [id], clientId: 'c-once-00001' });
    expect(first).toMatchObject({ ok: true, duplicate: false });
    expect(await request(ana, 'new message', { text: 'one', attachments: [id], clientId: 'c-once-00001' })).toMatchObject({ ok: true, duplicate: true });
    const again = await request(ana, 'new message', { text: 'two', attachments: [id], clientId: 'c-once-00002' });
    expect(again).toMatchObject({ ok: false, code: ErrorCode.UNKNOWN_FILE, message: expect.stringMatching(/already sent/) });
    expect(await request(ana, 'new message', { text: 'three', attachments: [id] })).toMatchObject({ ok: false, code: ErrorCode.UNKNOWN_FILE });
    // The file is still there for the message that has it.
    expect((await download(relay, await fileUrl(ana, 'lobby', id))).status).toBe(200);
  });

  it('a clientId already used for a text is answered as before, and the file it names stays unsent', async () => {
    const relay = await startRelay();
    const { socket: ana } = await loggedIn(relay.url, 'ana');
    expect(await request(ana, 'new message', { text: 'just text', clientId: 'c-text-000001' })).toMatchObject({ ok: true, duplicate: false });
    const id = await uploaded(relay, ana, Buffer.from('later\n'), 'later.txt');
    // The same clientId with a file: the stored text is the answer, and the file is not marked sent.
    expect(await request(ana, 'new message', { text: 'just text', attachments: [id], clientId: 'c-text-000001' })).toMatchObject({ ok: true, duplicate: true });
    expect(await request(ana, 'new message', { text: 'now the file', attachments: [id], clientId: 'c-file-000002' })).toMatchObject({ ok: true, duplicate: false });
  });

  it('two sends of one file at once: one carries it, the other is told it was sent already', async () => {
    const relay = await startRelay();
    const { socket: ana } = await loggedIn(relay.url, 'ana', { key: 'a'.repeat(32) });
    const { socket: anaAgain } = await loggedIn(relay.url, 'ana', { key: 'a'.repeat(32) });
    for (let round = 0; round < 5; round++) {
      const id = await uploaded(relay, ana, Buffer.from(`round ${round}\n`), 'race.txt');
      const answers = await Promise.all([
        request(ana, 'new message', { text: 'one', attachments: [id], clientId: `c-race-${round}-a1` }),
        request(anaAgain, 'new message', { text: 'two', attachments: [id], clientId: `c-race-${round}-b2` }),
      ]);
      expect(answers.filter((a) => a.ok)).toHaveLength(1);
      expect(answers.find((a) => !a.ok)).toMatchObject({ code: ErrorCode.UNKNOWN_FILE });
    }
  });
});
