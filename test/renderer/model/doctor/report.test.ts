/** The doctor report's copyable forms: the CLI's text layout, hints split for linking, secrets blanked. */
import { describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../../../protocol/index';
import { anchorCheck, inCheckOrder, reportJson, reportText, reportableUrl, scrubReport, splitHint } from '../../../../renderer/model/doctor/report';

const report: DoctorReport = {
  url: 'https://ana:pw@chat.example.com/room?code=K7PM2Q#x',
  at: Date.UTC(2026, 0, 2, 3, 4, 5),
  from: 'browser',
  checks: [
    { id: 'websocket', status: 'fail', detail: 'A WebSocket did not open.', hint: 'Turn WebSockets on. See docs/troubleshooting.md#websocket', ms: 12 },
    { id: 'url', status: 'ok', detail: 'HTTPS to chat.example.com.' },
    { id: 'join-code', status: 'warn', detail: 'The proxy echoed K7PM2Q back.' },
  ],
};

describe('the doctor report', () => {
  it('keeps the contract order, and prints as the CLI does', () => {
    const ordered = { ...report, url: reportableUrl(report.url), checks: inCheckOrder(report.checks) };
    expect(ordered.checks.map((c) => c.id)).toEqual(['url', 'websocket', 'join-code']);
    expect(reportText(ordered)).toBe(
      [
        'Parley connection doctor: https://chat.example.com/room (2026-01-02T03:04:05.000Z, from browser)',
        '  ok    url        HTTPS to chat.example.com.',
        '  FAIL  websocket  A WebSocket did not open.',
        '                   → Turn WebSockets on. See docs/troubleshooting.md#websocket',
        '  WARN  join-code  The proxy echoed K7PM2Q back.',
        '1 failed, 1 warning.',
        '',
      ].join('\n'),
    );
  });

  it('blanks credentials, query and every known secret, in the text and the JSON', () => {
    const clean = scrubReport(report, ['K7PM2Q', '']);
    for (const text of [reportText(clean), reportJson(clean)]) {
      expect(text).not.toMatch(/K7PM2Q|k7pm2q|ana:|pw@|code=/);
      expect(text).toContain('[hidden]');
    }
    expect(JSON.parse(reportJson(clean))).toMatchObject({ url: 'https://chat.example.com/room', from: 'browser' });
    expect(reportableUrl('chat.example.com/?code=K7PM2Q')).toBe('chat.example.com/');
    expect(reportableUrl('ftp://bob:secret@host/x?y')).toBe('ftp://host/x');
  });

  it('splits a hint from its troubleshooting anchor', () => {
    expect(splitHint('Turn WebSockets on. See docs/troubleshooting.md#websocket')).toEqual({ advice: 'Turn WebSockets on.', anchor: 'docs/troubleshooting.md#websocket' });
    expect(splitHint('No anchor here.')).toEqual({ advice: 'No anchor here.', anchor: null });
    expect(anchorCheck('docs/troubleshooting.md#mdns-browse')).toBe('mdns-browse');
    expect(anchorCheck('docs/troubleshooting.md#nope')).toBeNull();
  });
});
