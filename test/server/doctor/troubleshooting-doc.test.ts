/**
 * Every hint ends with docs/troubleshooting.md#<id>: each check id, the desktop's LAN checks too,
 * must have its section there, with a heading that is exactly the id (so the anchor is the id), and
 * the guide's links to other files must lead somewhere.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DOCTOR_CHECKS, LAN_CHECKS, troubleshootingAnchor } from '../../../protocol/diagnostics';

const DOC = 'docs/troubleshooting.md';
const text = readFileSync(DOC, 'utf8');

describe('docs/troubleshooting.md', () => {
  it('has a section per check, headed by the id itself, in the order the checks run', () => {
    const headings = [...text.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(headings).toEqual([...DOCTOR_CHECKS, ...LAN_CHECKS]);
    for (const id of [...DOCTOR_CHECKS, ...LAN_CHECKS]) expect(troubleshootingAnchor(id)).toBe(`${DOC}#${id}`);
  });

  it('links only to files that exist and to its own sections', () => {
    for (const [, target] of text.matchAll(/\]\(([^)]+)\)/g)) {
      const [file, anchor] = target!.split('#');
      if (file) expect(existsSync(join(dirname(DOC), file)), target).toBe(true);
      else expect(text, target).toMatch(new RegExp(`^## ${anchor}$`, 'm'));
    }
  });
});
