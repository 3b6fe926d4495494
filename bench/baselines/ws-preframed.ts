/**
 * Baseline 3, the practical upper bound for a Node broadcast: the WebSocket frame is built once per
 * broadcast and the same buffer is written straight to every recipient's TCP socket, so the per-recipient
 * cost is one `socket.write`. Safe here because server frames are unmasked and deflate is off; ws's own
 * sends (the login reply) also go straight to the socket, so frames never interleave.
 */
import * as wsModule from 'ws';
import { WebSocket } from 'ws';
import { startWsChat, type Broadcast } from './ws-chat';

interface FrameOptions {
  fin: boolean;
  opcode: number;
  mask: boolean;
  readOnly: boolean;
  rsv1: boolean;
}

// `Sender` is a public export of ws at runtime but missing from @types/ws.
const { Sender } = wsModule as unknown as { Sender: { frame(data: Buffer, options: FrameOptions): Buffer[] } };
const TEXT = 0x1;

function textFrame(text: string): Buffer {
  return Buffer.concat(Sender.frame(Buffer.from(text), { fin: true, opcode: TEXT, mask: false, readOnly: false, rsv1: false }));
}

const writeFrameOnce: Broadcast = (members, except, payload) => {
  const frame = textFrame(JSON.stringify(payload));
  for (const m of members) if (m !== except && m.ws.readyState === WebSocket.OPEN) m.raw.write(frame);
};

startWsChat(writeFrameOnce);
