import { availableParallelism } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { WeftError } from '../core/errors.js';

import type { MetadataStoreConfig } from '../registry/types.js';

/** Everything weft reads from its environment, resolved once: defaults < env < flags. */
export interface ResolvedConfig {
  root: string;
  /** Per-workspace state: stat cache, run lock, scratch files, the default store and DB. */
  weftDir: string;
  storeDir: string;
  metadata: MetadataStoreConfig;
  jobs: number;
  /** Who acts, for records such as alias moves (WEFT_ACTOR); null: ask git who the user is. */
  actor: string | null;
}

export interface ConfigFlags {
  jobs?: string;
  store?: string;
  database?: string;
}

export function resolveConfig(
  root: string,
  env: NodeJS.ProcessEnv,
  flags: ConfigFlags = {},
): Readonly<ResolvedConfig> {
  const weftDir = join(root, '.weft');
  const store = flags.store ?? env.WEFT_STORE_DIR;
  const database = flags.database ?? env.WEFT_DATABASE_URL;
  const jobs = flags.jobs ?? env.WEFT_JOBS;
  return Object.freeze({
    root,
    weftDir,
    storeDir: store ? resolve(root, store) : join(weftDir, 'store'),
    metadata: parseDatabase(database, root, weftDir),
    jobs: jobs === undefined ? availableParallelism() : parseJobs(jobs),
    actor: env.WEFT_ACTOR || null,
  });
}

/**
 * `postgres://…` selects PostgreSQL (`?schema=name` keeps weft's tables in their own schema);
 * `sqlite:<path>` or a bare path selects a SQLite file.
 */
function parseDatabase(
  value: string | undefined,
  root: string,
  weftDir: string,
): MetadataStoreConfig {
  if (!value) return { kind: 'sqlite', path: join(weftDir, 'weft.db') };
  if (/^postgres(ql)?:\/\//.test(value)) {
    const url = new URL(value);
    const schema = url.searchParams.get('schema');
    url.searchParams.delete('schema');
    return { kind: 'postgres', url: url.toString(), ...(schema ? { schema } : {}) };
  }
  const path = value.replace(/^sqlite:/, '');
  return { kind: 'sqlite', path: isAbsolute(path) ? path : resolve(root, path) };
}

function parseJobs(value: string): number {
  const jobs = Number(value);
  if (!Number.isInteger(jobs) || jobs < 1) {
    throw new WeftError(
      'USAGE',
      `failed to read jobs: expected a positive integer, got "${value}"`,
    );
  }
  return jobs;
}
