import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Digest } from '../core/digest.js';
import { WeftError } from '../core/errors.js';
import { pathsOverlap } from '../plan/dag.js';
import type { LockedStage, Lockfile } from '../plan/lockfile.js';
import type { ArtifactRef, MetadataStore, ModelVersion } from '../registry/types.js';
import type { ObjectStore } from '../store/index.js';
import { readMetricsFiles } from './metrics.js';
import type { LoadedWorkspace } from './workspace.js';

export interface RegisteredModel {
  name: string;
  version: number;
  digest: Digest;
  /** False when this artifact was already a version: nothing new was registered. */
  created: boolean;
}

/**
 * After a successful run, registers the artifact `spec.model` names as a version of that model,
 * with its ONNX signature, the run's metrics, and what it was built from: the params and the
 * source inputs of every stage upstream of it. Only when the stage that writes the artifact took
 * part in the run: `weft run prepare` registers nothing.
 */
export async function registerPipelineModel(options: {
  ws: LoadedWorkspace;
  lock: Lockfile;
  selected: readonly string[];
  store: ObjectStore;
  metadata: MetadataStore;
  runId: number;
  commit: string | null;
}): Promise<RegisteredModel | undefined> {
  const { ws, lock } = options;
  const model = ws.pipeline.model;
  if (!model) return undefined;
  const producer = [...ws.graph.producers].find(([out]) => pathsOverlap(model.artifact, out))?.[1];
  if (!producer) {
    throw new WeftError(
      'PIPELINE_INVALID',
      `failed to register model ${model.name}: no stage writes its artifact ${model.artifact}`,
    );
  }
  if (!options.selected.includes(producer)) return undefined;
  const artifact = await locateArtifact(options.store, lock.get(producer), model.artifact);
  // Known already: nothing to read (a no-op run must not re-read a gigabyte model).
  const known = await options.metadata.getModelVersion(model.name, { digest: artifact.digest });
  if (known) return describe(known, false);
  const bytes = await options.store.readBytes(artifact.digest);
  // Loaded only now: the ONNX schema costs more to load than a no-op run spends planning.
  const { readOnnxSignature } = await import('../evaluate/index.js');
  const lineage = collectInputs(ws, lock, producer);
  const { version, created } = await options.metadata.registerModelVersion({
    name: model.name,
    digest: artifact.digest,
    size: artifact.size,
    artifactPath: model.artifact,
    signature: readOnnxSignature(bytes, model.name),
    metrics: await readMetricsFiles(
      ws.root,
      ws.pipeline.stages.flatMap((s) => s.metrics),
    ),
    params: lineage.params,
    commit: options.commit,
    dataDigests: lineage.sources,
    runId: options.runId,
    stage: producer,
    createdAt: new Date(),
  });
  return describe(version, created);
}

function describe(version: ModelVersion, created: boolean): RegisteredModel {
  return { name: version.name, version: version.version, digest: version.digest, created };
}

/** The artifact is an out of its stage, or a file inside an out directory. */
async function locateArtifact(
  store: ObjectStore,
  locked: LockedStage | undefined,
  path: string,
): Promise<{ digest: Digest; size: number }> {
  const out = locked?.outs.find((o) => pathsOverlap(path, o.path));
  if (out?.path === path && out.kind === 'file') return out;
  if (out?.kind === 'dir') {
    const inside = path.slice(out.path.length + 1);
    const entry = (await store.readManifest(out.digest)).find((e) => e.path === inside);
    if (entry) return entry;
  }
  throw new WeftError('NOT_FOUND', `failed to register model: artifact ${path} was not written`);
}

/** Params and source inputs (deps no stage writes) of the producer and everything upstream. */
function collectInputs(
  ws: LoadedWorkspace,
  lock: Lockfile,
  producer: string,
): { params: Record<string, unknown>; sources: ArtifactRef[] } {
  const params: Record<string, unknown> = {};
  const sources = new Map<string, ArtifactRef>();
  const visit = (name: string, seen: Set<string>): void => {
    if (seen.has(name)) return;
    seen.add(name);
    const locked = lock.get(name);
    Object.assign(params, locked?.params);
    for (const dep of locked?.deps ?? []) {
      const written = [...ws.graph.producers.keys()].some((out) => pathsOverlap(dep.path, out));
      if (!written) sources.set(dep.path, { ...dep, kind: kindOf(ws.root, dep.path) });
    }
    for (const up of ws.graph.upstream.get(name) ?? []) visit(up, seen);
  };
  visit(producer, new Set());
  return { params, sources: [...sources.values()].sort((a, b) => (a.path < b.path ? -1 : 1)) };
}

function kindOf(root: string, path: string): 'file' | 'dir' {
  return statSync(join(root, path), { throwIfNoEntry: false })?.isDirectory() ? 'dir' : 'file';
}
