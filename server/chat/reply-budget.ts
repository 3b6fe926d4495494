/**
 * Byte budgets for replies that carry history (protocol/limits.ts REPLY_HISTORY_BYTES and
 * LOGIN_HISTORY_BYTES): a page over its budget leaves out its oldest messages and says `hasMore`, so
 * the client fetches them by scroll-back or catch-up. The newest message always stays: a room is
 * never shown without where it stands, and a single message is bounded by MESSAGE_MAX anyway.
 */
import { REPLY_HISTORY_BYTES, type ChatMessage, type HistoryPage } from '../../protocol/index';

/** A message's size on the wire, closely enough: its UTF-8 text and name plus the fixed fields. */
function messageBytes(m: ChatMessage): number {
  return Buffer.byteLength(m.message) + Buffer.byteLength(m.username) + 160 + (m.clientId?.length ?? 0);
}

/** The page cut to `budget` bytes of messages (newest kept first); `used` is what it took. */
export function fitPage(page: HistoryPage, budget: number): { page: HistoryPage; used: number } {
  let used = 0;
  let from = page.messages.length;
  while (from > 0) {
    const size = messageBytes(page.messages[from - 1]!);
    if (from < page.messages.length && used + size > budget) break;
    used += size;
    from--;
  }
  if (from === 0) return { page, used };
  return { page: { ...page, messages: page.messages.slice(from), hasMore: true }, used };
}

/** A budget shared by the pages of one reply (a login ack), handed out in order; a page gets at most REPLY_HISTORY_BYTES. */
export class ReplyBudget {
  constructor(private left: number) {}

  /** The page within what is left. */
  fit(page: HistoryPage): HistoryPage {
    const fitted = fitPage(page, Math.max(0, Math.min(this.left, REPLY_HISTORY_BYTES)));
    this.left = Math.max(0, this.left - fitted.used);
    return fitted.page;
  }
}
