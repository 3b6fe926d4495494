/**
 * HTTP for the checks: every request on a new connection (no keep-alive), so each one meets the load
 * balancer afresh, as after a network change; load balancers that pin by cookie (App Service's
 * ARRAffinity, Application Gateway, HAProxy `cookie`) get their cookies back, as a browser would send
 * them. Cookie values stay in memory and never reach the report. Date headers are kept for the clock check.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Trust } from './tls';
import type { Target } from './target';

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface DateSample {
  /** The server's Date header, ms since epoch (1 s resolution). */
  server: number;
  /** Local clock when the request was sent and when the answer came. */
  sent: number;
  received: number;
}

/** Bodies are for classifying answers; anything longer is cut. */
const MAX_BODY = 64 * 1024;

export class DoctorHttp {
  private readonly cookies = new Map<string, string>();
  readonly dates: DateSample[] = [];

  constructor(
    readonly target: Target,
    readonly trust: Trust | undefined,
  ) {}

  /** The Cookie header to send, if any. */
  cookieHeader(): Record<string, string> {
    return this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {};
  }

  /** Names only: the values may be session secrets. */
  cookieNames(): string[] {
    return [...this.cookies.keys()];
  }

  /** Takes the cookies (name=value only) out of a response's Set-Cookie headers. */
  remember(headers: IncomingHttpHeaders): void {
    for (const line of headers['set-cookie'] ?? []) {
      const pair = /^\s*([^=;\s]+)=([^;]*)/.exec(line);
      if (pair) this.cookies.set(pair[1]!, pair[2]!);
    }
  }

  noteDate(headers: IncomingHttpHeaders, sent: number, received: number): void {
    const server = headers.date ? Date.parse(headers.date) : NaN;
    if (Number.isFinite(server)) this.dates.push({ server, sent, received });
  }

  request(method: 'GET' | 'POST', path: string, body?: string, timeoutMs = 10_000): Promise<Answer> {
    const { target } = this;
    const send = target.secure ? httpsRequest : httpRequest;
    const sent = Date.now();
    return new Promise((resolve, reject) => {
      const req = send(
        {
          host: target.hostname,
          port: target.port,
          method,
          path,
          agent: false,
          headers: {
            ...this.cookieHeader(),
            ...(body === undefined ? {} : { 'content-type': 'text/plain; charset=UTF-8', 'content-length': Buffer.byteLength(body) }),
          },
          ...(target.secure ? this.trust : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            if (size < MAX_BODY) chunks.push(c);
            size += c.length;
          });
          res.on('end', () => {
            clearTimeout(timer);
            this.remember(res.headers);
            this.noteDate(res.headers, sent, Date.now());
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_BODY) });
          });
          res.on('error', reject);
        },
      );
      const timer = setTimeout(() => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs / 1000} s`), { code: 'ETIMEDOUT' })), timeoutMs);
      req.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      req.end(body);
    });
  }
}

/** A JSON body, or undefined for anything else (a proxy's HTML error page). */
export function jsonBody(answer: Answer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(answer.body);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Engine.IO's refusal bodies: `{"code":1,"message":"Session ID unknown"}` and the like. */
export function engineError(answer: Answer): { code: number; message: string } | undefined {
  const body = jsonBody(answer);
  return body && typeof body.code === 'number' && typeof body.message === 'string' ? { code: body.code, message: body.message } : undefined;
}

/** Engine.IO's "Session ID unknown": the request reached an instance that does not hold the session. */
export const isUnknownSession = (answer: Answer): boolean => answer.status === 400 && engineError(answer)?.code === 1;
