/**
 * Socket.IO rooms the relay uses internally (the chat handlers, and the Redis gap fill that delivers
 * DMs to their parties). Public room names cannot collide: they never contain '~' or ':'.
 * Logged-in Parley sockets are "the lobby except CLASSIC_SOCKETS" (everyone is in the lobby): no room of
 * their own, which would cost every connection another room membership. A user's Parley sockets
 * share one room per user, which DMs are sent to.
 */
export const CLASSIC_SOCKETS = '~classic';
export const userRoom = (userId: string): string => `user:${userId}`;
