/**
 * The browser doctor's helpers around the Engine.IO/Socket.IO subset it shares with server/doctor
 * (protocol/engine-io.ts): cache busting, throwaway keys, percentiles and durations.
 */

export { EIO_PATH, isProbeAnswer, PACKET_SEPARATOR, parseOpen, parseSio, PROBE, PROBE_NAMESPACE, receivePolled, roundTrip, type EngineSession, type OpenInfo, type SioPacket } from '../../../protocol/engine-io';

/** A query string that no cache in between can have seen. */
export const cacheBuster = (): string => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** A fresh client key in the form the relay's handshake accepts (22–64 base64url characters); never kept. */
export function throwawayKey(): string {
  const bytes = new Uint8Array(18);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** `p` (0–100) percentile of `values` by nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? 0;
}

/** "1.2 s" or "340 ms": durations the way a person reads them (and the CLI prints them). */
export function duration(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}
