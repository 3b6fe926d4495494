/** What must never be packed into the app: dev tools, secret-looking content and secret-looking file names. */

// Never inside the app: these dev tools by name, and any devDependency that no production dependency
// needs (engine.io depends on @types/node, for example, so that one is packed, as an empty shell:
// declaration files are excluded).
export const DEV_TOOLS = ['electron', 'vite', 'vitest', 'typescript', 'electron-builder', 'app-builder-lib', '@playwright/test', 'playwright', 'playwright-core', 'eslint', 'esbuild', 'tsx', '@electron/asar', '@electron/fuses', 'yaml'];
export const SECRET_CONTENT = [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, /\bghp_[A-Za-z0-9]{36}\b/, /\bgithub_pat_[A-Za-z0-9_]{50,}/, /\bAKIA[0-9A-Z]{16}\b/, /AccountKey=[A-Za-z0-9+/]{20,}/, /\bxox[abprs]-[A-Za-z0-9-]{10,}/];
export const SECRET_NAMES = /(^|\/)(\.env(\..*)?|.*\.(pem|key|p12|pfx|keystore|jks)|id_rsa.*|id_ed25519.*|\.npmrc|credentials(\.json)?)$/i;
