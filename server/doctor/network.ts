/**
 * DNS and TCP: can the name be resolved the way connections resolve it (getaddrinfo, so /etc/hosts
 * counts), and does anything accept a connection on the port. Every address is tried: `localhost`
 * answering on 127.0.0.1 but not on ::1 is worth seeing, even though clients fall back by themselves.
 */
import { lookup } from 'node:dns/promises';
import { connect, isIP } from 'node:net';
import { duration, ok, problem, type Outcome } from './report';
import type { Target } from './target';

const CONNECT_TIMEOUT_MS = 5000;

export async function checkDns(target: Target): Promise<{ outcome: Outcome; addresses?: string[] }> {
  if (isIP(target.hostname)) return { outcome: ok(`${target.hostname} is an IP address: nothing to resolve.`), addresses: [target.hostname] };
  const started = performance.now();
  try {
    const found = await lookup(target.hostname, { all: true, verbatim: true });
    const addresses = [...new Set(found.map((a) => a.address))];
    return { outcome: ok(`${target.hostname} → ${addresses.join(', ')} (${duration(performance.now() - started)}).`), addresses };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    const why = code === 'ENOTFOUND' ? 'no such name' : code === 'EAI_AGAIN' ? 'the DNS server did not answer (temporary failure)' : code;
    return {
      outcome: problem(
        'dns',
        'fail',
        `${target.hostname} could not be resolved: ${why}.`,
        'Check the spelling; on a LAN use the host\'s IP address (shown in its host panel); a new DNS record can take a while to appear.',
      ),
    };
  }
}

interface Attempt {
  address: string;
  ms?: number;
  error?: string;
}

function attempt(address: string, port: number): Promise<Attempt> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect({ host: address, port });
    const done = (result: Attempt) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done({ address, error: 'ETIMEDOUT' }), CONNECT_TIMEOUT_MS);
    socket.once('connect', () => done({ address, ms: performance.now() - started }));
    socket.once('error', (err: NodeJS.ErrnoException) => done({ address, error: err.code ?? err.message }));
  });
}

const show = (address: string, port: number) => (isIP(address) === 6 ? `[${address}]:${port}` : `${address}:${port}`);

function reason(code: string): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'refused (nothing listens there)';
    case 'ETIMEDOUT':
      return `no answer within ${duration(CONNECT_TIMEOUT_MS)}`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'no route to it';
    default:
      return code;
  }
}

export async function checkTcp(target: Target, addresses: readonly string[]): Promise<Outcome> {
  const attempts = await Promise.all(addresses.map((a) => attempt(a, target.port)));
  const reached = attempts.find((a) => a.ms !== undefined);
  const failed = attempts.filter((a) => a.error);
  const failures = failed.map((a) => `${show(a.address, target.port)} ${reason(a.error!)}`).join('; ');
  if (reached) {
    return ok(`Connected to ${show(reached.address, target.port)} in ${duration(reached.ms!)}${failed.length ? ` (${failures})` : ''}.`);
  }
  const refused = failed.every((a) => a.error === 'ECONNREFUSED');
  const timedOut = failed.some((a) => a.error === 'ETIMEDOUT');
  const advice = refused
    ? `Start the relay, or check the port. A relay binds 127.0.0.1 unless HOST=0.0.0.0 is set, so other machines are refused; behind a proxy, use the proxy's address.`
    : timedOut
      ? 'A firewall drops the connection, or the host is down or asleep: allow the port in the host\'s firewall (the desktop host panel shows the port) and check the address.'
      : 'Check the network between this machine and the relay.';
  return problem('tcp', 'fail', `No connection to port ${target.port}: ${failures}.`, advice);
}
