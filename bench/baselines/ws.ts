/**
 * Baseline 2: raw `ws` broadcast, the way most hand-written ws servers do it: serialise once, then
 * `ws.send(string)` per recipient (ws frames, and copies, the payload for each of them).
 */
import { WebSocket } from 'ws';
import { startWsChat, type Broadcast } from './ws-chat';

const sendEach: Broadcast = (members, except, payload) => {
  const data = JSON.stringify(payload);
  for (const m of members) if (m !== except && m.ws.readyState === WebSocket.OPEN) m.ws.send(data);
};

startWsChat(sendEach);
