import { join } from 'node:path';
import { digestJson, type Digest } from '../core/digest.js';
import { WeftError } from '../core/errors.js';
import { readTable } from '../evaluate/data/read-table.js';
import { evaluateModel } from '../evaluate/evaluate-model.js';
import type { EvaluationResult } from '../evaluate/types.js';
import type { MetadataStore, ModelVersion } from '../registry/types.js';
import type { ResolvedEvaluation } from '../spec/types.js';
import { hashFile, type ObjectStore } from '../store/index.js';

/** Bumped when the same model on the same data would now evaluate differently. */
const EVALUATION_FORMAT = 'weft/evaluation-v1';

export interface EvaluationContext {
  root: string;
  store: ObjectStore;
  metadata: MetadataStore;
  evaluation: ResolvedEvaluation;
  actor: string;
  /** Evaluate again even when this version was evaluated on the same data and settings. */
  force?: boolean;
}

export interface VersionEvaluation {
  result: EvaluationResult;
  /** Read back from the registry instead of computed now. */
  cached: boolean;
}

/**
 * Evaluates a registered version on the workspace's evaluation dataset and keeps the result
 * with the version. The same version, dataset bytes and settings give the stored result back.
 */
export async function evaluateModelVersion(
  context: EvaluationContext,
  version: ModelVersion,
): Promise<VersionEvaluation> {
  const startedAt = performance.now();
  const { evaluation, metadata } = context;
  const file = join(context.root, evaluation.dataset);
  const { digest: datasetDigest } = await hashFile(file).catch(() => {
    throw new WeftError(
      'DATASET_INVALID',
      `failed to read dataset ${evaluation.dataset}: no such file (is it an output of a stage? run weft run first)`,
    );
  });
  const configDigest = digestJson({ format: EVALUATION_FORMAT, evaluation });
  if (!context.force) {
    const [stored] = await metadata.listModelChecks(version.name, version.version, {
      kind: 'evaluation',
      datasetDigest,
      configDigest,
      limit: 1,
    });
    if (stored) return { result: stored.result as EvaluationResult, cached: true };
  }
  const result = await evaluateModel({
    model: { name: version.name, version: version.version, digest: version.digest },
    bytes: await context.store.readBytes(version.digest),
    table: await readTable(file, evaluation.dataset),
    datasetDigest,
    evaluation,
    startedAt,
  });
  await metadata.recordModelCheck({
    name: version.name,
    version: version.version,
    kind: 'evaluation',
    datasetPath: evaluation.dataset,
    datasetDigest,
    configDigest: configDigest satisfies Digest,
    passed: null,
    result,
    actor: context.actor,
    createdAt: new Date(),
  });
  return { result, cached: false };
}
