/** The servers a run compares, and which script starts each. */
export const SERVER_NAMES = ['parley', 'classic', 'ws', 'ws-preframed'] as const;
export type ServerName = (typeof SERVER_NAMES)[number];

/** Servers that only some benchmarks start (not chat servers: never in a --servers list). */
export type AuxServerName = 'plain-upload';
export type AnyServerName = ServerName | AuxServerName;

export const SERVER_ENTRY: Record<AnyServerName, URL> = {
  'plain-upload': new URL('../baselines/plain-upload.ts', import.meta.url),
  parley: new URL('../servers/parley.ts', import.meta.url),
  classic: new URL('../baselines/classic.ts', import.meta.url),
  ws: new URL('../baselines/ws.ts', import.meta.url),
  'ws-preframed': new URL('../baselines/ws-preframed.ts', import.meta.url),
};

/** The protocol a server speaks, which decides the client the load generator uses against it. */
export function dialect(server: ServerName): 'parley' | 'classic' | 'ws' {
  if (server === 'parley') return 'parley';
  if (server === 'classic') return 'classic';
  return 'ws';
}

export function isServerName(value: string): value is ServerName {
  return (SERVER_NAMES as readonly string[]).includes(value);
}
