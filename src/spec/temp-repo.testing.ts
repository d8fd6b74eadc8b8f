/**
 * Test helper: a fresh directory for each test of the file that calls it (removed after the
 * test), standing for a repository the spec readers read weft.yaml and deploy/ from.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';

export interface TempRepo {
  /** The current test's directory. */
  readonly root: string;
  /** Writes each repo-relative path with its text, creating folders as needed. */
  write(files: Record<string, string>): Promise<void>;
}

export function useTempRepo(prefix: string): TempRepo {
  let root = '';
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), prefix));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });
  return {
    get root() {
      return root;
    },
    async write(files) {
      for (const [name, text] of Object.entries(files)) {
        await mkdir(join(root, name, '..'), { recursive: true });
        await writeFile(join(root, name), text);
      }
    },
  };
}
