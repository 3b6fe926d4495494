/**
 * Wires certificate pinning (main/security/pins.ts) to Electron: the session's certificate hook
 * (every TLS connection of the window asks it), the pins kept in settings, the refusals posted to
 * the page, and this computer's own certificate for LAN hosting (server/tls/certificate.ts, kept in
 * the user-data folder so the fingerprint people pinned survives restarts).
 */
import { join } from 'node:path';
import { IpcChannel, type LanPairResult, type PinnedHost } from '../../protocol/index';
import { loadOrCreateIdentity } from '../../server/tls/certificate';
import { createLanPairing } from '../security/lan-pairing';
import { CertificatePins } from '../security/pins';
import type { SettingsStore } from '../settings/store';
import type { ElectronMain } from './electron-api';
import type { RendererChannel } from './renderer-channel';

export interface CertificateServices {
  pairWithLanHost(origin: string, code: string, fingerprint: string, options: { replace?: boolean }): Promise<LanPairResult>;
  forgetCertificate(origin: string): Promise<void>;
  listPinnedCertificates(): PinnedHost[];
}

export function wireCertificates(electron: ElectronMain, settings: SettingsStore, channel: RendererChannel, log: (msg: string, detail?: object) => void) {
  const pins = new CertificatePins(
    { read: () => settings.get().pins, write: async (next) => void (await settings.update({ pins: next })) },
    (refusal) => {
      log('refused a LAN host’s certificate', { hostname: refusal.hostname, presented: refusal.presented, expected: refusal.expected });
      channel.post(IpcChannel.tlsRefused, refusal);
    },
  );
  electron.session.defaultSession.setCertificateVerifyProc((request, callback) => {
    callback(pins.verify(request.hostname, request.certificate.data, request.verificationResult));
  });
  const pair = createLanPairing({
    pins,
    onMismatch: (hostname, expected, presented) => channel.post(IpcChannel.tlsRefused, { hostname, expected: [expected], presented, chromiumVerdict: 'not asked: refused before the window connected' }),
  });
  const services: CertificateServices = {
    pairWithLanHost: (origin, code, fingerprint, options) => pair(origin, code, fingerprint, options),
    forgetCertificate: (origin) => pins.forget(origin),
    listPinnedCertificates: () => pins.list(),
  };
  return {
    services,
    /** This computer's hosting certificate, made on first use; `rotate` replaces it. */
    identity: (userData: string) => (rotate?: boolean) => loadOrCreateIdentity(join(userData, 'tls'), { rotate: rotate === true }),
    /** The certificate trusted at `url`'s origin: the hosted session's own, else a pin. */
    trusted: (url: string, hosted: { localUrl: string; lanUrls: string[]; fingerprint: string | null } | null): string | undefined => {
      let origin: string;
      try {
        origin = new URL(url).origin;
      } catch {
        return undefined;
      }
      if (hosted?.fingerprint && [hosted.localUrl, ...hosted.lanUrls].some((u) => new URL(u).origin === origin)) return hosted.fingerprint;
      return pins.pinned(origin);
    },
    /** The window talks to its own hosted session: its certificate is known, nothing to pin. */
    ownSession: (localUrl: string, fingerprint: string) => pins.allow(localUrl, fingerprint),
  };
}
