/**
 * The English the model and protocol/nickname.ts still write is shown from the catalogues
 * (renderer/i18n/model-text.ts). Each sentence matched there is checked against the source that
 * writes it, so rewording a model line fails here instead of leaving it untranslated on screen.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanNickname, ErrorCode } from '../../../protocol/index';
import { ConnectFailure } from '../../../renderer/model/chat-client';
import { DesktopApiError } from '../../../renderer/platform/desktop-api';
import { startI18n } from '../../../renderer/i18n/i18n';
import { conversationTitle, errorText, modelText, nicknameProblem, systemLine, typingText } from '../../../renderer/i18n/model-text';

const source = (path: string) => readFileSync(join(import.meta.dirname, '..', '..', '..', path), 'utf8');

beforeAll(() => startI18n({ preferred: ['de'] }));

describe('what the model writes, in the user’s language', () => {
  it('the sentences matched are the ones the model writes', () => {
    expect(source('renderer/model/relay-connection.ts')).toContain("'Not connected.'");
    expect(source('renderer/model/relay-connection.ts')).toContain("'The relay did not answer.'");
    expect(source('renderer/model/login.ts')).toContain("'Login timed out.'");
    expect(source('renderer/model/login.ts')).toContain('`Could not log in again: ${res.message}`');
    expect(source('renderer/model/outbox.ts')).toContain("'Could not be delivered.'");
    expect(source('renderer/model/outbox.ts')).toContain("'A file was still uploading when Parley closed: attach it again.'");
    const presence = source('renderer/model/presence-sync.ts');
    for (const line of ["'joined'", "'left'", '`${j.length} people joined`', '`${l.length} people left`']) expect(presence).toContain(line);
    expect(source('renderer/model/history-sync.ts')).toContain("'Some messages could not be recovered after the reconnect.'");
    expect(source('renderer/model/chat-client.ts')).toContain('`is your name now: "${c.previous}" was taken on another server while this one was cut off`');
    expect(source('renderer/model/typing.ts')).toMatch(/names\.length === 3[\s\S]*'Several people are typing…'/);
    expect(source('renderer/model/conversation.ts')).toContain("'Direct message'");
  });

  it('translates model sentences and keeps a relay’s own words', () => {
    expect(modelText('Not connected.')).toBe('Nicht verbunden.');
    expect(modelText('Could not log in again: Login timed out.')).toBe('Erneute Anmeldung fehlgeschlagen: Die Anmeldung hat zu lange gedauert.');
    expect(modelText('Something only a newer relay says.')).toBe('Something only a newer relay says.');
    expect(modelText('A file was still uploading when Parley closed: attach it again.')).toBe('Eine Datei wurde noch hochgeladen, als Parley geschlossen wurde: Hänge sie erneut an.');
  });

  it('system lines', () => {
    expect(systemLine({ text: 'joined' })).toEqual({ key: 'system.joined' });
    expect(systemLine({ text: '12 people left' })).toEqual({ key: 'system.manyLeft', params: { count: 12 } });
    expect(systemLine({ text: 'is your name now: "Bob" was taken on another server while this one was cut off' })).toEqual({ key: 'system.renamed', params: { previous: 'Bob' } });
    expect(systemLine({ text: 'something new' })).toBeNull();
  });

  it('errors by code: the relay’s, the desktop app’s, and the model’s sentences first', () => {
    expect(errorText(new ConnectFailure(ErrorCode.NICKNAME_TAKEN, 'taken'))).toBe('Dieser Spitzname ist vergeben. Wähle einen anderen.');
    expect(errorText(new ConnectFailure('UNREACHABLE', 'Cannot reach http://x.'))).toBe('Der Server ist nicht erreichbar. Prüfe die Adresse und ob der Server läuft.');
    expect(errorText(new ConnectFailure(ErrorCode.UNAVAILABLE, 'Not connected.'))).toBe('Nicht verbunden.');
    expect(errorText(new DesktopApiError('hostSession', 'PORT_IN_USE', 'Port 80 is already in use.'))).toBe('Dieser Port ist schon belegt. Wähle einen anderen Port oder lass das Feld leer.');
    expect(errorText(new DesktopApiError('updateSettings', 'INVALID_ARGUMENT', 'nickname: too long'))).toBe('Die Desktop-App hat das nicht angenommen: nickname: too long');
    expect(errorText(new Error('plain'))).toBe('plain');
    expect(errorText(undefined)).toBe('Etwas ist schiefgegangen.');
  });

  it('every reason cleanNickname gives has a translation', () => {
    const inputs: unknown[] = [42, 'x'.repeat(2000), 'a\u0007b', 'a\u200Bb', '   ', '\u0301', 'e' + '\u0301'.repeat(6), 'x'.repeat(40)];
    for (const input of inputs) {
      const result = cleanNickname(input);
      expect(result.ok, String(input)).toBe(false);
      if (!result.ok) expect(nicknameProblem(result.reason), result.reason).not.toBe(result.reason);
    }
  });

  it('typing lines and a DM without a name', () => {
    expect(typingText([])).toBe('');
    expect(typingText(['Ana'])).toBe('Ana schreibt…');
    expect(typingText(['Ana', 'Bo', 'Cy', 'Di'])).toBe('Mehrere Leute schreiben…');
    expect(conversationTitle({ kind: 'dm', peerName: undefined, title: 'Direct message' })).toBe('Direktnachricht');
    expect(conversationTitle({ kind: 'room', title: '#lobby' })).toBe('#lobby');
  });
});
