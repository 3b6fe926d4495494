/** Opens a link outside the app: through the desktop's vetted openExternal, or a new browser tab without opener. */
import { safeHref } from '../render/markdown';
import { desktop } from './desktop';

export async function openLink(href: string): Promise<boolean> {
  const safe = safeHref(href);
  if (!safe) return false;
  const api = desktop();
  if (api) return api.openExternal(safe);
  const win = window.open(safe, '_blank', 'noopener,noreferrer');
  return win !== null;
}
