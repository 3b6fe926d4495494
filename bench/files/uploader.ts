/**
 * A forked process that uploads files to the relay back to back until told to stop, so that the
 * chat-latency series measures the relay under upload load, not this process's event loop (the
 * chat clients live in the coordinator). Paced at a network's rate when given one, else as fast as
 * loopback goes. Reports the bytes it uploaded.
 */
import { randomBytes } from 'node:crypto';
import { setPriority } from 'node:os';
import { pacedPut, pacedUpload, parleySocket, tusUpload, uploadToken } from './client';

const [url, megabytes, rate, plainUrl] = process.argv.slice(2);
/** MB/s the uploads are paced at; 0: as fast as loopback goes. */
const MB_PER_S = Number(rate ?? 0);
// On people's networks the uploading client is another computer; here it shares two cores with the
// relay and the chat clients being timed. At the lowest priority it takes only what they leave, so
// the figure prices the relay's work on uploads, not this process's competition for the CPU.
setPriority(19);
const data = randomBytes(Number(megabytes) * 2 ** 20);
let stopping = false;
process.on('message', (m) => {
  if (m === 'stop') stopping = true;
});
process.once('disconnect', () => process.exit(0));

// With `plainUrl` the same bytes go to the plain upload server instead (the relay only chats): what
// receiving files costs this machine whoever receives them.
const socket = plainUrl ? undefined : await parleySocket(url!, `uploader${process.pid}`);
process.send?.({ ready: true });
let bytes = 0;
while (!stopping) {
  if (socket) {
    const token = await uploadToken(socket);
    await (MB_PER_S > 0 ? pacedUpload(url!, token, data, MB_PER_S * 2 ** 20) : tusUpload(url!, token, data));
  } else {
    await pacedPut(plainUrl!, data, MB_PER_S > 0 ? MB_PER_S * 2 ** 20 : Number.MAX_SAFE_INTEGER);
  }
  bytes += data.length;
}
socket?.close();
process.send?.({ bytes });
