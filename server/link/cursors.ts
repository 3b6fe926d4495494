/**
 * Where a link stands in each direction: per linked room, the newest seq of the source room that
 * has crossed (the far relay acknowledged it, or it needed no crossing). Kept in a small JSON file
 * under the data folder, replaced whole, so after a restart each side catches up from there.
 *
 * A cursor only moves forward, and only after the far relay's ack; a crash between an ack and the
 * next save re-sends at most what was acked since, which the far relay answers as duplicates
 * (protocol/link.ts). Saves are coalesced: one write at a time, the latest state wins.
 */
import { readFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeDurably } from '../durable-file';

export type Direction = 'out' | 'in';

const RETRY_SAVE_MS = 5_000;

interface CursorState {
  version: 1;
  /** The other relay's id when these cursors were last written (for people reading the file). */
  remoteRelay?: string;
  out: Record<string, number>;
  in: Record<string, number>;
}

export class LinkCursors {
  private state: CursorState = { version: 1, out: {}, in: {} };
  private saving: Promise<void> | undefined;
  private dirty = false;

  /** `file` undefined: kept in memory only (a relay without a data folder). */
  private constructor(private readonly file: string | undefined) {}

  static async open(file: string | undefined): Promise<LinkCursors> {
    const cursors = new LinkCursors(file);
    if (file === undefined) return cursors;
    try {
      const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<CursorState>;
      if (parsed.version === 1 && typeof parsed.out === 'object' && typeof parsed.in === 'object') {
        cursors.state = { version: 1, out: cleanMap(parsed.out), in: cleanMap(parsed.in), ...(typeof parsed.remoteRelay === 'string' ? { remoteRelay: parsed.remoteRelay } : {}) };
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    return cursors;
  }

  /** Key of a direction's room: the source room ('out': this relay's room, 'in': the other's). */
  get(direction: Direction, room: string): number {
    return this.state[direction][room] ?? 0;
  }

  /**
   * Notes the other relay's id. The 'in' cursors are kept even when it changes: a relay that lost
   * its data folder numbers its rooms from a time-based base above any old cursor, and clearing
   * them would replay everything it keeps each time a cluster answered with another id.
   */
  bindRemote(relayId: string): void {
    if (this.state.remoteRelay === relayId) return;
    this.state.remoteRelay = relayId;
    this.schedule();
  }

  advance(direction: Direction, room: string, seq: number): void {
    if (seq <= this.get(direction, room)) return;
    this.state[direction][room] = seq;
    this.schedule();
  }

  /** Resolves once everything advanced so far is on disk (or three saves in a row failed). */
  async flush(): Promise<void> {
    for (let attempt = 0; attempt < 3 && (this.saving || this.dirty); attempt++) {
      if (!this.saving) this.schedule();
      await this.saving?.catch(() => {});
    }
  }

  private schedule(): void {
    if (this.file === undefined) return;
    this.dirty = true;
    if (this.saving) return;
    const file = this.file;
    this.saving = (async () => {
      while (this.dirty) {
        this.dirty = false;
        await mkdir(dirname(file), { recursive: true });
        await writeDurably(file, JSON.stringify(this.state));
      }
    })().finally(() => {
      this.saving = undefined;
    });
    // A failed save (a full disk) is tried again shortly, even if the room stays quiet.
    this.saving.catch(() => {
      this.dirty = true;
      setTimeout(() => this.schedule(), RETRY_SAVE_MS).unref();
    });
  }
}

function cleanMap(value: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (Number.isSafeInteger(v) && (v as number) > 0) out[k] = v as number;
  return out;
}
