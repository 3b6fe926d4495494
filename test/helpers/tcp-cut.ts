/**
 * A TCP relay between one component and a server that the test can cut and restore: a cut closes
 * every connection through it and refuses new ones until `restore()`; a stall accepts them and never answers. It stands for a network
 * partition between one relay instance and Redis while the other instances still reach it.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export class TcpCut {
  private readonly open = new Set<Socket>();
  private severed = false;
  private stalled = false;
  private holding = false;

  private constructor(private readonly server: Server, readonly port: number) {}

  static async start(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpCut> {
    const server = createServer((inbound) => self.accept(inbound, targetPort, targetHost));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const self = new TcpCut(server, typeof address === 'object' && address ? address.port : 0);
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
    for (const s of [inbound, outbound]) {
      this.open.add(s);
      s.on('close', () => this.open.delete(s));
      s.on('error', () => {
        inbound.destroy();
        outbound.destroy();
      });
    }
    inbound.pipe(outbound);
    // Replies pass unless held (holdReplies): the server then has the commands but answers nobody.
    outbound.on('data', (chunk: Buffer) => {
      if (!this.holding) inbound.write(chunk);
    });
    // Either side going away closes the other, as a dead server or client would.
    outbound.on('close', () => inbound.destroy());
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
