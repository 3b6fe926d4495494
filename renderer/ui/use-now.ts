import { useEffect, useState } from 'preact/hooks';

/** The current time, refreshed every `ms` while `active`: for countdowns and expiring indicators. */
export function useNow(active: boolean, ms = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now()); // a countdown must not start from a stale time
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [active, ms]);
  return now;
}
