#!/usr/bin/env node
/**
 * `parley-server`: the standalone relay. The only file that reads the environment and the only place
 * a Redis backend is chosen. Runs in the foreground; SIGTERM/SIGINT shut it down gracefully.
 * `parley-server doctor <url>` runs the connection checks of server/doctor/ against a relay instead.
 */
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { Command } from 'commander';
import { createRelay, defaultInstanceId, type Relay } from './relay';
import { DEFAULT_LIMITS } from './options';
import { misconfiguredStores } from './stores/misconfigured';
import type { ChatStores } from './stores/types';
import { DEFAULT_ROOM } from '../protocol/index';
import { createLogger, redactUrl, type Logger } from './logger';
import { ConfigError, resolveConfig, type CliFlags, type StandaloneConfig } from './config';
import type { CheckResult } from '../protocol/diagnostics';
import { displayFingerprint } from '../protocol/tls';
import { standaloneTls } from './tls/standalone';

const program = new Command()
  .name('parley-server')
  .description('Parley chat relay: Socket.IO chat server and web client; history on disk, in memory, or in Redis when scaled out.')
  .option('-p, --port <port|path>', 'TCP port or pipe/socket path (env PORT, default 3000)')
  .option('-H, --host <address>', 'interface to bind (env HOST, default 127.0.0.1; 0.0.0.0 serves the network)')
  .option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent (env LOG_LEVEL, default info)')
  .option('--history-limit <n>', 'messages kept per room (env HISTORY_LIMIT, default 200)')
  .option('--data-dir <dir>', 'folder of the history database without Redis, or :memory: for none (env DATA_DIR, default ./data)')
  .option('--redis-url <url>', 'redis://, rediss:// or Azure connection string; enables scale-out (env REDIS_URL)')
  .option('--redis-prefix <prefix>', 'key prefix in Redis (env REDIS_PREFIX, default parley:)')
  .option('--redis-tls-ca <file>', 'PEM file of a private CA to trust for rediss:// (env REDIS_TLS_CA)')
  .option('--allowed-origins <list>', 'extra browser origins allowed, comma separated, or * (env ALLOWED_ORIGINS)')
  .option('--trust-proxy', 'trust X-Forwarded-* from one reverse proxy (env TRUST_PROXY=1, or the number of proxy hops)')
  .option('--allowed-hosts <list>', 'host names accepted in Host besides IPs and localhost, comma separated, or * (env ALLOWED_HOSTS)')
  .option('--join-code <code>', 'require this join code from every client (env JOIN_CODE)')
  .option('--static-dir <dir>', 'built web client to serve at / (env STATIC_DIR, default: the bundled client)')
  .option('--instance-id <id>', 'name of this instance in logs and /healthz (env INSTANCE_ID)')
  .addHelpText(
    'after',
    [
      '',
      'Environment only:',
      '  PRESENCE_TTL_MS          heartbeat TTL of an instance in Redis mode (default 15000)',
      '  HEALTH_TOKEN             bearer token that unlocks /healthz details (16+ characters)',
      '  HEALTH_DETAILS=public    /healthz details for everyone (a private network)',
      '  CONNECTIONS_PER_ADDRESS  connections one client address may hold (default 256; loopback exempt)',
      '  FAST_PATH=off            stock Socket.IO delivery instead of the relay\'s tuning',
      '  CONVERSATION_EXPIRY_S    idle rooms and DM logs are deleted after this (default 604800, a week)',
      '  HISTORY_MAX_AGE          messages older than this are deleted, e.g. 30d or 12h (default: kept until HISTORY_LIMIT)',
      '  UPLOAD_MAX_BYTES         largest file accepted, e.g. 100M (default 100M)',
      '  UPLOAD_QUOTA_BYTES       all uploads together, e.g. 10G (default 10G); UPLOAD_USER_QUOTA_BYTES one user (default a tenth)',
      '  IMAGE_MAX_PIXELS         larger images are refused, e.g. 50M (default 50M pixels, all frames of an animation)',
      '  FILES_SECRET             signs upload tokens and file URLs; instances serving the same files must share it',
      '                           (default: made once and kept in DATA_DIR/files/secret, or in the Azure container)',
      '  AZURE_STORAGE_CONNECTION_STRING  files in Azure Blob Storage, shared by every instance (default: DATA_DIR/files)',
      '  AZURE_STORAGE_CONTAINER  the container, made if missing (default parley-files)',
      '  TLS_CERT, TLS_KEY        PEM certificate and key: serve HTTPS/WSS (the SHA-256 fingerprint is printed at start)',
      '  TLS=self-signed          HTTPS with a certificate made once and kept in DATA_DIR/tls; clients trust its fingerprint',
      '  LINK_URL, LINK_ROOMS     link rooms to another relay: LINK_ROOMS=local:remote,… (a bare name: the same on both)',
      '  LINK_KEY, LINK_JOIN_CODE the link\'s identity (default: made once, DATA_DIR/link/key); the other relay\'s join code',
      '  LINK_NAME                how this relay\'s messages are marked on the other one (default: the host name)',
      '  LINK_ACCEPT              which links may send this relay their messages: their ids, comma-separated (default any)',
      '',
      'Endpoints: / (web client), /socket.io/ (Socket.IO, client bundle at /socket.io/socket.io.js), /healthz (status only, details as above),',
      '           /uploads (tus file uploads), /files/<id> (signed downloads).',
    ].join('\n'),
  );

program
  .command('doctor')
  .description('check the connection to a relay, step by step (DNS, TCP, TLS, health, polling, affinity, WebSocket, idle survival, latency, clock, protocol, join code)')
  .argument('<url>', "the relay's address, e.g. https://chat.example.com or http://192.168.1.20:3000")
  .option('--json', 'print the report as JSON ({url, at, from, checks: [{id, status, detail, hint, ms}]})')
  .option('--idle-seconds <n>', 'hold an idle WebSocket this long to catch proxy idle timeouts; 0 skips it (default 30, at most 40)', '30')
  .option('--fingerprint <sha256>', "the relay certificate's SHA-256 fingerprint to trust (hex, colons optional), e.g. for a self-signed relay")
  .addHelpText('after', '\nExit status: 0 when no check failed (warnings allowed), 1 when one did, 2 on bad arguments. The report holds no secrets.')
  .action(async (url: string, flags: { json?: boolean; idleSeconds: string; fingerprint?: string }) => {
    const idleSeconds = Number(flags.idleSeconds);
    if (!/^\d+(\.\d+)?$/.test(flags.idleSeconds) || !Number.isFinite(idleSeconds)) {
      process.stderr.write(`--idle-seconds: a number of seconds, not "${flags.idleSeconds}"\n`);
      process.exit(2);
    }
    // Loaded only here: the relay's start does not pay for the doctor.
    const { runDoctor, formatHeader, formatCheck, summary, hasFailure, reportableUrl, MAX_IDLE_SECONDS } = await import('./doctor/index');
    const onCheck = (c: CheckResult) => {
      process.stdout.write(formatCheck(c));
      // The idle hold is silent for its whole length: say so to a person watching.
      if (c.id === 'websocket' && c.status === 'ok' && idleSeconds > 0 && process.stderr.isTTY) process.stderr.write(`  (holding an idle WebSocket for ${Math.min(idleSeconds, MAX_IDLE_SECONDS)} s…)\n`);
    };
    // Text goes out line by line as checks finish (the idle check alone takes its seconds); JSON at the end.
    if (!flags.json) process.stdout.write(formatHeader({ url: reportableUrl(url), at: Date.now() }));
    const report = await runDoctor(url, {
      from: 'cli',
      idleSeconds,
      ...(flags.fingerprint ? { fingerprint: flags.fingerprint } : {}),
      ...(flags.json ? {} : { onCheck }),
    });
    const out = flags.json ? `${JSON.stringify(report, null, 2)}\n` : `${summary(report.checks)}\n`;
    // Exit once the output is written: a pipe to another process is written asynchronously.
    process.stdout.write(out, () => process.exit(hasFailure(report) ? 1 : 0));
  });

/** The default command: run the relay in the foreground. */
program.action(startRelay);

async function main(): Promise<void> {
  await program.parseAsync();
}

async function startRelay(): Promise<void> {
  let config;
  try {
    config = resolveConfig(program.opts<CliFlags>(), process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.logLevel as 'info');
  const here = dirname(fileURLToPath(import.meta.url));
  const instanceId = config.instanceId ?? defaultInstanceId();
  let tls: Awaited<ReturnType<typeof standaloneTls>>;
  try {
    tls = await standaloneTls(config);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  const stores = config.redisUrl ? await redisStores(config, instanceId, log) : undefined;
  let relay: Relay;
  try {
    relay = await createRelay({
      port: config.port,
      host: config.host,
      historyLimit: config.historyLimit,
      editWindowMs: config.editWindowS * 1000,
      // Without Redis, history is kept on disk here (':memory:': in memory only).
      dataDir: config.dataDir,
      ...(config.historyMaxAge > 0 ? { historyMaxAgeMs: config.historyMaxAge * 1000 } : {}),
      logger: log,
      staticDir: config.staticDir ?? join(here, '..', 'renderer'),
      allowedOrigins: config.allowedOrigins,
      trustProxy: config.trustProxy,
      allowedHosts: config.allowedHosts,
      ...(config.joinCode ? { joinCode: config.joinCode } : {}),
      instanceId,
      linkSenders: config.linkAccept,
      fastPath: config.fastPath === 'on',
      addressLimits: { connections: config.connectionsPerAddress },
      conversationExpiryMs: config.conversationExpiryS * 1000,
      uploadMaxBytes: config.uploadMaxBytes,
      uploadQuotaBytes: config.uploadQuotaBytes,
      ...(config.uploadUserQuotaBytes !== undefined ? { uploadUserQuotaBytes: config.uploadUserQuotaBytes } : {}),
      ...(config.filesSecret ? { filesSecret: config.filesSecret } : {}),
      ...(config.imageMaxPixels !== undefined ? { imageMaxPixels: config.imageMaxPixels } : {}),
      ...(config.azureStorageConnectionString ? { azureStorage: { connectionString: config.azureStorageConnectionString, container: config.azureStorageContainer } } : {}),
      ...(config.healthDetails === 'public' ? { healthDetails: 'public' as const } : config.healthToken ? { healthDetails: { token: config.healthToken } } : {}),
      ...(stores ? { stores } : {}),
      ...(tls ? { tls: { cert: tls.cert, key: tls.key } } : {}),
    });
  } catch (err) {
    // A database that cannot be opened (locked, damaged, unwritable) says why and what to do.
    if ((err as Error).name === 'DatabaseOpenError') {
      log.fatal({ dataDir: config.dataDir }, (err as Error).message);
      process.stderr.write(`${(err as Error).message}\n`);
    } else {
      log.fatal({ err }, 'relay failed to start');
    }
    process.exit(1);
  }
  if (tls) {
    // For people comparing it with what a client shows (and pinning it): the same form as openssl prints.
    const note = tls.ephemeral ? ' (new at every start: DATA_DIR is :memory:)' : '';
    process.stderr.write(`TLS certificate SHA-256 fingerprint${note}: ${displayFingerprint(tls.fingerprint)}\n`);
  }
  // Loaded only with LINK_URL: the link's Socket.IO client is no weight on a relay without one.
  const link = config.linkUrl ? await (await import('./link/standalone')).standaloneLink(config, relay, log, tls?.cert) : undefined;
  let signals = 0;
  const stop = (signal: string) => {
    if (++signals > 1) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    log.info({ signal }, 'shutting down');
    (link ? link.close() : Promise.resolve()).then(() => relay.close()).then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/**
 * The Redis backend, or — when REDIS_URL cannot even be parsed — a relay that stays up but reports
 * itself misconfigured (503 on /healthz, connections refused): a clear signal, no crash loop.
 */
async function redisStores(config: StandaloneConfig, instanceId: string, log: Logger): Promise<ChatStores> {
  const { createRedisStores, RedisConfigError } = await import('./stores/redis/index');
  try {
    return createRedisStores({
      url: config.redisUrl!,
      instanceId,
      historyLimit: config.historyLimit,
      lobby: DEFAULT_ROOM,
      userMessages: DEFAULT_LIMITS.userMessages,
      log,
      prefix: config.redisPrefix,
      ...(config.redisTlsCa ? { tlsCaFile: config.redisTlsCa } : {}),
      timing: { heartbeatTtlMs: config.presenceTtlMs, sweepEveryMs: Math.max(500, Math.floor(config.presenceTtlMs / 3)) },
    });
  } catch (err) {
    if (!(err instanceof RedisConfigError) && (err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    log.fatal({ redis: redactUrl(config.redisUrl!), error: (err as Error).message }, 'Redis is misconfigured; refusing clients until the configuration is fixed');
    return misconfiguredStores((err as Error).message, { historyLimit: config.historyLimit, lobby: DEFAULT_ROOM, userMessages: DEFAULT_LIMITS.userMessages });
  }
}

void main();
