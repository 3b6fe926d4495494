/**
 * The Parley protocol: one module shared by the relay, the desktop main process and the renderer.
 * Runtime schemas live in `./schemas` and are imported from there by the relay only, so the zod
 * dependency stays out of the renderer bundle.
 */
export * from './limits';
export * from './errors';
export * from './events';
export * from './requests';
export * from './receipts';
export * from './edits';
export * from './files';
export * from './nickname';
export * from './rooms';
export * from './desktop-api';
export * from './diagnostics';
export * from './tls';
export * from './link';
