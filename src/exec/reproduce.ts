import { existsSync } from 'node:fs';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Digest } from '../core/digest.js';
import { WeftError } from '../core/errors.js';
import { readLockfile, type Lockfile } from '../plan/lockfile.js';
import { openMetadataStore } from '../registry/index.js';
import type { MetadataStore, ModelVersion, RunDetail } from '../registry/types.js';
import { runGit } from '../source/git.js';
import { hashPath, openObjectStore, StatCache } from '../store/index.js';
import type { RunReporter, StageReport } from './report.js';
import { runPipeline } from './run-pipeline.js';

export interface OutputDifference {
  stage: string;
  path: string;
  recorded: Digest;
  reproduced: Digest | null;
}

export interface ReproduceResult {
  model: string;
  version: number;
  commit: string;
  /** The artifact and every output weft.lock recorded at that commit came out the same. */
  identical: boolean;
  artifact: { path: string; recorded: Digest; reproduced: Digest | null };
  differences: OutputDifference[];
  stages: StageReport[];
}

/**
 * Rebuilds a model version from its commit, from scratch: the commit is checked out into a
 * temporary worktree, the pipeline runs there with the cache off (its own empty store and run
 * history, so nothing of the user's changes), and every output is compared with what was
 * recorded: the version's artifact digest, and the outs weft.lock had at that commit. Inputs
 * come from Git; data kept outside Git must be where the pipeline reads it from.
 */
export async function reproduceModelVersion(options: {
  root: string;
  metadata: MetadataStore;
  version: ModelVersion;
  jobs: number;
  reporter: RunReporter;
  signal: AbortSignal;
}): Promise<ReproduceResult> {
  const { version } = options;
  const { commit, run } = await requireCleanCommit(options.metadata, version);
  const scratch = await mkdtemp(join(tmpdir(), 'weft-reproduce-'));
  const tree = join(scratch, 'tree');
  try {
    await runGit(options.root, ['worktree', 'add', '--detach', tree, commit]);
    // JavaScript stages import from node_modules, which Git does not hold.
    const modules = join(options.root, 'node_modules');
    if (existsSync(modules) && !existsSync(join(tree, 'node_modules'))) {
      await symlink(modules, join(tree, 'node_modules'), 'dir');
    }
    const recorded = recordedOutputs(await readLockfile(tree), run);
    const metadata = await openMetadataStore({ kind: 'sqlite', path: join(scratch, 'weft.db') });
    const summary = await runPipeline({
      root: tree,
      weftDir: join(scratch, 'state'),
      store: await openObjectStore(join(scratch, 'store')),
      metadata,
      targets: [],
      jobs: options.jobs,
      force: true,
      reporter: options.reporter,
      signal: options.signal,
    }).finally(() => metadata.close());
    const reproduced = await hashPath(
      tree,
      version.artifactPath,
      new StatCache(join(scratch, 'sc')),
    );
    const differences = compareOutputs(recorded, await readLockfile(tree));
    const same = summary.status === 'succeeded' && reproduced?.digest === version.digest;
    return {
      model: version.name,
      version: version.version,
      commit,
      identical: same && differences.length === 0,
      artifact: {
        path: version.artifactPath,
        recorded: version.digest,
        reproduced: reproduced?.digest ?? null,
      },
      differences,
      stages: summary.stages,
    };
  } finally {
    await runGit(options.root, ['worktree', 'remove', '--force', tree]).catch(() => undefined);
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Only a version built from a clean commit can be rebuilt from that commit. */
async function requireCleanCommit(
  metadata: MetadataStore,
  version: ModelVersion,
): Promise<{ commit: string; run: RunDetail | undefined }> {
  const ref = `${version.name}@${version.version}`;
  if (version.commit === null) {
    throw new WeftError(
      'USAGE',
      `failed to reproduce ${ref}: it was built outside Git (no commit recorded)`,
    );
  }
  const run = await metadata.getRun(version.runId);
  if (run?.dirty) {
    throw new WeftError(
      'USAGE',
      `failed to reproduce ${ref}: run ${run.id} built it from uncommitted changes on top of ` +
        `${version.commit.slice(0, 10)}, so that commit does not describe it; commit, then run again`,
    );
  }
  return { commit: version.commit, run };
}

/**
 * What each stage wrote when the version was built: weft.lock at the commit, overridden by what
 * the producing run recorded for the stages it ran or restored.
 */
function recordedOutputs(
  lock: Lockfile,
  run: RunDetail | undefined,
): Map<string, Map<string, Digest>> {
  const outputs = new Map<string, Map<string, Digest>>();
  for (const [stage, entry] of lock)
    outputs.set(stage, new Map(entry.outs.map((o) => [o.path, o.digest])));
  for (const execution of run?.stages ?? []) {
    if (execution.outcome !== 'ran' && execution.outcome !== 'restored') continue;
    outputs.set(execution.stage, new Map(execution.outs.map((o) => [o.path, o.digest])));
  }
  return outputs;
}

function compareOutputs(
  recorded: Map<string, Map<string, Digest>>,
  rebuilt: Lockfile,
): OutputDifference[] {
  const differences: OutputDifference[] = [];
  for (const [stage, outs] of recorded) {
    const now = new Map(rebuilt.get(stage)?.outs.map((o) => [o.path, o.digest]));
    for (const [path, digest] of outs) {
      const reproduced = now.get(path) ?? null;
      if (reproduced !== digest) differences.push({ stage, path, recorded: digest, reproduced });
    }
  }
  return differences;
}
