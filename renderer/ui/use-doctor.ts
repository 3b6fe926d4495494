/**
 * Runs the connection doctor for a screen: in the desktop app through the main process (`doctor:run`,
 * every check including DNS, TCP and TLS; progress comes as `doctor:progress`), in a browser with the
 * page's own engine (renderer/model/doctor). Either way each check shows as it finishes.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { CheckResult, DoctorOptions, DoctorReport } from '../../protocol/index';
import { pageEnvironment, runBrowserDoctor } from '../model/doctor/browser-doctor';
import { desktop } from '../platform/desktop';
import { errorText } from '../i18n/index';

export interface DoctorRun {
  results: ReadonlyMap<string, CheckResult>;
  report: DoctorReport | null;
  running: boolean;
  error: string | null;
  run: (url: string, options: DoctorOptions) => Promise<void>;
}

export function useDoctor(): DoctorRun {
  const [results, setResults] = useState<ReadonlyMap<string, CheckResult>>(new Map());
  const [report, setReport] = useState<DoctorReport | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // A run outlives the screen that started it (it is closed mid-run): its answers then go nowhere.
  const live = useRef(true);
  useEffect(
    () => () => {
      live.current = false;
    },
    [],
  );

  const run = async (url: string, options: DoctorOptions) => {
    setResults(new Map());
    setReport(null);
    setError(null);
    setRunning(true);
    const add = (check: CheckResult) => {
      if (live.current) setResults((current) => new Map(current).set(check.id, check));
    };
    try {
      const api = desktop();
      let done: DoctorReport;
      if (api) {
        const off = api.onDoctorProgress(add);
        try {
          done = await api.runDoctor(url, options);
        } finally {
          off();
        }
      } else {
        done = await runBrowserDoctor(url, { ...options, onCheck: add }, pageEnvironment());
      }
      if (!live.current) return;
      setResults(new Map(done.checks.map((c) => [c.id, c])));
      setReport(done);
    } catch (err) {
      if (live.current) setError(errorText(err));
    } finally {
      if (live.current) setRunning(false);
    }
  };
  return { results, report, running, error, run };
}
