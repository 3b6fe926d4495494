/** `history:fetch`: pages of a room's or DM conversation's history, for catch-up and scroll-back. */
import { REPLY_HISTORY_BYTES } from '../../protocol/index';
import { resolveTarget } from './addressing';
import { route } from './guard';
import { fitPage } from './reply-budget';

export const historyRoutes = [
  route('history:fetch', {}, async (conn, req) => {
    const target = resolveTarget(conn, req.room);
    const query: { limit: number; afterSeq?: number; beforeSeq?: number } = { limit: req.limit ?? conn.ctx.historyLimit };
    if (req.afterSeq !== undefined) query.afterSeq = req.afterSeq;
    if (req.beforeSeq !== undefined) query.beforeSeq = req.beforeSeq;
    return fitPage(await conn.ctx.stores.history.page(target.room, query), REPLY_HISTORY_BYTES).page;
  }),
];
