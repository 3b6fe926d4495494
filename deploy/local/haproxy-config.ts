/**
 * HAProxy in front of the relay instances, as a load balancer with session affinity (App Service's
 * ARR affinity, Application Gateway's cookie affinity):
 *  - a cookie pins HTTP long-polling to one instance (a polling session lives on one server);
 *  - WebSocket connections are one long request each, so they need no pinning;
 *  - health checks on /healthz take a dead instance out within about a second, and requests pinned
 *    to it are redispatched to a live one.
 */
export interface Backend {
  name: string;
  port: number;
}

export function haproxyConfig(frontendPort: number, backends: readonly Backend[], opts: { sticky?: boolean } = {}): string {
  const sticky = opts.sticky ?? true;
  return [
    'global',
    '  maxconn 4000', // each connection needs two descriptors; stay under the default fd limit
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    '  timeout client 60s',
    '  timeout server 60s',
    // WebSocket and long-poll connections stay open far longer than a normal request.
    '  timeout tunnel 1h',
    '  option redispatch',
    '  retries 3',
    'frontend parley',
    `  bind 127.0.0.1:${frontendPort}`,
    '  option forwardfor',
    '  http-request set-header X-Forwarded-Proto http',
    '  default_backend relays',
    'backend relays',
    '  balance roundrobin',
    ...(sticky ? ['  cookie PARLEY_AFFINITY insert indirect nocache httponly'] : []),
    '  option httpchk GET /healthz',
    '  http-check expect status 200',
    ...backends.map((b) => `  server ${b.name} 127.0.0.1:${b.port} check inter 500 fall 2 rise 1${sticky ? ` cookie ${b.name}` : ''}`),
    '',
  ].join('\n');
}
