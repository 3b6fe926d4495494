/** Public API of the relay, used by the desktop main process, tests and the standalone CLI. */
export { createRelay, defaultInstanceId, type Relay } from './relay';
export type { RelayOptions } from './options';
export { DEFAULT_LIMITS } from './options';
export { createLogger, type Logger } from './logger';
export { newJoinCode, normalizeJoinCode, type LockoutPolicy } from './chat/join-code';
export type { ChatStores } from './stores/types';
