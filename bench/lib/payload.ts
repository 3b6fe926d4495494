/**
 * The text of a benchmark message: `m<sender>.<n>.<sentUs>` padded with `x` to a chat-like size. It is
 * the same in every protocol (Parley, classic Socket.IO, raw ws), and it always reaches the receiver
 * as the JSON string field `"message"`, so receivers find it by that key instead of parsing the frame:
 * JSON.parse of every delivery would make the load generator, not the server, the bottleneck.
 */
export interface Delivery {
  sender: number;
  n: number;
  sentUs: number;
}

const MARK = '"message":"m';
const MARK_BYTES = Buffer.from(MARK);

export function messageText(sender: number, n: number, sentUs: number, size: number): string {
  const head = `m${sender}.${n}.${sentUs}`;
  return head.length >= size ? head : head + ' ' + 'x'.repeat(size - head.length - 1);
}

/** Reads the marker from a raw frame (lite clients). Fills `out`; false when the frame carries none. */
export function readDelivery(frame: Buffer, out: Delivery): boolean {
  const at = frame.indexOf(MARK_BYTES);
  if (at < 0) return false;
  return readNumbers((i) => frame[i] ?? -1, at + MARK_BYTES.length, out);
}

/** Same for a decoded message text (library clients). */
export function readDeliveryText(text: string, out: Delivery): boolean {
  if (text.charCodeAt(0) !== 0x6d /* m */) return false;
  return readNumbers((i) => (i < text.length ? text.charCodeAt(i) : -1), 1, out);
}

/** Three dot-separated unsigned integers; the third ends at the first non-digit. */
function readNumbers(at: (i: number) => number, start: number, out: Delivery): boolean {
  const values = [0, 0, 0];
  let i = start;
  for (let k = 0; k < 3; k++) {
    let digits = 0;
    let value = 0;
    for (let c = at(i); c >= 0x30 && c <= 0x39; c = at(++i)) {
      value = value * 10 + (c - 0x30);
      digits++;
    }
    if (digits === 0) return false;
    values[k] = value;
    if (k < 2) {
      if (at(i) !== 0x2e /* . */) return false;
      i++;
    }
  }
  out.sender = values[0]!;
  out.n = values[1]!;
  out.sentUs = values[2]!;
  return true;
}
