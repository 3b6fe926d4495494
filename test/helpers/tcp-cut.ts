/**
 * A TCP relay between one component and a server that the test can cut and restore: a cut closes
 * every connection through it and refuses new ones until `restore()`; a stall accepts them and never answers. It stands for a network
 * partition between one relay instance and Redis while the other instances still reach it.
 * `freeze` silences only the connections open now, both ways and without closing them, while new ones
 * pass: a laptop waking from sleep, its old connection dead without a word and the network fine.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export class TcpCut {
  private readonly open = new Set<Socket>();
  /** Client-side sockets whose traffic is dropped in both directions (freeze). */
  private readonly frozen = new WeakSet<Socket>();
  private readonly inbound = new Set<Socket>();
  private severed = false;
  private stalled = false;
  private holding = false;

  private constructor(private readonly server: Server, readonly port: number) {}

  /** Where new connections go (`retarget`); open ones stay where they are. */
  private targetPort = 0;

  static async start(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpCut> {
    const server = createServer((inbound) => self.accept(inbound, self.targetPort, targetHost));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const self = new TcpCut(server, typeof address === 'object' && address ? address.port : 0);
    self.targetPort = targetPort;
    return self;
  }

  private accept(inbound: Socket, targetPort: number, targetHost: string): void {
    if (this.severed) return void inbound.destroy();
    if (this.stalled) {
      // Accepted and then silent: the client sees a connection that never answers.
      this.open.add(inbound);
      inbound.on('close', () => this.open.delete(inbound));
      inbound.on('error', () => inbound.destroy());
      return;
    }
    const outbound = connect(targetPort, targetHost);
    this.inbound.add(inbound);
    inbound.on('close', () => this.inbound.delete(inbound));
    for (const s of [inbound, outbound]) {
      this.open.add(s);
      s.on('close', () => this.open.delete(s));
      s.on('error', () => {
        inbound.destroy();
        outbound.destroy();
      });
    }
    inbound.on('data', (chunk: Buffer) => {
      if (!this.frozen.has(inbound)) outbound.write(chunk);
    });
    // Replies pass unless held (holdReplies): the server then has the commands but answers nobody.
    outbound.on('data', (chunk: Buffer) => {
      if (!this.holding && !this.frozen.has(inbound)) inbound.write(chunk);
    });
    // Either side going away closes the other, as a dead server or client would; but a frozen client
    // never hears of it (a sleeping laptop does not get the server's goodbye).
    outbound.on('close', () => {
      if (!this.frozen.has(inbound)) inbound.destroy();
    });
    inbound.on('close', () => outbound.destroy());
  }

  get redisUrl(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  cut(): void {
    this.severed = true;
    for (const s of this.open) s.destroy();
  }

  /** From now on the server's replies are dropped: commands reach it and wait for answers that never come. */
  holdReplies(): void {
    this.holding = true;
  }

  /** Like `cut`, but new connections are accepted and never answered (a black hole, not a refusal). */
  stall(): void {
    this.cut();
    this.severed = false;
    this.stalled = true;
  }

  /** The connections open now go silent both ways and stay open, for good; later ones pass as usual. */
  freeze(): void {
    for (const s of this.inbound) this.frozen.add(s);
  }

  /** New connections go to `port` from now on, as a load balancer's do once an instance is gone. */
  retarget(port: number): void {
    this.targetPort = port;
  }

  restore(): void {
    this.severed = false;
    this.stalled = false;
    this.holding = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
