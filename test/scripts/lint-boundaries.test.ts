/**
 * The folder boundaries in eslint.config.js (issue 19): lints virtual files with the project's real
 * config and checks that a cross-boundary import is refused wherever the importing file sits (the old
 * `no-restricted-imports` patterns only caught '../main/*' and '../../main/*'), and that the imports
 * the architecture allows still pass. Targets are real files, so each refusal is about the boundary,
 * not about a file that does not exist; one case checks that a missing target is refused as well.
 */
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const eslint = new ESLint({ cwd: ROOT });

/** Rule ids of the problems in `code` linted as if it were the file at `filePath` (relative to the root). */
async function lint(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, filePath) });
  return result!.messages.map((m) => m.ruleId ?? `fatal: ${m.message}`);
}

const value = (source: string) => `import { x } from '${source}';\nexport { x };\n`;
const typeOnly = (source: string) => `import type { X } from '${source}';\nexport type { X };\n`;

const BOUNDARY = 'boundaries/dependencies';
const PACKAGE = 'no-restricted-imports';

describe('lint: folder boundaries', () => {
  it.each([
    // server/ imports protocol/ and npm packages only, at any depth.
    ['server/x.ts', value('../main/host/host-service')],
    ['server/chat/x.ts', value('../../main/host/host-service')],
    ['server/stores/redis/x.ts', value('../../../main/host/host-service')],
    ['server/stores/redis/x.ts', value('../../../main/host/something')], // a target that does not exist
    ['server/stores/redis/x.ts', typeOnly('../../../main/ipc/result')],
    ['server/stores/redis/x.ts', value('../../../renderer/model/ids')],
    // The sandboxed preload: no server/, no main/ logic, no protocol/ code but desktop-api.ts.
    ['main/preload/x.ts', value('../../server/relay')],
    ['main/preload/x.ts', value('../host/host-service')],
    ['main/preload/x.ts', value('../../protocol/index')],
    ['main/preload/x.ts', value('../../protocol/schemas')],
    // The renderer: protocol/ only, and no schemas (zod) in its bundle.
    ['renderer/model/x.ts', value('../../server/relay')],
    ['renderer/ui/x.tsx', value('../../server/index')],
    ['renderer/x.ts', value('../server/index')],
    ['renderer/model/x.ts', value('../../main/host/host-service')],
    ['renderer/platform/x.ts', typeOnly('../../main/ipc/result')],
    ['renderer/model/x.ts', value('../../protocol/schemas')],
    // protocol/ imports nothing of ours.
    ['protocol/x.ts', value('../server/relay')],
    ['protocol/sub/x.ts', value('../../server/relay')],
    ['protocol/x.ts', value('../renderer/model/ids')],
    ['protocol/x.ts', typeOnly('../main/ipc/result')],
    // main/ modules never reach the Electron wiring, the preload or the renderer.
    ['main/x.ts', value('../renderer/model/ids')],
    ['main/host/x.ts', value('../../renderer/model/ids')],
    ['main/host/x.ts', value('../shell/index')],
    ['main/host/x.ts', value('../preload/api')],
    ['main/shell/x.ts', value('../../renderer/model/ids')],
    // Node-side tools: no DOM code in bench/, no app code in scripts/ and deploy/, nobody imports tests.
    ['bench/x.ts', value('../renderer/ui/app')],
    ['bench/lib/x.ts', value('../../main/host/host-service')],
    ['scripts/x.mjs', value('../server/index.ts')],
    ['deploy/local/x.ts', value('../../server/index')],
    ['server/x.ts', value('../test/helpers/net')],
  ])('%s may not import %j', async (filePath, code) => {
    expect(await lint(filePath, code)).toEqual([BOUNDARY]);
  });

  it.each([
    ['main/preload/x.ts', value('node:fs'), [PACKAGE]],
    ['main/preload/x.ts', value('fs'), [PACKAGE]],
    ['main/preload/x.ts', value('zod'), [PACKAGE]],
    ['main/preload/x.ts', `${value('node:fs')}import { y } from '../../server/relay';\nexport { y };\n`, [PACKAGE, BOUNDARY]],
    ['renderer/model/x.ts', value('node:path'), [PACKAGE]],
    ['renderer/model/x.ts', value('electron'), [PACKAGE]],
    ['protocol/x.ts', value('node:crypto'), [PACKAGE]],
    ['main/host/x.ts', value('electron'), [PACKAGE]],
    ['server/stores/redis/x.ts', value('electron'), [PACKAGE]],
  ])('%s: %j is refused by package rules', async (filePath, code, expected) => {
    expect(await lint(filePath, code)).toEqual(expected);
  });

  it('refuses a file in a folder that has no zone', async () => {
    expect(await lint('newfolder/x.ts', 'export const x = 1;\n')).toEqual(['boundaries/no-unknown-files']);
  });

  it.each([
    ['server/x.ts', value('../protocol/index')],
    ['server/stores/redis/x.ts', value('../../../protocol/index')],
    ['server/stores/redis/x.ts', typeOnly('../../../protocol/index')],
    ['server/stores/redis/x.ts', value('../../../protocol/schemas')],
    ['server/stores/redis/x.ts', value('../../chat/index')],
    ['renderer/model/x.ts', value('../../protocol/index')],
    ['renderer/ui/x.tsx', typeOnly('../../protocol/index')],
    ['renderer/model/x.ts', typeOnly('../../protocol/schemas')],
    ['renderer/ui/x.tsx', value('../model/ids')],
    ['protocol/x.ts', value('./limits')],
    ['main/host/x.ts', value('../../server/index')],
    ['main/host/x.ts', value('../../protocol/schemas')],
    ['main/host/x.ts', value('../ipc/result')],
    ['main/shell/x.ts', value('../host/host-service')],
    ['main/shell/x.ts', value('../../server/index')],
    ['main/shell/x.ts', value('electron')],
    ['main/preload/x.ts', value('electron')],
    ['main/preload/x.ts', value('./api')],
    ['main/preload/x.ts', value('../../protocol/desktop-api')],
    ['main/preload/x.ts', typeOnly('../../protocol/index')],
    ['main/preload/x.ts', typeOnly('../ipc/result')],
    ['main/preload/x.ts', value('../security/window-options')],
    ['test/main/x.test.ts', value('../../main/shell/index')],
    ['test/renderer/x.test.ts', value('../../renderer/ui/app')],
    ['bench/soak/x.ts', value('../../renderer/model/ids')],
    ['bench/x.ts', value('../test/helpers/net')],
    ['deploy/local/x.ts', value('../../protocol/index')],
  ])('%s may import %j', async (filePath, code) => {
    expect(await lint(filePath, code)).toEqual([]);
  });
});
