import { digestJson } from '../core/digest.js';
import { isWeftError } from '../core/errors.js';
import { judgeGates, type BaselineLookup } from '../evaluate/gates.js';
import type { ReportInput, ValidationResult } from '../evaluate/types.js';
import type { MetadataStore, ModelVersion } from '../registry/types.js';
import { LOCK_FILE, parseLockfile } from '../plan/lockfile.js';
import { readFileAtRevision, resolveRevision } from '../source/git.js';
import type { ResolvedGate } from '../spec/types.js';
import { evaluateModelVersion, type EvaluationContext } from './evaluate-version.js';
import type { ReproduceResult } from './reproduce.js';

export interface ValidationContext extends EvaluationContext {
  gates: readonly ResolvedGate[];
  /** Where the pipeline writes the model (spec.model.artifact), to find it in a committed weft.lock. */
  artifactPath?: string;
  /** Rebuilds the candidate for a reproducibility gate (weft reproduce). */
  reproduce: (version: ModelVersion) => Promise<ReproduceResult>;
}

/**
 * Evaluates the candidate and every baseline its gates name on the same dataset, judges each
 * gate, and records the verdicts with the version, passed or not.
 */
export async function validateModelVersion(
  context: ValidationContext,
  candidate: ModelVersion,
): Promise<ReportInput> {
  const evaluated = await evaluateModelVersion(context, candidate);
  const baselines = new Map<string, BaselineLookup>();
  const baselineVersions = new Map<string, ModelVersion>();
  for (const ref of new Set(
    context.gates.flatMap((g) => (g.kind === 'metric' && g.noWorseThan) || []),
  )) {
    const found = await findBaseline(context, candidate.name, ref);
    if (typeof found === 'string') {
      baselines.set(ref, { ref, missing: found });
      continue;
    }
    baselineVersions.set(ref, found);
    const { result } = await evaluateModelVersion(context, found);
    baselines.set(ref, { ref, version: found.version, result });
  }
  const reproducibility = context.gates.some((g) => g.kind === 'reproducible')
    ? await checkReproducible(context, candidate)
    : null;
  const gates = judgeGates(context.gates, {
    candidate: evaluated.result,
    baselines,
    reproducibility,
  });
  const [firstRef, firstBaseline] = [...baselineVersions][0] ?? [];
  const baselineResult = firstRef ? baselines.get(firstRef) : undefined;
  const validation: ValidationResult = {
    model: evaluated.result.model,
    baseline:
      firstRef && firstBaseline
        ? {
            name: firstBaseline.name,
            version: firstBaseline.version,
            digest: firstBaseline.digest,
            ref: firstRef,
          }
        : null,
    passed: gates.every((g) => g.passed),
    gates,
    validatedAt: new Date().toISOString(),
  };
  const report: ReportInput = {
    validation,
    candidate: evaluated.result,
    baseline: baselineResult && 'result' in baselineResult ? baselineResult.result : null,
    params: { candidate: candidate.params, baseline: firstBaseline?.params ?? null },
    lineage: summarizeLineage(candidate),
    commit: candidate.commit,
  };
  await context.metadata.recordModelCheck({
    name: candidate.name,
    version: candidate.version,
    kind: 'validation',
    datasetPath: evaluated.result.dataset.path,
    datasetDigest: evaluated.result.dataset.digest as `sha256:${string}`,
    configDigest: digestJson({ gates: context.gates.map(({ location: _, ...gate }) => gate) }),
    passed: validation.passed,
    result: report,
    actor: context.actor,
    createdAt: new Date(),
  });
  return report;
}

/**
 * An alias of the model, else a Git revision the model was built from. Returns why not when
 * neither names a registered version: a gate with no baseline fails, it is never skipped.
 */
async function findBaseline(
  context: ValidationContext,
  name: string,
  ref: string,
): Promise<ModelVersion | string> {
  const byAlias = await context.metadata.getModelVersion(name, { alias: ref });
  if (byAlias) return byAlias;
  let commit: string;
  try {
    commit = await resolveRevision(context.root, ref);
  } catch (error) {
    if (!isWeftError(error, 'NOT_FOUND')) throw error;
    return `model ${name} has no alias "${ref}" and "${ref}" is no Git revision; set one with: weft models alias set ${name} ${ref} VERSION`;
  }
  const locked = await findVersionLockedAt(context, name, commit);
  const built = locked ?? (await findVersionBuiltFrom(context.metadata, name, commit));
  return (
    built ??
    `no version of model ${name} was built from ${ref} (${commit.slice(0, 10)}); run weft run on that commit first`
  );
}

/** The version whose artifact the weft.lock committed at `commit` records: what Git said ran. */
async function findVersionLockedAt(
  context: ValidationContext,
  name: string,
  commit: string,
): Promise<ModelVersion | undefined> {
  const text = await readFileAtRevision(context.root, commit, LOCK_FILE);
  if (text === undefined || !context.artifactPath) return undefined;
  for (const stage of parseLockfile(text).values()) {
    const out = stage.outs.find((o) => o.path === context.artifactPath);
    if (out) return context.metadata.getModelVersion(name, { digest: out.digest });
  }
  return undefined;
}

async function findVersionBuiltFrom(
  metadata: MetadataStore,
  name: string,
  commit: string,
): Promise<ModelVersion | undefined> {
  for (let before: number | undefined; ;) {
    const page = await metadata.listModelVersions(name, {
      limit: 200,
      ...(before ? { before } : {}),
    });
    const match = page.find((v) => v.commit === commit);
    if (match || page.length < 200) return match;
    before = page[page.length - 1]?.version;
  }
}

/** A version that cannot be rebuilt at all (uncommitted changes, no run) fails the gate. */
async function checkReproducible(
  context: ValidationContext,
  candidate: ModelVersion,
): Promise<{ identical: boolean; message: string }> {
  try {
    return describeReproduction(await context.reproduce(candidate));
  } catch (error) {
    if (!isWeftError(error)) throw error;
    return { identical: false, message: error.message };
  }
}

function describeReproduction(result: ReproduceResult): { identical: boolean; message: string } {
  if (result.identical) {
    return {
      identical: true,
      message: `bit-identical when rebuilt from ${result.commit.slice(0, 10)}`,
    };
  }
  const differing = result.differences.map((d) => `${d.path} (stage ${d.stage})`);
  const failed = result.stages
    .filter((s) => s.outcome === 'failed')
    .map((s) => `stage ${s.stage} failed`);
  return {
    identical: false,
    message: `not reproducible from ${result.commit.slice(0, 10)}: ${[...differing, ...failed].join(', ') || 'the model differs'}`,
  };
}

function summarizeLineage(version: ModelVersion): string[] {
  return [
    ...(version.commit ? [`commit ${version.commit.slice(0, 10)}`] : ['uncommitted changes']),
    ...version.dataDigests.map((d) => `input ${d.path} (${d.digest.slice(0, 19)})`),
    `stage ${version.stage} of run ${version.runId} -> ${version.artifactPath} (${version.digest.slice(0, 19)})`,
    `model ${version.name}@${version.version}${version.aliases.length ? ` [${version.aliases.join(', ')}]` : ''}`,
  ];
}
