/** The host panel's "Check the network": the desktop's LAN checks (`doctor:lan`), shown like the doctor's. */
import { useState } from 'preact/hooks';
import type { JSX } from 'preact';
import { LAN_CHECKS, type CheckResult } from '../../protocol/index';
import { desktop } from '../platform/desktop';
import { errorText, t } from '../i18n/index';
import { CheckList } from './doctor-checks';

export function LanChecks(): JSX.Element | null {
  const api = desktop();
  const [results, setResults] = useState<ReadonlyMap<string, CheckResult>>(new Map());
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!api) return null;

  const run = async () => {
    setRunning(true);
    setError(null);
    setResults(new Map());
    try {
      const checks = await api.checkLan();
      setResults(new Map(checks.map((c) => [c.id, c])));
    } catch (err) {
      setError(t('lanCheck.failed', { reason: errorText(err) }));
    } finally {
      setRunning(false);
    }
  };

  return (
    <div class="lan-checks">
      <button type="button" onClick={() => void run()} disabled={running} aria-describedby="lan-checks-status">
        {t('lanCheck.run')}
      </button>
      <p id="lan-checks-status" class="muted small" role="status">
        {running ? t('lanCheck.running') : ''}
      </p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {results.size > 0 && <CheckList ids={LAN_CHECKS} results={results} running={false} label={t('lanCheck.title')} />}
    </div>
  );
}
