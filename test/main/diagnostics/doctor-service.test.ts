/**
 * The desktop's doctor service with the real engine (server/doctor) against a real relay: it runs
 * from 'desktop', posts each check as it finishes, refuses a second run while one is going
 * (DOCTOR_BUSY: their progress would mix), and runs again once it is done.
 */
import { describe, expect, it } from 'vitest';
import { DOCTOR_CHECKS, type CheckResult } from '../../../protocol/index';
import { createDoctorService, DoctorBusyError } from '../../../main/diagnostics/doctor-service';
import { runDoctor } from '../../../server/doctor/index';
import { startRelay, useRelayCleanup } from '../../helpers/relay';

useRelayCleanup();

describe('createDoctorService', () => {
  it('runs from the desktop, posts every check, and refuses a second run meanwhile', async () => {
    const relay = await startRelay();
    const progress: CheckResult[] = [];
    const service = createDoctorService({ runDoctor, runLanChecks: async () => [], onProgress: (c) => progress.push(c) });
    const first = service.run(relay.url, { idleSeconds: 1 });
    await expect(service.run(relay.url, {})).rejects.toBeInstanceOf(DoctorBusyError);
    const report = await first;
    expect(report.from).toBe('desktop');
    expect(progress.map((c) => c.id).sort()).toEqual([...DOCTOR_CHECKS].sort());
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
    // Done: the next run goes ahead.
    await expect(service.run(relay.url, {})).resolves.toMatchObject({ from: 'desktop' });
  });
});
