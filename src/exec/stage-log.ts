import { closeSync, openSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { StoredObject } from '../store/index.js';

/** Past this much output a log goes to a temp file instead of memory. */
const IN_MEMORY_BYTES = 1 << 20;
/** Once spilled, lines are written in chunks of about this size. */
const SPILL_CHUNK_BYTES = 64 << 10;

/**
 * A stage's combined output, line by line, on its way into the store. Most logs are small (or
 * empty) and stay in memory: no temp file is created, written, read back and deleted per stage.
 * A chatty stage's log spills to `spillPath` once it passes 1 MiB.
 */
export class StageLog {
  private pending: string[] = [];
  private pendingBytes = 0;
  private spilled: number | undefined;

  constructor(private readonly spillPath: string) {}

  append(line: string): void {
    const text = `${line}\n`;
    this.pending.push(text);
    this.pendingBytes += Buffer.byteLength(text);
    const limit = this.spilled === undefined ? IN_MEMORY_BYTES : SPILL_CHUNK_BYTES;
    if (this.pendingBytes > limit) this.flush();
  }

  /** Puts the whole log into the store, and removes the temp file of a spilled one. */
  async store(store: {
    putBytes(data: string): Promise<StoredObject>;
    putFile(path: string): Promise<StoredObject>;
  }): Promise<StoredObject> {
    if (this.spilled === undefined) return store.putBytes(this.pending.join(''));
    try {
      this.flush();
      closeSync(this.spilled);
      return await store.putFile(this.spillPath);
    } finally {
      await rm(this.spillPath, { force: true });
    }
  }

  private flush(): void {
    this.spilled ??= openSync(this.spillPath, 'wx', 0o600);
    writeFileSync(this.spilled, this.pending.join('')); // loops until all is written
    this.pending = [];
    this.pendingBytes = 0;
  }
}
