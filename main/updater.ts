/**
 * Auto-update configuration. Off by default: a LAN-only install must never reach out. Turned on by
 * the `updates` setting or PARLEY_UPDATES=1, and pointed at a generic HTTPS feed
 * (PARLEY_UPDATE_URL) or a GitHub repository (PARLEY_UPDATE_GITHUB=owner/repo). The shell hands the
 * result to electron-updater (main/shell/updater.ts); packaging the feed is another issue.
 */
export type UpdateFeed = { provider: 'generic'; url: string } | { provider: 'github'; owner: string; repo: string };

export type UpdaterConfig = { enabled: false; reason: string } | { enabled: true; feed: UpdateFeed; intervalMs: number };

export const DEFAULT_CHECK_INTERVAL_MS = 6 * 60 * 60 * 1000;

export function updaterConfig(env: Record<string, string | undefined>, setting: boolean, packaged: boolean): UpdaterConfig {
  const envFlag = env.PARLEY_UPDATES;
  const wanted = envFlag === '1' || envFlag === 'true' || (envFlag === undefined && setting);
  if (!wanted) return { enabled: false, reason: 'updates are off (setting "updates" or PARLEY_UPDATES=1 turns them on)' };
  if (!packaged) return { enabled: false, reason: 'updates only run in a packaged app' };
  const feed = feedFromEnv(env);
  if (!feed) return { enabled: false, reason: 'no valid update feed (PARLEY_UPDATE_URL=https://… or PARLEY_UPDATE_GITHUB=owner/repo)' };
  return { enabled: true, feed, intervalMs: DEFAULT_CHECK_INTERVAL_MS };
}

function feedFromEnv(env: Record<string, string | undefined>): UpdateFeed | null {
  const url = env.PARLEY_UPDATE_URL;
  if (url) {
    try {
      const u = new URL(url);
      // Updates run code: only over TLS, never with credentials in the URL.
      if (u.protocol === 'https:' && !u.username && !u.password) return { provider: 'generic', url: u.href };
    } catch {
      /* fall through */
    }
    return null;
  }
  const gh = env.PARLEY_UPDATE_GITHUB;
  const m = gh ? /^([A-Za-z0-9-]{1,39})\/([A-Za-z0-9._-]{1,100})$/.exec(gh) : null;
  return m ? { provider: 'github', owner: m[1] as string, repo: m[2] as string } : null;
}
