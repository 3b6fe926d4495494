/**
 * The desktop's side of the connection doctor: the relay checks (server/doctor's runDoctor, passed
 * in so this runs in plain Node) and the LAN checks, one run of each kind at a time. The checks of a
 * run are posted to the page as they finish (`doctor:progress`); two runs at once would interleave
 * their progress on the one channel, and a second LAN run would announce a second probe, so a run
 * asked for while one is going is refused (DOCTOR_BUSY) rather than queued behind a long idle check.
 */
import type { CheckResult, DoctorOptions, DoctorReport, LanCheckId } from '../../protocol/index';

/** server/doctor/index.ts's entry point. */
export type RunDoctor = (url: string, opts: DoctorOptions & { from: 'cli' | 'desktop'; onCheck?: (r: CheckResult) => void }) => Promise<DoctorReport>;

export class DoctorBusyError extends Error {
  constructor(what: 'doctor' | 'lan') {
    super(what === 'doctor' ? 'The connection doctor is already running.' : 'The network checks are already running.');
    this.name = 'DoctorBusyError';
  }
}

export interface DoctorServiceDeps {
  runDoctor: RunDoctor;
  runLanChecks: () => Promise<CheckResult<LanCheckId>[]>;
  /** Each finished check of a doctor run, for the page. */
  onProgress: (check: CheckResult) => void;
  log?: (msg: string, detail?: object) => void;
}

export interface DoctorService {
  run(url: string, options: DoctorOptions): Promise<DoctorReport>;
  lan(): Promise<CheckResult<LanCheckId>[]>;
}

export function createDoctorService(deps: DoctorServiceDeps): DoctorService {
  let running = false;
  let lanRunning = false;
  return {
    async run(url, options) {
      if (running) throw new DoctorBusyError('doctor');
      running = true;
      try {
        const report = await deps.runDoctor(url, { ...options, from: 'desktop', onCheck: deps.onProgress });
        // The report's URL is already without credentials or query (DoctorReport.url); logged so a
        // support request can be matched to the run, the findings stay on screen.
        deps.log?.('connection doctor ran', { url: report.url, failed: report.checks.filter((c) => c.status === 'fail').map((c) => c.id) });
        return report;
      } finally {
        running = false;
      }
    },
    async lan() {
      if (lanRunning) throw new DoctorBusyError('lan');
      lanRunning = true;
      try {
        return await deps.runLanChecks();
      } finally {
        lanRunning = false;
      }
    },
  };
}
