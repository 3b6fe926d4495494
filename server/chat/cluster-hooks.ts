/**
 * What the chat tells clients when the backend, not a client, changed something: users purged with a
 * dead instance or restored after an outage, nicknames lost to a claim elsewhere, the backend's health.
 * The relay hands these hooks to `stores.attach`.
 */
import type { StoreHooks } from '../stores/types';
import { CLASSIC_SOCKETS, type ChatContext } from './context';

export function clusterHooks(ctx: Pick<ChatContext, 'io' | 'stores' | 'log' | 'presence' | 'lobby'>): StoreHooks {
  const { io, stores, log, presence, lobby } = ctx;
  return {
    presenceChanged: async (changes, gone, arrived) => {
      for (const { room, change } of changes) presence.queue(room, change);
      if (gone.length > 0 || arrived.length > 0) {
        // The classic numUsers counts the lobby; a failed count must not cost the notices themselves.
        const numUsers = await stores.presence.count(lobby).catch(() => 0);
        for (const u of gone) io.to(CLASSIC_SOCKETS).emit('user left', { username: u.username, numUsers, userId: u.id });
        for (const u of arrived) io.to(CLASSIC_SOCKETS).emit('user joined', { username: u.username, numUsers, userId: u.id });
      }
      await presence.flush();
    },
    renamed: (users) => {
      const byId = new Map(users.map((u) => [u.id, u]));
      for (const socket of io.of('/').sockets.values()) {
        const change = byId.get(socket.data.userId);
        if (!change || socket.data.username === undefined) continue;
        // What their next messages and typing notices carry.
        socket.data.username = change.username;
        if (socket.data.kind === 'parley') socket.emit('nickname:changed', { userId: change.id, username: change.username, previous: change.previous, reason: 'conflict' });
      }
    },
    healthChanged: (h) => {
      log.info({ backend: h }, 'backend health changed');
      // Local only: every instance reports its own view of the backend to its own clients.
      io.local.emit('server:status', { status: h === 'ok' ? 'ok' : 'degraded' });
    },
  };
}
