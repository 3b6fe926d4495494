/**
 * The URL check: what the user typed, made safe to print, and the origin the other checks talk to.
 * The app identifies a relay by its origin (renderer/model/server-set.ts serverId) and connects to
 * the origin's /socket.io/, so a path is accepted and noted, and /healthz is read at the origin too.
 */
import { schemeProblem } from '../../protocol/diagnostics';
import { reportableUrl } from '../../protocol/engine-io';
import { isIP } from 'node:net';
import { ok, problem, type Outcome } from './report';

export interface Target {
  /** scheme://host[:port], the base of every request. */
  origin: string;
  secure: boolean;
  /** Host name or IP literal, without IPv6 brackets. */
  hostname: string;
  port: number;
}


export function checkUrl(input: string): { outcome: Outcome; target?: Target } {
  // "chat.example.com:3000" parses as a URL whose scheme is "chat.example.com": catch it first.
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(input.trim())) {
    return { outcome: problem('url', 'fail', 'The address has no http:// or https:// in front.', 'Write the whole address with its scheme, e.g. https://chat.example.com or http://192.168.1.20:3000.') };
  }
  let u: URL;
  try {
    u = new URL(input.trim());
  } catch {
    return { outcome: problem('url', 'fail', 'This is not a URL the doctor can read.', 'Check the address for typos.') };
  }
  const wrongScheme = schemeProblem(u);
  if (wrongScheme) return { outcome: wrongScheme };
  const secure = u.protocol === 'https:';
  const hostname = u.hostname.replace(/^\[(.*)\]$/, '$1');
  const target: Target = { origin: u.origin, secure, hostname, port: u.port ? Number(u.port) : secure ? 443 : 80 };
  const notes: string[] = [];
  if (u.pathname !== '/' && u.pathname !== '') notes.push(`the path ${u.pathname} is not used: the app connects to ${u.origin}/socket.io/`);
  if (u.search || u.hash) notes.push('the query and fragment are left out');
  const what = `${secure ? 'HTTPS' : 'Plain HTTP (not encrypted)'} to ${isIP(hostname) ? 'the address' : 'the host'} ${hostname}, port ${target.port}`;
  const detail = `${what}${notes.length ? `; ${notes.join('; ')}` : ''}.`;
  if (u.username || u.password) {
    // Parley never sends URL credentials; someone who typed them expects them to matter.
    return { target, outcome: problem('url', 'warn', `${detail} The URL carries a user name or password: Parley does not use them, and they are left out of this report.`, 'Remove the credentials from the address you share.') };
  }
  return { target, outcome: ok(detail) };
}

export { reportableUrl };
