import { ErrorCode, type LanPairResult } from '../../protocol/index';

/**
 * Why a first connection failed: an ErrorCode from the relay, UNREACHABLE, or, for a LAN host over
 * TLS, HOST_NOT_PROVEN (the join code did not work with the certificate the app was told to expect:
 * a wrong code, or another host) and FINGERPRINT_NEEDED (an https address with a join code but no
 * fingerprint to prove it against: the code is not sent blind).
 */
export type ConnectFailureCode = ErrorCode | 'UNREACHABLE' | 'HOST_NOT_PROVEN' | 'FINGERPRINT_NEEDED' | 'CERTIFICATE_CHANGED' | 'CERTIFICATE_REFUSED';

export class ConnectFailure extends Error {
  constructor(
    readonly code: ConnectFailureCode,
    message: string,
    /** CERTIFICATE_CHANGED: the certificate pinned before and the one offered now. */
    readonly certificates?: { pinned: string; offered: string },
  ) {
    super(message);
    this.name = 'ConnectFailure';
  }
}

/** A failed pairing (renderer/model/relay-connection.ts) as the connect screen shows it. */
export function pairingFailure(failure: Exclude<LanPairResult, { ok: true }>, url: string): ConnectFailure {
  switch (failure.reason) {
    case 'WRONG_CODE_OR_HOST':
      return new ConnectFailure('HOST_NOT_PROVEN', 'The join code did not work with this host’s certificate.');
    case 'CERTIFICATE_CHANGED':
      return new ConnectFailure('CERTIFICATE_CHANGED', 'This host’s certificate has changed.', { pinned: failure.pinned, offered: failure.offered });
    case 'CERTIFICATE_MISMATCH':
      return new ConnectFailure('CERTIFICATE_REFUSED', 'The address showed another certificate than the expected one.');
    default:
      return failure.status === 429 ? new ConnectFailure(ErrorCode.LOCKED_OUT, 'Too many join attempts; try again later.') : new ConnectFailure('UNREACHABLE', `Cannot reach ${url}.`);
  }
}
