/**
 * Auto-update configuration. Off by default: a LAN-only install must never reach out. Turned on by
 * the `updates` setting or PARLEY_UPDATES=1, and pointed at a generic HTTPS feed
 * (PARLEY_UPDATE_URL) or a GitHub repository (PARLEY_UPDATE_GITHUB=owner/repo); without those, at the
 * feed electron-builder baked into resources/app-update.yml at release time (`-c.publish…`), unless
 * that is the repository's `.invalid` placeholder. The shell hands the result to electron-updater
 * (main/shell/updater.ts).
 */
export type UpdateFeed = { provider: 'generic'; url: string } | { provider: 'github'; owner: string; repo: string };

export type UpdaterConfig = { enabled: false; reason: string } | { enabled: true; feed: UpdateFeed; intervalMs: number };

export const DEFAULT_CHECK_INTERVAL_MS = 6 * 60 * 60 * 1000;

/**
 * @param bakedYml text of resources/app-update.yml when the packaged app has one
 */
export function updaterConfig(env: Record<string, string | undefined>, setting: boolean, packaged: boolean, bakedYml?: string | null): UpdaterConfig {
  const envFlag = env.PARLEY_UPDATES;
  const wanted = envFlag === '1' || envFlag === 'true' || (envFlag === undefined && setting);
  if (!wanted) return { enabled: false, reason: 'updates are off (setting "updates" or PARLEY_UPDATES=1 turns them on)' };
  if (!packaged) return { enabled: false, reason: 'updates only run in a packaged app' };
  const explicit = env.PARLEY_UPDATE_URL !== undefined || env.PARLEY_UPDATE_GITHUB !== undefined;
  // An explicit but invalid feed is refused rather than silently replaced by the baked one.
  const feed = explicit ? feedFromEnv(env) : bakedYml ? feedFromAppUpdateYml(bakedYml) : null;
  if (!feed) return { enabled: false, reason: 'no valid update feed (PARLEY_UPDATE_URL=https://…, PARLEY_UPDATE_GITHUB=owner/repo, or one published into the build)' };
  return { enabled: true, feed, intervalMs: DEFAULT_CHECK_INTERVAL_MS };
}

function feedFromEnv(env: Record<string, string | undefined>): UpdateFeed | null {
  const url = env.PARLEY_UPDATE_URL;
  if (url) return genericFeed(url);
  return githubFeed(env.PARLEY_UPDATE_GITHUB ?? '', '');
}

/**
 * The feed in electron-builder's app-update.yml: flat `key: value` lines (provider, url | owner,
 * repo, updaterCacheDirName). Anything else, or the placeholder host, gives no feed.
 */
export function feedFromAppUpdateYml(text: string): UpdateFeed | null {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^([A-Za-z]+):\s*(?:'([^']*)'|"([^"]*)"|(\S+))\s*$/.exec(line);
    if (m) fields.set(m[1]!, m[2] ?? m[3] ?? m[4] ?? '');
  }
  if (fields.get('provider') === 'generic') {
    const feed = genericFeed(fields.get('url') ?? '');
    return feed?.provider === 'generic' && !new URL(feed.url).hostname.endsWith('.invalid') ? feed : null;
  }
  if (fields.get('provider') === 'github') return githubFeed(fields.get('owner') ?? '', fields.get('repo') ?? '');
  return null;
}

function genericFeed(url: string): UpdateFeed | null {
  try {
    const u = new URL(url);
    // Updates run code: only over TLS, never with credentials in the URL.
    if (u.protocol === 'https:' && !u.username && !u.password) return { provider: 'generic', url: u.href };
  } catch {
    /* not a URL */
  }
  return null;
}

/** `owner/repo` in one string, or owner and repo apart. */
function githubFeed(ownerOrBoth: string, repo: string): UpdateFeed | null {
  const both = repo ? `${ownerOrBoth}/${repo}` : ownerOrBoth;
  const m = /^([A-Za-z0-9-]{1,39})\/([A-Za-z0-9._-]{1,100})$/.exec(both);
  return m ? { provider: 'github', owner: m[1] as string, repo: m[2] as string } : null;
}
