/**
 * A minimal Socket.IO v5 client over a plain WebSocket (Engine.IO v4, websocket transport only,
 * default namespace, text packets): enough to log in, send, acknowledge and receive, at a fraction of
 * socket.io-client's cost per delivery. Frames are recognised by prefix instead of being parsed.
 *
 * Engine.IO packets: 0 open, 2 ping (answered with 3 pong), 4 message. Socket.IO packets inside a
 * message: 0 connect, 2 event (`2<ackId>?[name, ...args]`), 3 ack (`3<ackId>[...]`), 4 connect error.
 * The namespace connect (`40` + auth) goes out as soon as the socket opens; the server handles it
 * after its own open packet, so no round trip is spent waiting for that.
 */
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { PROTOCOL_VERSION } from '../../protocol/index';
import type { BenchClient, ClientSink, ClientSpec } from './types';

const NEW_MESSAGE = Buffer.from('42["new message",');
const ACK_OK = '[{"ok":true';
const CLASSIC_COUNT_EVENTS = ['42["login",', '42["user joined",', '42["user left",'];

// Packet-type digits as bytes.
const C = { Zero: 0x30, Two: 0x32, Three: 0x33, Four: 0x34 } as const;

export class SioLiteClient implements BenchClient {
  private ws: WebSocket | undefined;
  private nextAck = 1;
  private readonly acks = new Map<number, (ok: boolean) => void>();
  private readonly auth: string;
  /** Set while a classic login waits for its `login` event. */
  private onLogin: (() => void) | undefined;

  constructor(
    private readonly spec: ClientSpec,
    private readonly parley: boolean,
    private readonly sink: ClientSink,
  ) {
    // A Parley client is recognised by its handshake auth; the key only has to be unique per client.
    this.auth = parley ? JSON.stringify({ client: 'parley', protocol: PROTOCOL_VERSION, key: randomBytes(18).toString('base64url') }) : '';
  }

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${this.spec.url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, {
        perMessageDeflate: false,
        // The load generator trusts the server's UTF-8; validating it is pure overhead here.
        skipUTF8Validation: true,
      });
      this.ws = ws;
      let loggedIn = false;
      const fail = (err: Error): void => {
        if (!loggedIn) reject(err);
      };
      ws.on('error', fail);
      ws.on('close', () => {
        fail(new Error('closed before login'));
        for (const done of this.acks.values()) done(false);
        this.acks.clear();
        this.sink.count(this.spec.local, -1);
      });
      ws.on('message', (data: Buffer) => {
        if (data[0] === C.Two && data.length === 1) return ws.send('3');
        if (data[0] !== C.Four) return;
        switch (data[1]) {
          case C.Two:
            if (NEW_MESSAGE.compare(data, 0, NEW_MESSAGE.length) === 0) this.sink.frame(this.spec.local, data);
            else if (!this.parley) this.classicCount(data.toString('utf8'));
            return;
          case C.Three:
            this.onAck(data.toString('utf8'));
            return;
          case C.Zero:
            this.login(() => {
              loggedIn = true;
              resolve();
            }, fail);
            return;
          case C.Four:
            fail(new Error(`connect error: ${data.toString('utf8')}`));
            return;
        }
      });
      ws.on('open', () => ws.send(`40${this.auth}`));
    });
  }

  private login(done: () => void, fail: (err: Error) => void): void {
    const name = JSON.stringify(this.spec.username);
    if (!this.parley) {
      // A classic login has no ack: the `login` event confirms it.
      this.onLogin = done;
      this.ws!.send(`42["add user",${name}]`);
      return;
    }
    const id = this.nextAck++;
    this.acks.set(id, (ok) => (ok ? done() : fail(new Error('login refused'))));
    this.ws!.send(`42${id}["add user",{"username":${name}}]`);
  }

  private classicCount(frame: string): void {
    if (!CLASSIC_COUNT_EVENTS.some((prefix) => frame.startsWith(prefix))) return;
    const [, body] = JSON.parse(frame.slice(2)) as [string, { numUsers: number }];
    this.sink.count(this.spec.local, body.numUsers);
    if (frame.startsWith(CLASSIC_COUNT_EVENTS[0]!) && this.onLogin) {
      const done = this.onLogin;
      this.onLogin = undefined;
      done();
    }
  }

  private onAck(frame: string): void {
    let i = 2;
    let id = 0;
    for (let c = frame.charCodeAt(i); c >= 0x30 && c <= 0x39; c = frame.charCodeAt(++i)) id = id * 10 + (c - 0x30);
    const done = this.acks.get(id);
    if (!done) return;
    this.acks.delete(id);
    done(frame.startsWith(ACK_OK, i));
  }

  send(text: string, done: (accepted: boolean) => void): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return done(false);
    if (!this.parley) {
      ws.send(`42["new message",${JSON.stringify(text)}]`);
      return done(true);
    }
    const id = this.nextAck++;
    this.acks.set(id, done);
    ws.send(`42${id}["new message",{"text":${JSON.stringify(text)}}]`);
  }

  close(): void {
    this.ws?.terminate();
  }
}
