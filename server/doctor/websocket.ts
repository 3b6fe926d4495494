/**
 * The WebSocket upgrade, and whether an idle WebSocket survives. A proxy that drops the Upgrade and
 * Connection headers (nginx without them, App Service with Web sockets off) forwards the request as
 * a plain GET, which the relay answers `400 {"code":3,"message":"Bad request"}`. A gateway with an
 * idle timeout shorter than the relay's ping interval cuts quiet connections without a WebSocket
 * close frame (AGIC #105), which the client sees as code 1006.
 */
import { roundTrip } from './engine';
import { engineError, type DoctorHttp } from './http';
import { refusalAdvice } from './polling';
import { duration, ok, problem, skip, type Outcome } from './report';
import { WsRefusedError, WsSession, type CloseInfo, type WsRefusal } from './ws-session';

/**
 * The longest idle hold. A relay closes a connection that has joined no Socket.IO namespace after
 * 45 s (Socket.IO's connectTimeout), and the idle connection joins none so as to hold no chat state;
 * past its first ping a connection has outlived any idle timeout that matters anyway.
 */
export const MAX_IDLE_SECONDS = 40;

const UPGRADE_ADVICE =
  'The proxy in front must pass WebSocket upgrades. nginx: in the location, `proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade";`. App Service: Configuration → General settings → Web sockets On. IIS/iisnode: `<webSocket enabled="false" />` in web.config so the request reaches Node. A corporate proxy: ask for WebSocket to be allowed to this host. Until then clients fall back to slower polling, which needs session affinity.';

function upgradeFailure(r: WsRefusal): Outcome {
  switch (r.kind) {
    case 'http': {
      const err = engineError({ status: r.status, headers: {}, body: r.body });
      if (r.status === 400 && err?.code === 3) {
        return problem('websocket', 'fail', 'The relay received the WebSocket request without its Upgrade header (HTTP 400 "Bad request"): a proxy between here and the relay drops the Upgrade and Connection headers.', UPGRADE_ADVICE);
      }
      if (r.status === 400 && err?.code === 0) return problem('websocket', 'fail', 'The relay does not accept the WebSocket transport (HTTP 400 "Transport unknown").', 'The relay was started without WebSocket in its transports: start it with the defaults.');
      // The relay's own refusals (allowRequest) come back on an upgrade as 400 with the reason as text.
      const message = err?.message ?? r.body.trim().split('\n')[0]?.slice(0, 120) ?? '';
      if (r.status === 403 || (r.status === 400 && /not allowed|not ready|too many connections/i.test(message))) {
        return problem('websocket', 'fail', `The relay refused the WebSocket (HTTP ${r.status}${message ? `: "${message}"` : ''}).`, refusalAdvice(message));
      }
      if (r.status === 429 || r.status === 503) {
        return problem('websocket', 'fail', `The upgrade got HTTP ${r.status}: a WebSocket connection cap in front of the relay (polling may still work).`, `On App Service, the plan's WebSocket limit (Free: 5 connections; Basic: 350 per instance). ${UPGRADE_ADVICE}`);
      }
      return problem('websocket', 'fail', `The upgrade to WebSocket got HTTP ${r.status} instead of 101 Switching Protocols: something in between does not pass WebSocket.`, UPGRADE_ADVICE);
    }
    case 'network':
      return problem('websocket', 'fail', `The connection was closed during the upgrade (${r.code}): a proxy or firewall that does not pass WebSocket.`, UPGRADE_ADVICE);
    case 'timeout':
      return problem('websocket', 'fail', 'No answer to the upgrade within 10 s: a proxy holds the request (it probably does not pass WebSocket).', UPGRADE_ADVICE);
    case 'no-open':
      return problem('websocket', 'fail', `Upgraded, but no Engine.IO session came over it${r.close ? ` (closed with code ${r.close.code})` : ''}.`, UPGRADE_ADVICE);
  }
}

export async function checkWebsocket(http: DoctorHttp): Promise<Outcome> {
  const started = performance.now();
  let ws: WsSession;
  try {
    ws = await WsSession.connect(http);
  } catch (err) {
    if (err instanceof WsRefusedError) return upgradeFailure(err.refusal);
    throw err;
  }
  const upgraded = performance.now() - started;
  try {
    // Frames must flow both ways after the 101: some middleboxes answer the upgrade and then hold.
    const rtt = await roundTrip(ws);
    return ok(`Upgraded to WebSocket in ${duration(upgraded)}; a round trip over it took ${duration(rtt)}.`);
  } catch (err) {
    return problem('websocket', 'fail', `Upgraded, but nothing came back over the WebSocket: ${(err as Error).message}.`, UPGRADE_ADVICE);
  } finally {
    ws.close();
  }
}

/** Who ended a connection, as far as the close tells. */
export function whoClosed(c: CloseInfo): string {
  if (c.code === 1006) {
    return c.error === 'ECONNRESET'
      ? 'reset without a WebSocket close frame, so not by the relay: by a proxy, gateway, firewall or NAT in between'
      : 'closed without a WebSocket close frame, so not by the relay: by a proxy, gateway, firewall or NAT in between, or the network';
  }
  return `closed with WebSocket code ${c.code}${c.reason ? ` ("${c.reason.slice(0, 80)}")` : ''}, by the relay or a proxy that speaks WebSocket`;
}

const IDLE_ADVICE =
  "Raise the idle timeout of what sits in front of the relay above its ping interval plus ping timeout: nginx `proxy_read_timeout 3600s; proxy_send_timeout 3600s;`; HAProxy `timeout tunnel 1h` (without it `timeout client`/`timeout server` apply to WebSockets); Application Gateway: the backend settings' request timeout; Azure Load Balancer, firewalls and NAT: their TCP idle timeout. Or ask the relay's operator for a shorter ping interval.";

export async function checkIdle(http: DoctorHttp, idleSeconds: number, from: 'cli' | 'desktop' = 'cli'): Promise<{ outcome: Outcome; survivor?: WsSession }> {
  if (!(idleSeconds > 0)) return { outcome: skip(from === 'cli' ? 'Not asked for: hold an idle connection with --idle-seconds N (the command holds 30 s by default).' : 'Not asked for: tick "Also hold a quiet connection open" to run it.') };
  const holdMs = Math.min(idleSeconds, MAX_IDLE_SECONDS) * 1000;
  const capped = idleSeconds > MAX_IDLE_SECONDS ? ` (at most ${MAX_IDLE_SECONDS} s: a relay closes a connection that joins nothing after 45 s)` : '';
  let ws: WsSession;
  try {
    ws = await WsSession.connect(http);
  } catch (err) {
    if (err instanceof WsRefusedError) return { outcome: problem('idle', 'fail', `Could not open a WebSocket to hold: ${err.refusal.kind}.`, 'See the websocket check.') };
    throw err;
  }
  const { pingInterval, pingTimeout } = ws.open;
  let timer: NodeJS.Timeout | undefined;
  const cut = await Promise.race([ws.closed, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), holdMs)))]);
  clearTimeout(timer);
  const every = `the relay pings every ${duration(pingInterval)}`;
  if (!cut) {
    const note = holdMs < pingInterval ? ` This rules out idle timeouts under ${duration(holdMs)}; hold at least ${Math.ceil(pingInterval / 1000) + 5} s to cover a whole ping interval.` : '';
    return { survivor: ws, outcome: ok(`Held a WebSocket idle for ${duration(holdMs)}${capped}: still open, ${ws.pings} ping${ws.pings === 1 ? '' : 's'} answered (${every}).${note}`) };
  }
  const after = cut.at - ws.openedAt;
  const who = whoClosed(cut);
  if (ws.pings === 0 && after < pingInterval) {
    return {
      outcome: problem(
        'idle',
        'fail',
        `The idle WebSocket was cut after ${(after / 1000).toFixed(1)} s, before the relay's first ping (${every}): ${who}. Something in between closes connections idle for about ${Math.round(after / 1000)} s.`,
        IDLE_ADVICE.replace('ping interval plus ping timeout', `ping interval plus ping timeout (${duration(pingInterval + pingTimeout)})`),
      ),
    };
  }
  return {
    outcome: problem(
      'idle',
      'fail',
      `The WebSocket was cut after ${(after / 1000).toFixed(1)} s, with ${ws.pings} ping${ws.pings === 1 ? '' : 's'} answered (${every}): ${who}. Not an idle timeout: something limits how long a connection may last, or the pings did not get through in time.`,
      'Look for a maximum connection lifetime in the proxy or gateway in front, and for a network that drops packets.',
    ),
  };
}
