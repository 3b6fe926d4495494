/**
 * Every figure the bench reports: what it means, its unit, which way is better, and for which series.
 * A series is a server plus, for the storms, how its clients connect ("classic-ws": the classic server
 * with websocket-only clients, next to "classic" with the browser's default polling-then-upgrade).
 */
import type { ScenarioName } from '../config/args';

export const SERIES = ['parley', 'classic', 'classic-ws', 'ws', 'ws-preframed'] as const;
export type Series = (typeof SERIES)[number];
export const BASELINES: readonly Series[] = SERIES.filter((s) => s !== 'parley');

export const SERIES_LABEL: Record<Series, string> = {
  parley: 'parley',
  classic: 'classic',
  'classic-ws': 'classic-ws',
  ws: 'ws',
  'ws-preframed': 'ws-pre',
};

export interface FigureDef {
  label: string;
  unit: string;
  /** 'info' figures describe the run (e.g. load) rather than rank the servers. */
  better: 'higher' | 'lower' | 'info';
  scenario: ScenarioName;
  series: readonly Series[];
}

const MSG: readonly Series[] = ['parley', 'classic', 'ws', 'ws-preframed'];
const STORM: readonly Series[] = ['parley', 'classic', 'classic-ws', 'ws', 'ws-preframed'];
const RECONNECT: readonly Series[] = ['parley', 'classic', 'classic-ws'];
const PARLEY: readonly Series[] = ['parley'];

const sat = (label: string, unit: string, better: FigureDef['better']): FigureDef => ({ label: `fan-out: ${label}`, unit, better, scenario: 'saturation', series: MSG });
const lat = (label: string, unit: string, better: FigureDef['better']): FigureDef => ({ label: `latency: ${label}`, unit, better, scenario: 'latency', series: MSG });

export const FIGURES = {
  'saturation.deliveriesPerSec': sat('deliveries/s at saturation', '/s', 'higher'),
  'saturation.serverCpuUsPerDelivery': sat('server CPU per delivery', 'µs', 'lower'),
  'saturation.serverCpuPct': sat('server CPU', '% core', 'info'),
  'saturation.loadgenCpuPct': sat('load-generator CPU per worker', '% core', 'info'),
  'saturation.foreignCpuPct': sat('CPU of other processes on the machine', '% core', 'info'),
  'saturation.serverRssPeakMiB': sat('server RSS peak', 'MiB', 'lower'),
  'saturation.p50Ms': sat('p50 latency under saturation', 'ms', 'lower'),
  'saturation.p99Ms': sat('p99 latency under saturation', 'ms', 'lower'),
  'saturation.lost': sat('lost', 'msgs', 'lower'),
  'saturation.duplicates': sat('duplicated', 'msgs', 'lower'),

  'latency.p50Ms': lat('p50', 'ms', 'lower'),
  'latency.p95Ms': lat('p95', 'ms', 'lower'),
  'latency.p99Ms': lat('p99', 'ms', 'lower'),
  'latency.maxMs': lat('max', 'ms', 'lower'),
  'latency.lost': lat('lost', 'msgs', 'lower'),
  'latency.duplicates': lat('duplicated', 'msgs', 'lower'),
  'latency.deliveriesPerSec': lat('deliveries/s', '/s', 'info'),
  'latency.serverCpuPct': lat('server CPU', '% core', 'lower'),
  'latency.serverRssPeakMiB': lat('server RSS peak', 'MiB', 'lower'),
  'latency.foreignCpuPct': lat('CPU of other processes on the machine', '% core', 'info'),

  'connections.setupPerSec': { label: 'connection set-up (connect + login)', unit: '/s', better: 'higher', scenario: 'connections', series: MSG },
  'connections.serverCpuMsPerConn': { label: 'server CPU per connection set-up', unit: 'ms', better: 'lower', scenario: 'connections', series: MSG },
  'connections.idleKiBPerConn': { label: 'memory per idle connection', unit: 'KiB', better: 'lower', scenario: 'connections', series: MSG },
  'connections.heapKiBPerConn': { label: 'live JS heap + external per idle connection', unit: 'KiB', better: 'lower', scenario: 'connections', series: MSG },
  'connections.idleRssMiB': { label: 'server RSS with all idle clients', unit: 'MiB', better: 'lower', scenario: 'connections', series: MSG },

  'join.allCorrectMs': { label: 'join storm: every client sees N', unit: 'ms', better: 'lower', scenario: 'storms', series: STORM },
  'join.allLoggedInMs': { label: 'join storm: every client logged in', unit: 'ms', better: 'lower', scenario: 'storms', series: STORM },
  'join.p95LoggedInMs': { label: 'join storm: 95 % of clients logged in', unit: 'ms', better: 'lower', scenario: 'storms', series: STORM },
  'join.serverCpuMs': { label: 'join storm: server CPU', unit: 'ms', better: 'lower', scenario: 'storms', series: STORM },
  'reconnect.fromRestartMs': { label: 'reconnect storm: relay listening → all see N', unit: 'ms', better: 'lower', scenario: 'storms', series: RECONNECT },
  'reconnect.fromKillMs': { label: 'reconnect storm: relay killed → all see N', unit: 'ms', better: 'lower', scenario: 'storms', series: RECONNECT },

  // The classic column: the classic chat (express + socket.io, packages external), import + listening.
  'startup.desktopMs': { label: 'start-up: import + listening (Parley: createRelay as the desktop bundles it)', unit: 'ms', better: 'lower', scenario: 'startup', series: ['parley', 'classic'] },
  'startup.desktopCreateMs': { label: 'start-up: createRelay alone (desktop bundle)', unit: 'ms', better: 'lower', scenario: 'startup', series: PARLEY },
  'startup.externalMs': { label: 'start-up: same, every npm package external', unit: 'ms', better: 'lower', scenario: 'startup', series: PARLEY },
  'startup.tsxMs': { label: 'start-up: import + createRelay (tsx, source)', unit: 'ms', better: 'lower', scenario: 'startup', series: PARLEY },
} satisfies Record<string, FigureDef>;

export type FigureId = keyof typeof FIGURES;
export const FIGURE_IDS = Object.keys(FIGURES) as FigureId[];
