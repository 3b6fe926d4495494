import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, type NetworkInterfaceInfo } from 'node:os';
import { join } from 'node:path';
import type { SendOk } from '../../../protocol/index';
import { afterEach, describe, expect, it } from 'vitest';
import { createRelay, newJoinCode } from '../../../server/index';
import { createHostService, HostError, sessionFolder, type Advertisement, type HostRelayOptions, type RelayHandle } from '../../../main/host/host-service';
import { closeAllClients, connected, connectOutcome, loggedIn, parleyClient, request } from '../../helpers/clients';
import { identity, postJsonTrusting } from '../../helpers/tls';
import { pairWithHost } from '../../../protocol/pairing';
import { httpGet } from '../../helpers/net';

const eth0: NetworkInterfaceInfo = { address: '192.168.1.20', netmask: '255.255.255.0', family: 'IPv4', mac: '02:00:00:00:00:01', internal: false, cidr: '192.168.1.20/24' };

function fakes(overrides: Partial<Parameters<typeof createHostService>[0]> = {}) {
  const created: HostRelayOptions[] = [];
  const closed: number[] = [];
  const ads: Advertisement[] = [];
  const withdrawn: number[] = [];
  let nextPort = 40000;
  const service = createHostService({
    createRelay: async (options) => {
      created.push(options);
      const port = options.port || nextPort++;
      return { port, close: async () => void closed.push(port) } satisfies RelayHandle;
    },
    newJoinCode: () => 'ABC234',
    networkInterfaces: () => ({ eth0: [eth0] }),
    hostname: () => 'Anas-Laptop',
    nickname: () => 'Ana',
    advertiser: { advertise: (ad) => void ads.push(ad), withdraw: async () => void withdrawn.push(1) },
    ...overrides,
  });
  return { service, created, closed, ads, withdrawn };
}

describe('host service (fake relay)', () => {
  it('LAN mode binds all interfaces, requires a code, allows the LAN names, serves no files, and advertises', async () => {
    const { service, created, ads } = fakes();
    const session = await service.start({ name: 'Team', lan: true });
    expect(created).toEqual([{ port: 0, host: '0.0.0.0', joinCode: 'ABC234', allowedHosts: ['192.168.1.20', 'anas-laptop', 'anas-laptop.local'], allowedOrigins: [], staticDir: null }]);
    expect(session).toEqual({ name: 'Team', localUrl: 'http://127.0.0.1:40000', lanUrls: ['http://192.168.1.20:40000'], joinCode: 'ABC234', port: 40000, fingerprint: null });
    expect(ads).toEqual([{ name: 'Team', host: 'Ana', port: 40000, needsCode: true }]);
  });

  it('loopback mode binds 127.0.0.1, needs no code and is not advertised', async () => {
    const { service, created, ads } = fakes();
    const session = await service.start({ name: 'Solo', lan: false, port: 4567 });
    expect(created[0]).toEqual({ port: 4567, host: '127.0.0.1', allowedHosts: [], allowedOrigins: [], staticDir: null });
    expect(session).toEqual({ name: 'Solo', localUrl: 'http://127.0.0.1:4567', lanUrls: [], joinCode: null, port: 4567, fingerprint: null });
    expect(ads).toEqual([]);
  });

  it('hosts one session at a time, even when asked twice at once', async () => {
    const { service, created } = fakes();
    const results = await Promise.allSettled([service.start({ name: 'A', lan: true }), service.start({ name: 'B', lan: true })]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'ALREADY_HOSTING' });
    expect(created).toHaveLength(1);
  });

  it('stops cleanly: withdraws the advertisement, closes the relay, and can host again', async () => {
    const { service, closed, withdrawn } = fakes();
    await service.start({ name: 'A', lan: true });
    await service.stop();
    expect(withdrawn).toHaveLength(1);
    expect(closed).toEqual([40000]);
    expect(service.current()).toBeNull();
    await service.stop(); // idempotent
    expect(closed).toHaveLength(1);
    expect((await service.start({ name: 'B', lan: false })).name).toBe('B');
  });

  it('turns bind errors into typed errors', async () => {
    for (const [code, expected] of [['EADDRINUSE', 'PORT_IN_USE'], ['EACCES', 'PORT_FORBIDDEN'], ['EOTHER', 'HOST_FAILED']] as const) {
      const { service } = fakes({ createRelay: async () => Promise.reject(Object.assign(new Error('bind failed'), { code })) });
      const err = await service.start({ name: 'A', lan: true, port: 5000 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HostError);
      expect(err).toMatchObject({ code: expected });
      expect(service.current()).toBeNull();
    }
  });

  it('keeps hosting when the advertisement fails (others can still type the address)', async () => {
    const { service } = fakes({ advertiser: { advertise: () => { throw new Error('mDNS down'); }, withdraw: async () => undefined } });
    expect((await service.start({ name: 'A', lan: true })).lanUrls).toEqual(['http://192.168.1.20:40000']);
  });

  it('returns copies, so callers cannot change the hosted session', async () => {
    const { service } = fakes();
    const session = await service.start({ name: 'A', lan: true });
    session.lanUrls.push('http://evil');
    expect(service.current()?.lanUrls).toEqual(['http://192.168.1.20:40000']);
  });
});

describe('host service (real relay, on loopback)', () => {
  // The relay binds 127.0.0.1 even for "LAN" options here: tests never listen on real interfaces.
  const loopbackRelay = (options: HostRelayOptions) => createRelay({ ...options, host: '127.0.0.1', shutdownGraceMs: 20 });
  const services: ReturnType<typeof createHostService>[] = [];
  afterEach(async () => {
    closeAllClients();
    await Promise.all(services.splice(0).map((s) => s.stop()));
  });

  it('a LAN session admits a client with the join code, refuses one without, and checks Host', async () => {
    const service = createHostService({ createRelay: loopbackRelay, newJoinCode, networkInterfaces: () => ({ eth0: [eth0] }), hostname: () => 'anas-laptop', nickname: () => 'Ana' });
    services.push(service);
    const session = await service.start({ name: 'Team', lan: true });
    expect(session.joinCode).toMatch(/^[23456789A-HJKMNP-Z]{6}$/);

    const { login } = await loggedIn(session.localUrl, 'bob', { joinCode: session.joinCode as string });
    expect(login.ok).toBe(true);
    const refused = parleyClient(session.localUrl);
    await expect(connected(refused)).rejects.toMatchObject({ message: 'JOIN_CODE_REQUIRED' });

    const port = session.port;
    expect((await httpGet({ port }, '/healthz', { Host: `anas-laptop.local:${port}` })).status).toBe(200);
    expect((await httpGet({ port }, '/healthz', { Host: `192.168.1.20:${port}` })).status).toBe(200);
    expect((await httpGet({ port }, '/healthz', { Host: `evil.example:${port}` })).status).not.toBe(200);
  });

  it('a LAN session over TLS admits a client that proves the code for the advertised certificate, and refuses the code sent as it is', async () => {
    const id = await identity('host-service');
    const service = createHostService({ createRelay: loopbackRelay, newJoinCode, networkInterfaces: () => ({ eth0: [eth0] }), hostname: () => 'anas-laptop', nickname: () => 'Ana', identity: async () => id });
    services.push(service);
    const session = await service.start({ name: 'Team', lan: true });
    expect(session.localUrl).toMatch(/^https:/);
    const paired = await pairWithHost(session.localUrl, session.joinCode!, session.fingerprint!, postJsonTrusting(id.cert));
    expect(paired.ok).toBe(true);
    if (!paired.ok) return;
    await connected(parleyClient(session.localUrl, { ca: id.cert, auth: paired.auth }));
    expect(await connectOutcome(parleyClient(session.localUrl, { ca: id.cert, joinCode: session.joinCode! }))).toBe('JOIN_CODE_REQUIRED');
  });

  it('the desktop renderer origin may connect; stop() disconnects clients and frees the port', async () => {
    const service = createHostService({ createRelay: loopbackRelay, newJoinCode, networkInterfaces: () => ({}), hostname: () => 'x', nickname: () => '' });
    services.push(service);
    const session = await service.start({ name: 'Solo', lan: false });
    const socket = parleyClient(session.localUrl, { extraHeaders: { Origin: 'app://parley' } });
    await connected(socket);
    const gone = new Promise((resolve) => socket.once('disconnect', resolve));
    await service.stop();
    await gone;
    await expect(fetch(`${session.localUrl}/healthz`)).rejects.toThrow();
  });

  it('hosting the same session again resumes its history from its own folder; another session starts empty', async () => {
    const root = mkdtempSync(join(tmpdir(), 'parley-host-sessions-'));
    try {
      const service = createHostService({ createRelay: loopbackRelay, newJoinCode, networkInterfaces: () => ({}), hostname: () => 'x', nickname: () => '', sessionDataDir: (name) => join(root, sessionFolder(name)) });
      services.push(service);
      const first = await service.start({ name: 'Team chat', lan: false });
      const { socket } = await loggedIn(first.localUrl, 'ana');
      const sent = await request<SendOk>(socket, 'new message', { text: 'kept across hosting', clientId: 'host-resume-1' });
      expect(sent.ok).toBe(true);
      closeAllClients();
      await service.stop();

      const again = await service.start({ name: 'Team chat', lan: false });
      const back = await loggedIn(again.localUrl, 'ana');
      expect(back.login.rooms[0]!.history.messages.map((m) => [m.message, m.id])).toEqual([['kept across hosting', sent.ok && sent.id]]);
      closeAllClients();
      await service.stop();

      const other = await service.start({ name: 'Other', lan: false });
      expect((await loggedIn(other.localUrl, 'ana')).login.rooms[0]!.history.messages).toEqual([]);
    } finally {
      closeAllClients();
      await Promise.all(services.splice(0).map((s) => s.stop()));
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('host service over TLS', () => {
  const FP = 'c3'.repeat(32);
  const identity = (calls: boolean[]) => async (rotate?: boolean) => {
    calls.push(rotate === true);
    return { cert: 'CERT', key: 'KEY', fingerprint: rotate ? 'd4'.repeat(32) : FP };
  };

  it('serves a LAN session over https with this computer’s certificate and advertises its fingerprint', async () => {
    const calls: boolean[] = [];
    const { service, created, ads } = fakes({ identity: identity(calls) });
    const session = await service.start({ name: 'Team', lan: true });
    expect(created[0]).toMatchObject({ tls: { cert: 'CERT', key: 'KEY' }, joinCode: 'ABC234' });
    expect(session).toMatchObject({ localUrl: 'https://127.0.0.1:40000', lanUrls: ['https://192.168.1.20:40000'], fingerprint: FP });
    expect(ads).toEqual([{ name: 'Team', host: 'Ana', port: 40000, needsCode: true, fingerprint: FP }]);
    expect(calls).toEqual([false]);
  });

  it('keeps loopback sessions plain: nothing leaves this computer', async () => {
    const calls: boolean[] = [];
    const { service, created } = fakes({ identity: identity(calls) });
    const session = await service.start({ name: 'Solo', lan: false });
    expect(created[0]!.tls).toBeUndefined();
    expect(session).toMatchObject({ localUrl: 'http://127.0.0.1:40000', fingerprint: null });
    expect(calls).toEqual([]);
  });

  it('rotates the certificate only while not hosting', async () => {
    const calls: boolean[] = [];
    const { service } = fakes({ identity: identity(calls) });
    await service.start({ name: 'Team', lan: true });
    await expect(service.rotateCertificate()).rejects.toMatchObject({ code: 'ALREADY_HOSTING' });
    await service.stop();
    expect(await service.rotateCertificate()).toEqual({ fingerprint: 'd4'.repeat(32) });
    expect(calls).toEqual([false, true]);
  });

  it('says so when the certificate cannot be made, and hosts nothing', async () => {
    const { service, created } = fakes({ identity: async () => Promise.reject(new Error('disk full')) });
    await expect(service.start({ name: 'Team', lan: true })).rejects.toMatchObject({ code: 'HOST_FAILED', message: expect.stringContaining('disk full') });
    expect(created).toEqual([]);
    expect(service.current()).toBeNull();
  });
});

describe('sessionFolder', () => {
  it('is readable, unique per exact name, and never leaves its parent folder', () => {
    expect(sessionFolder('Team chat')).toMatch(/^team-chat-[0-9a-f]{12}$/);
    expect(sessionFolder('Team chat')).toBe(sessionFolder('Team chat'));
    expect(sessionFolder('Team chat')).not.toBe(sessionFolder('team chat'));
    for (const name of ['../../etc', '..', '/', 'a/b\\c', '', '   ', 'Ünïcødé ☕']) {
      const folder = sessionFolder(name);
      expect(folder).toMatch(/^[a-z0-9-]+$/);
      expect(folder).not.toMatch(/^\.|\.\./);
    }
  });
});
