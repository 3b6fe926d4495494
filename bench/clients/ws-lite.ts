/** Client of the ws baselines (baselines/ws-chat.ts): JSON frames `{type, ...}`, no acks. */
import WebSocket from 'ws';
import type { BenchClient, ClientSink, ClientSpec } from './types';

const NEW_MESSAGE = Buffer.from('{"type":"new message"');
const COUNT_TYPES = new Set(['login', 'user joined', 'user left']);

export class WsLiteClient implements BenchClient {
  private ws: WebSocket | undefined;

  constructor(
    private readonly spec: ClientSpec,
    private readonly sink: ClientSink,
  ) {}

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.spec.url.replace(/^http/, 'ws'), { perMessageDeflate: false, skipUTF8Validation: true });
      this.ws = ws;
      let loggedIn = false;
      ws.on('error', (err) => {
        if (!loggedIn) reject(err);
      });
      ws.on('close', () => {
        if (!loggedIn) reject(new Error('closed before login'));
        this.sink.count(this.spec.local, -1);
      });
      ws.on('open', () => ws.send(JSON.stringify({ type: 'add user', username: this.spec.username })));
      ws.on('message', (data: Buffer) => {
        if (NEW_MESSAGE.compare(data, 0, NEW_MESSAGE.length) === 0) return this.sink.frame(this.spec.local, data);
        const event = JSON.parse(data.toString('utf8')) as { type: string; numUsers?: number };
        if (!COUNT_TYPES.has(event.type) || event.numUsers === undefined) return;
        this.sink.count(this.spec.local, event.numUsers);
        if (event.type === 'login' && !loggedIn) {
          loggedIn = true;
          resolve();
        }
      });
    });
  }

  send(text: string, done: (accepted: boolean) => void): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return done(false);
    ws.send(JSON.stringify({ type: 'new message', message: text }));
    done(true);
  }

  close(): void {
    this.ws?.terminate();
  }
}
