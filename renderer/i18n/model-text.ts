/**
 * Words that reach the screen from outside the UI: error codes from the relay and the desktop app,
 * and the English the model (renderer/model/) and protocol/nickname.ts still write: system lines,
 * notices, nickname rules. They are matched here and shown from the catalogue, the English kept as
 * the fallback for anything unknown (a newer relay's message). test/renderer/i18n/model-text.test.ts
 * checks each pattern against the source that writes it, so a reworded model line fails a test
 * instead of silently showing in English.
 */
import type { Conversation } from '../model/conversation';
import type { SystemEntry } from '../model/timeline';
import { t, tIfExists, type MessageKey, type MessageParams } from './i18n';

export interface Message {
  key: MessageKey;
  params?: MessageParams;
}

/** Fixed sentences of the model (relay-connection.ts, login.ts, outbox.ts). */
const MODEL_SENTENCES: Record<string, MessageKey> = {
  'Not connected.': 'errors.notConnected',
  'The relay did not answer.': 'errors.noAnswer',
  'Login timed out.': 'errors.loginTimeout',
  'Could not be delivered.': 'errors.undelivered',
  'A file was still uploading when Parley closed: attach it again.': 'errors.uploadLost',
};

/** A sentence of the model in the active language; anything else (a relay's own words) as it came. */
export function modelText(text: string): string {
  const key = MODEL_SENTENCES[text];
  if (key) return t(key);
  const relogin = /^Could not log in again: (.*)$/s.exec(text);
  if (relogin) return t('errors.relogin', { reason: modelText(relogin[1]!) });
  return text;
}

/**
 * What to tell the user about a failure: a model sentence; else by its code, from the relay
 * (ErrorCode, or UNREACHABLE) or from the desktop app (DesktopApiError); else its own message.
 */
export function errorText(err: unknown): string {
  const message = err instanceof Error ? err.message : typeof err === 'string' ? err : '';
  if (MODEL_SENTENCES[message]) return modelText(message);
  const code = typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
  if (code) {
    const desktop = err instanceof Error && err.name === 'DesktopApiError';
    const known = tIfExists(`${desktop ? 'desktopErrors' : 'errors'}.${code}`, { detail: message });
    if (known) return known;
  }
  return message ? modelText(message) : t('errors.unknown');
}

/** protocol/nickname.ts's reasons (shared with the relay, which answers in English). */
const NICKNAME_REASONS: [RegExp, (m: RegExpExecArray) => Message][] = [
  [/^Nickname must be text\.$/, () => ({ key: 'nickname.notText' })],
  [/^Nickname is longer than (\d+) characters\.$/, (m) => ({ key: 'nickname.tooLong', params: { max: Number(m[1]) } })],
  [/^Nickname contains control or invisible characters\.$/, () => ({ key: 'nickname.control' })],
  [/^Nickname contains invisible characters\.$/, () => ({ key: 'nickname.invisible' })],
  [/^Nickname is empty\.$/, () => ({ key: 'nickname.empty' })],
  [/^Nickname has no visible characters\.$/, () => ({ key: 'nickname.noVisible' })],
  [/^Nickname needs a letter, digit or symbol, not only accents\.$/, () => ({ key: 'nickname.onlyMarks' })],
  [/^Nickname stacks more than (\d+) accents on one character\.$/, (m) => ({ key: 'nickname.tooManyMarks', params: { max: Number(m[1]) } })],
  [/^Nickname must be (\d+)–(\d+) characters\.$/, (m) => ({ key: 'nickname.length', params: { min: Number(m[1]), max: Number(m[2]) } })],
];

export function nicknameProblem(reason: string): string {
  for (const [pattern, message] of NICKNAME_REASONS) {
    const m = pattern.exec(reason);
    if (m) {
      const { key, params } = message(m);
      return t(key, params);
    }
  }
  return reason;
}

/** System lines (presence-sync.ts, history-sync.ts, chat-client.ts); `name` is the entry's subject. */
const SYSTEM_LINES: [RegExp, (m: RegExpExecArray) => Message][] = [
  [/^joined$/, () => ({ key: 'system.joined' })],
  [/^left$/, () => ({ key: 'system.left' })],
  [/^(\d+) people joined$/, (m) => ({ key: 'system.manyJoined', params: { count: Number(m[1]) } })],
  [/^(\d+) people left$/, (m) => ({ key: 'system.manyLeft', params: { count: Number(m[1]) } })],
  [/^Some messages could not be recovered after the reconnect\.$/, () => ({ key: 'system.lost' })],
  [/^is your name now: "(.*)" was taken on another server while this one was cut off$/s, (m) => ({ key: 'system.renamed', params: { previous: m[1]! } })],
];

/** The catalogue message of a system line, or null for a line this UI does not know. */
export function systemLine(entry: Pick<SystemEntry, 'text'>): Message | null {
  for (const [pattern, message] of SYSTEM_LINES) {
    const m = pattern.exec(entry.text);
    if (m) return message(m);
  }
  return null;
}

/** A conversation's name: "#room", or the other person's name in a DM. */
export function conversationTitle(conv: Pick<Conversation, 'kind' | 'peerName' | 'title'>): string {
  return conv.kind === 'dm' && conv.peerName === undefined ? t('chat.directMessage') : conv.title;
}

/** "Ana is typing…" for the names the model's TypingTracker lists (at most three named). */
export function typingText(names: readonly string[]): string {
  const [a = '', b = '', c = ''] = names;
  if (names.length === 0) return '';
  if (names.length === 1) return t('typing.one', { a });
  if (names.length === 2) return t('typing.two', { a, b });
  if (names.length === 3) return t('typing.three', { a, b, c });
  return t('typing.several');
}
