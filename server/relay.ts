/**
 * `createRelay`: the Parley relay as a value. The desktop app embeds it, tests start it in-process,
 * and the standalone CLI wraps it. Plain Node: no Electron, no environment reads, no Redis imports
 * (a Redis backend is passed in as `stores`).
 */
import { createServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { Server } from 'socket.io';
import { pino } from 'pino';
import { MAX_HTTP_BUFFER_SIZE, PROTOCOL_VERSION } from '../protocol/index';
import { relayIdFor } from './relay-id';
import { attachChat } from './chat/index';
import { clusterHooks } from './chat/cluster-hooks';
import type { ChatContext, ParleyServer } from './chat/context';
import { ConversationExpiry } from './chat/expiry';
import { batchTransportWrites, TurnFlusher, tuneBroadcasts } from './chat/fast-broadcast';
import { handshakeMiddleware } from './chat/handshake';
import { PresenceBroadcaster } from './chat/presence-broadcaster';
import { requestHandler } from './http/handler';
import { healthDetailsPolicy, memoryMiB, type HealthStatus } from './http/health';
import { corsOrigin, listedOrigin, originPolicy } from './http/origin';
import { hostPolicy } from './http/host-check';
import { clientAddress, publicOrigin, requestHost } from './http/forwarded';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { displayFingerprint } from '../protocol/tls';
import { describeCertificate } from './tls/certificate';
import { PairingDesk } from './chat/pairing-desk';
import { JoinCodeGuard } from './chat/join-code';
import { staticHandler } from './http/static';
import { listen, parsePort } from './listen';
import type { Logger } from './logger';
import { DEFAULT_AZURE_CONTAINER, resolveOptions, type RelayOptions } from './options';
import { createMemoryStores } from './stores/memory';
import { MemoryRateLimiter, type BucketSpec } from './stores/token-bucket';
import { Redelivery } from './chat/redelivery';
import { ReceiptFanout } from './chat/receipt-fanout';
import { AddressLimits, addressMiddleware } from './chat/address-limits';
import { createFileService } from './files/index';
import type { QuotaLimits } from './files/quota';
import type { ChatStores, RoomCreationLimiter } from './stores/types';

export interface Relay {
  /** Base URL for clients (`http://host:port`), or `unix:<path>` when listening on a pipe/socket. */
  readonly url: string;
  /** TCP port, or undefined on a pipe/socket. */
  readonly port: number | undefined;
  /** The pipe/socket path, when listening on one. */
  readonly socketPath: string | undefined;
  readonly io: ParleyServer;
  readonly httpServer: HttpServer;
  readonly stores: ChatStores;
  readonly instanceId: string;
  /** This relay's public id for links (RelayOptions.relayId). */
  readonly relayId: string;
  /** SHA-256 of the TLS certificate (64 lower-case hex digits) when serving HTTPS. */
  readonly fingerprint: string | undefined;
  /** Current health, as /healthz reports it. */
  health(): HealthStatus;
  /** Graceful shutdown: refuse new work, tell clients, close connections, release the backend. Idempotent. */
  close(): Promise<void>;
}

export async function createRelay(options: RelayOptions = {}): Promise<Relay> {
  const opts = resolveOptions(options);
  const log: Logger = options.logger ?? pino({ level: 'silent' });
  const instanceId = options.instanceId ?? defaultInstanceId();
  const stores = options.stores ?? (await defaultStores(options, opts));
  // After the stores: a data folder that cannot be used is reported by the database, naming it.
  const ownId = await relayIdFor(options.relayId, options.stores ? undefined : options.dataDir).catch(async (err: unknown) => {
    await stores.close();
    throw err;
  });
  // A Redis deployment shares one id across instances (Redis away at start: this run's own).
  const relayId = options.relayId ?? (stores.sharedRelayId ? ((await stores.sharedRelayId(ownId)) ?? ownId) : ownId);
  const startedAt = Date.now();
  let closing: Promise<void> | undefined;

  const health = (): HealthStatus => (closing ? 'stopping' : stores.health());
  // After the stores: a data folder the durable store could not open (locked) is not touched here.
  const files = await createFileService({
    dataDir: options.dataDir,
    azure: options.azureStorage && { connectionString: options.azureStorage.connectionString, container: options.azureStorage.container ?? DEFAULT_AZURE_CONTAINER },
    secret: options.filesSecret,
    ...opts.uploads,
    ...(stores.fileQuota ? { quota: (limits: QuotaLimits) => stores.fileQuota!(limits) } : {}),
    allowedOrigins: opts.allowedOrigins,
    proxyHops: opts.proxyHops,
    allowedHosts: opts.allowedHosts,
    log,
  }).catch(async (err: unknown) => {
    if (!options.stores) await stores.close();
    throw err;
  });
  const allowHost = hostPolicy(opts.allowedHosts);
  const hostOf = (req: IncomingMessage) => requestHost(req, opts.proxyHops);
  const tls = options.tls && describeCertificate(options.tls.cert, options.tls.key);
  const guard = opts.joinCode ? new JoinCodeGuard(opts.joinCode, opts.lockout) : undefined;
  const pairing = guard && tls ? new PairingDesk(opts.joinCode!, tls.fingerprint, guard, listedOrigin(opts.allowedOrigins), options.pairStarts) : undefined;
  const routes = (req: IncomingMessage, res: ServerResponse) => pairing?.handle(req, res, clientAddress(req, opts.proxyHops)) || files.handle(req, res);
  const handler = (
    requestHandler(
      (req) => {
        if (allowHost(hostOf(req))) return true;
        log.warn({ host: hostOf(req), path: req.url }, 'refused request for an unknown host name (set ALLOWED_HOSTS)');
        return false;
      },
      {
        status: health,
        showDetails: healthDetailsPolicy(opts.healthDetails),
        details: (req) => ({
          url: publicOrigin(req, opts.proxyHops),
          instance: instanceId,
          protocol: PROTOCOL_VERSION,
          uptimeS: Math.round((Date.now() - startedAt) / 1000),
          connections: io.engine.clientsCount,
          memory: memoryMiB(),
          ...(tls ? { tls: { fingerprint: tls.fingerprint, notAfter: tls.notAfter.toISOString() } } : {}),
          ...stores.describe(),
        }),
      },
      staticHandler(opts.staticDir),
      routes,
    )
  );
  const httpServer: HttpServer = tls ? createHttpsServer({ cert: tls.cert, key: tls.key }, handler) : createServer(handler);
  const allowOrigin = originPolicy(opts.allowedOrigins, opts.proxyHops);
  const addressLimits = new AddressLimits(opts.addressLimits);
  const io: ParleyServer = new Server(httpServer, {
    serveClient: true,
    maxHttpBufferSize: MAX_HTTP_BUFFER_SIZE,
    // Small chat frames gain little from deflate, and it would defeat Socket.IO's encode-once broadcast.
    perMessageDeflate: false,
    pingInterval: opts.pingIntervalMs,
    pingTimeout: opts.pingTimeoutMs,
    ...(stores.adapter ? { adapter: stores.adapter } : {}),
    allowRequest: (req, callback) => {
      if (stores.health() === 'misconfigured') return callback('Relay not ready', false);
      if (!addressLimits.admitSession(clientAddress(req, opts.proxyHops))) return callback('Too many connections from this address', false);
      if (!allowHost(hostOf(req))) {
        log.warn({ host: hostOf(req) }, 'refused foreign Host (DNS rebinding?)');
        return callback('Host not allowed', false);
      }
      const origin = req.headers.origin;
      if (allowOrigin(origin, req)) return callback(null, true);
      log.warn({ origin }, 'refused foreign origin');
      callback('Origin not allowed', false);
    },
    cors: {
      // The listed origins of the allowRequest policy (http/origin.ts); same-origin pages need no grant.
      origin: corsOrigin(opts.allowedOrigins),
      credentials: false,
    },
  });
  // The delivery-path tuning (chat/fast-broadcast.ts) leans on Socket.IO internals: say what took.
  const flusher = new TurnFlusher();
  if (opts.fastPath) {
    const tuning = tuneBroadcasts(io.of('/').adapter);
    batchTransportWrites(io.engine, flusher);
    log.info({ fastPath: { ...tuning, batchedWrites: true, turnFlush: true } }, tuning.singleRoomWalk && tuning.joinedFrames ? 'fast path on' : 'fast path partly on: Socket.IO internals differ from the pinned versions');
  } else {
    log.info({ fastPath: false }, 'fast path off: stock Socket.IO delivery');
  }
  io.use(
    handshakeMiddleware({
      proxyHops: opts.proxyHops,
      ...(guard ? { joinGuard: guard } : {}),
      ...(pairing ? { pairing } : {}),
    }),
  );
  io.use(addressMiddleware(addressLimits));
  io.engine.on('connection', (session: { request: IncomingMessage; once(event: 'close', fn: () => void): void }) => {
    const ip = clientAddress(session.request, opts.proxyHops);
    addressLimits.sessionOpened(ip);
    session.once('close', () => addressLimits.sessionClosed(ip));
  });

  const presence = new PresenceBroadcaster(io, stores.presence, log, opts.presenceFlushMs);
  const receipts = new ReceiptFanout(io);
  const ctx: ChatContext = {
    io,
    stores,
    log,
    presence,
    lobby: opts.lobby,
    historyLimit: opts.historyLimit,
    editWindowMs: opts.editWindowMs,
    relayId,
    linkSenders: options.linkSenders === undefined || options.linkSenders === 'any' ? 'any' : new Set(options.linkSenders),
    limits: opts.limits,
    isClosing: () => closing !== undefined,
    pendingLogouts: new Set(),
    redelivery: new Redelivery(),
    receipts,
    addressLimits: opts.addressLimits,
    files,
    flushAfter: opts.fastPath ? (reply) => flusher.after(reply) : (reply) => reply,
    roomCreation: stores.roomCreation?.(opts.limits.roomsByUser, opts.limits.roomsByAddress) ?? localRoomCreation(opts.limits.roomsByUser, opts.limits.roomsByAddress),
  };
  attachChat(ctx);
  stores.attach?.(clusterHooks(ctx));

  const expiry = new ConversationExpiry(ctx, opts.expiry);
  const sweeper = setInterval(() => {
    expiry.sweep().catch((err: unknown) => log.warn({ err }, 'conversation expiry sweep failed; next one retries'));
  }, opts.expiry.intervalMs);
  sweeper.unref();

  if (stores.adapterReady && !(await stores.adapterReady(3000))) {
    // Redis is down or slow: start anyway (local chat works); the adapter subscribes when it returns.
    log.warn('cross-instance broadcasts not yet subscribed; starting without them');
  }
  const target = parsePort(opts.port, opts.host);
  try {
    await listen(httpServer, target);
  } catch (err) {
    // Nothing listens, so nothing will close this relay: release what it opened (the durable store
    // holds its database's lock, and a host that retries on another port must be able to reopen it).
    clearInterval(sweeper);
    await presence.close();
    receipts.close();
    io.close();
    if (!options.stores) await stores.close();
    await files.close();
    throw err;
  }
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : undefined;
  const url = target.kind === 'pipe' ? `unix:${target.path}` : `${tls ? 'https' : 'http'}://${urlHost(opts.host)}:${port}`;
  log.info({ url, instance: instanceId, backend: stores.kind, historyLimit: opts.historyLimit, ...(tls ? { fingerprint: displayFingerprint(tls.fingerprint) } : {}) }, 'relay listening');

  const shutdown = async (): Promise<void> => {
    log.info({ connections: io.engine.clientsCount }, 'relay shutting down');
    clearInterval(sweeper);
    io.local.emit('server:shutdown', { reason: 'The relay is restarting or shutting down.', reconnectAfterMs: 1000 });
    await delay(io.engine.clientsCount > 0 ? opts.shutdownGraceMs : 0);
    io.local.disconnectSockets(true);
    // Let the disconnect handlers remove their sessions from presence (bounded: a hung store must not hang shutdown).
    await withTimeout(Promise.allSettled([...ctx.pendingLogouts]), 2000);
    await presence.flush();
    receipts.flush();
    await stores.drain?.();
    await presence.close();
    receipts.close();
    await new Promise<void>((resolve) => {
      io.close(() => resolve());
      httpServer.closeAllConnections();
    });
    await stores.close();
    // After the HTTP server: no upload or download is running any more.
    await files.close();
    log.info('relay stopped');
  };

  return {
    url,
    port,
    socketPath: target.kind === 'pipe' ? target.path : undefined,
    io,
    httpServer,
    stores,
    instanceId,
    relayId,
    fingerprint: tls?.fingerprint,
    health,
    close: () => (closing ??= shutdown()),
  };
}

/** On disk under `dataDir` (loaded only then: it brings LevelDB's native binding), else in memory. */
async function defaultStores(options: RelayOptions, opts: ReturnType<typeof resolveOptions>): Promise<ChatStores> {
  const base = { historyLimit: opts.historyLimit, lobby: opts.lobby, userMessages: opts.limits.userMessages };
  if (options.dataDir === undefined || options.dataDir === ':memory:') return createMemoryStores(base);
  const { createDurableStores } = await import('./stores/durable/index');
  return createDurableStores({ ...base, dataDir: options.dataDir, ...(options.historyMaxAgeMs ? { historyMaxAgeMs: options.historyMaxAgeMs } : {}) });
}

/** Room creation allowances of this relay alone (memory mode). */
function localRoomCreation(userSpec: BucketSpec, addressSpec: BucketSpec): RoomCreationLimiter {
  const byUser = new MemoryRateLimiter(userSpec);
  const byAddress = new MemoryRateLimiter(addressSpec);
  return async (userKey, addressKey) => {
    const user = byUser.take(userKey);
    return user.ok ? byAddress.take(addressKey) : user;
  };
}

/** host-pid-random: unique per process start, readable in logs. */
export function defaultInstanceId(): string {
  return `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits for `work` at most `ms`; the timer is cleared either way so it never holds the process open. */
async function withTimeout(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([work, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
