/**
 * Searching the relay's history (protocol/edits.ts `search`): in the open conversation or in all the
 * user's conversations, newest first, the matched words marked. Choosing a hit opens its
 * conversation at that message, with what came before it loaded. Found text is user text: it is
 * shown as text nodes and <mark> elements, never as HTML.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { SearchHit } from '../../protocol/index';
import type { ChatClient } from '../model/chat-client';
import type { Conversation } from '../model/conversation';
import { conversationTitle, errorText, formatDateTime, t } from '../i18n/index';
import { useModel } from './use-model';

/** Quiet time after typing before a search goes out: one request per pause, not per key. */
const TYPING_PAUSE_MS = 300;
/** How much of a long message a hit shows around its first match. */
const SNIPPET = 160;

type State = { kind: 'idle' } | { kind: 'searching' } | { kind: 'done'; hits: SearchHit[]; more: boolean } | { kind: 'failed'; error: string };

interface Props {
  client: ChatClient;
  conv: Conversation;
  onOpen: (room: string, id: string, seq: number) => void;
  onClose: () => void;
}

export function SearchPanel({ client, conv, onOpen, onClose }: Props): JSX.Element {
  useModel(client);
  const [query, setQuery] = useState('');
  const [everywhere, setEverywhere] = useState(false);
  const [state, setState] = useState<State>({ kind: 'idle' });
  const asked = useRef(0);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => input.current?.focus(), []);
  useEffect(() => {
    const words = query.trim();
    if (words === '') {
      setState({ kind: 'idle' });
      return;
    }
    const timer = setTimeout(() => void run(words), TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [query, everywhere, conv.id]);

  async function run(words: string): Promise<void> {
    const mine = ++asked.current;
    setState({ kind: 'searching' });
    const answer = await client.editing.search(words, everywhere ? undefined : conv.id);
    // An answer to an earlier query that came back late is dropped.
    if (mine !== asked.current) return;
    setState(answer.ok ? { kind: 'done', hits: answer.hits, more: answer.more } : { kind: 'failed', error: errorText(answer) });
  }

  return (
    <aside class="participants search-panel" aria-labelledby="search-title" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div class="search-head">
        <h2 id="search-title">{t('search.title')}</h2>
        <button type="button" class="quiet" onClick={onClose} aria-label={t('search.close')}>
          ×
        </button>
      </div>
      <form role="search" onSubmit={(e) => (e.preventDefault(), query.trim() && void run(query.trim()))}>
        <input ref={input} type="search" dir="auto" value={query} placeholder={t('search.placeholder')} aria-label={t('search.label')} maxLength={200} onInput={(e) => setQuery(e.currentTarget.value)} />
        <fieldset class="scope">
          <legend class="muted small">{t('search.scope')}</legend>
          <label>
            <input type="radio" name="scope" checked={!everywhere} onChange={() => setEverywhere(false)} /> {t('search.here', { conversation: conversationTitle(conv) })}
          </label>
          <label>
            <input type="radio" name="scope" checked={everywhere} onChange={() => setEverywhere(true)} /> {t('search.everywhere')}
          </label>
        </fieldset>
      </form>
      <Results client={client} state={state} onOpen={onOpen} />
    </aside>
  );
}

function Results({ client, state, onOpen }: { client: ChatClient; state: State; onOpen: Props['onOpen'] }): JSX.Element | null {
  if (state.kind === 'idle') return null;
  if (state.kind === 'searching') return <p class="muted" role="status">{t('search.searching')}</p>;
  if (state.kind === 'failed') return <p class="notice" role="alert">{state.error}</p>;
  return (
    <>
      <p class="muted small" role="status">
        {state.hits.length === 0 ? t('search.none') : t('search.results', { count: state.hits.length })}
      </p>
      <ol class="plain hits">
        {state.hits.map(({ message, ranges }) => {
          const conv = client.conversation(message.room);
          return (
            <li key={message.id}>
              <button type="button" class="hit" onClick={() => onOpen(message.room, message.id, message.seq)}>
                <span class="hit-meta">
                  <bdi class="author">{message.username}</bdi> · <bdi>{conv ? conversationTitle(conv) : message.room}</bdi> ·{' '}
                  <time dateTime={new Date(message.ts).toISOString()}>{formatDateTime(message.ts)}</time>
                </span>
                <span class="hit-text" dir="auto">
                  {marked(message.message, ranges)}
                </span>
              </button>
            </li>
          );
        })}
      </ol>
      {state.more && <p class="muted small">{t('search.more')}</p>}
    </>
  );
}

/** The text around the first match, with every matched range in a <mark>. */
export function marked(text: string, ranges: readonly [number, number][]): (string | JSX.Element)[] {
  const first = ranges[0]?.[0] ?? 0;
  let from = text.length <= SNIPPET ? 0 : Math.max(0, Math.min(first - SNIPPET / 4, text.length - SNIPPET));
  // Never start in the middle of a surrogate pair (an emoji cut in half).
  if (from > 0 && /[\uDC00-\uDFFF]/.test(text[from]!)) from--;
  const to = Math.min(text.length, from + SNIPPET);
  const out: (string | JSX.Element)[] = from > 0 ? ['…'] : [];
  let at = from;
  for (const [start, end] of ranges) {
    if (end <= at || start >= to) continue;
    const s = Math.max(start, at);
    if (s > at) out.push(text.slice(at, s));
    out.push(<mark key={s}>{text.slice(s, Math.min(end, to))}</mark>);
    at = Math.min(end, to);
  }
  if (at < to) out.push(text.slice(at, to));
  if (to < text.length) out.push('…');
  return out;
}
