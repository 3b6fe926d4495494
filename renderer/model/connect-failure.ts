import type { ErrorCode } from '../../protocol/index';

/** Why a first connection failed: an ErrorCode from the relay, or UNREACHABLE. */
export class ConnectFailure extends Error {
  constructor(readonly code: ErrorCode | 'UNREACHABLE', message: string) {
    super(message);
    this.name = 'ConnectFailure';
  }
}
