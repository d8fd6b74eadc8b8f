import { digestJson, isDigest } from '../core/digest.js';
import { SpecError } from '../core/errors.js';
import type { SpecProblem } from '../core/errors.js';
import { resolveAnalysis, resolveBatching } from './deployment-analysis.js';
import { reportKey } from './deployment-problems.js';
import { validateDeploymentSchema } from './deployment-schema.js';
import { resolveDuration, resolveStrategy } from './deployment-strategy.js';
import type {
  ResolvedDeployment,
  ResolvedDeploymentSpec,
  ResolvedModelSelector,
  ResolvedRetrain,
  ResolvedRuntime,
} from './deployment-types.js';
import { Resolver, toArray } from './resolver.js';
import { isPlainObject, locatePath, parseYamlSource } from './yaml-document.js';
import type { YamlSource } from './yaml-document.js';

const KIND = 'ModelDeployment';

/**
 * Parses and validates one ModelDeployment document (`file` is the name errors show). Pure;
 * throws SpecError listing every problem found, each at file:line:col.
 */
export function parseDeployment(text: string, file: string): ResolvedDeployment {
  const { deployment, problems } = parseDeploymentSource(text, file);
  if (deployment === undefined) throw new SpecError(problems);
  return deployment;
}

/** Like parseDeployment, but returns the problems so a caller can gather them over files. */
export function parseDeploymentSource(
  text: string,
  file: string,
): { deployment?: ResolvedDeployment; problems: SpecProblem[] } {
  const { source, problems } = parseYamlSource(text, file);
  if (problems.length > 0) return { problems };
  const wrongKind = checkKind(source);
  if (wrongKind) return { problems: [wrongKind] };
  const r = new Resolver(source);
  const data = record(source.data);
  const spec = resolveSpec(r, record(data.spec));
  const found = [...validateDeploymentSchema(source), ...r.problems];
  if (found.length > 0) return { problems: found.sort((a, b) => a.line - b.line || a.col - b.col) };
  const deployment: ResolvedDeployment = {
    apiVersion: 'weft.dev/v1',
    kind: KIND,
    name: String(record(data.metadata).name),
    file,
    location: locatePath(source, ['metadata', 'name'], 'value'),
    spec,
    generation: digestJson(spec),
  };
  return { deployment, problems: [] };
}

/** Another kind's document would otherwise drown in unknown-key errors; one line says it all. */
function checkKind(source: YamlSource): SpecProblem | undefined {
  const kind = record(source.data).kind;
  if (typeof kind !== 'string' || kind === KIND) return undefined;
  const where = kind === 'Pipeline' ? '; a Pipeline belongs in weft.yaml' : '';
  return {
    ...locatePath(source, ['kind'], 'value'),
    key: 'kind',
    message: `expected "${KIND}", got "${kind}"${where}`,
  };
}

function resolveSpec(r: Resolver, raw: Record<string, unknown>): ResolvedDeploymentSpec {
  const retrain = resolveRetrain(r, record(raw.retrain));
  return {
    model: resolveModel(r, record(raw.model)),
    runtime: resolveRuntime(r, record(raw.runtime)),
    strategy: resolveStrategy(r, record(raw.strategy)),
    analysis: resolveAnalysis(record(raw.analysis)),
    batching: resolveBatching(raw.batching),
    selfHeal: raw.selfHeal !== false,
    suspend: raw.suspend === true,
    ...(retrain ? { retrain } : {}),
  };
}

const DEFAULT_RETRAIN_COOLDOWN_MS = 3_600_000;

function resolveRetrain(r: Resolver, raw: Record<string, unknown>): ResolvedRetrain | null {
  if (raw.onInputDrift !== true) return null;
  const at = ['spec', 'retrain', 'cooldown'];
  return { cooldownMs: resolveDuration(r, raw.cooldown, at, DEFAULT_RETRAIN_COOLDOWN_MS) };
}

const SELECTORS = ['version', 'alias', 'digest', 'follow'] as const;

function resolveModel(r: Resolver, raw: Record<string, unknown>): ResolvedModelSelector {
  checkOneSelector(r, raw);
  const model: ResolvedModelSelector = { name: String(raw.name), ref: null };
  if (typeof raw.version === 'number') model.ref = { version: raw.version };
  else if (typeof raw.alias === 'string') model.ref = { alias: raw.alias };
  else if (isDigest(raw.digest)) model.ref = { digest: raw.digest };
  if (isPlainObject(raw.follow)) {
    model.follow = {
      branch: String(raw.follow.branch),
      passedGates: raw.follow.passedGates !== false,
    };
  }
  return model;
}

/**
 * version, alias and digest each name what to serve, so one is allowed; follow names a policy
 * whose result the controller writes into version, so only that pair goes together.
 */
function checkOneSelector(r: Resolver, raw: Record<string, unknown>): void {
  const given = Object.keys(raw).filter((k) => (SELECTORS as readonly string[]).includes(k));
  for (const [index, selector] of given.entries()) {
    const earlier = given.slice(0, index).find((first) => !isFollowWithVersion(first, selector));
    if (earlier === undefined) continue;
    reportKey(
      r,
      ['spec', 'model', selector],
      `"${earlier}" and "${selector}" both select the version to serve; keep one of them (only follow may go with version)`,
    );
  }
}

function isFollowWithVersion(a: string, b: string): boolean {
  return (a === 'follow' && b === 'version') || (a === 'version' && b === 'follow');
}

function resolveRuntime(r: Resolver, raw: Record<string, unknown>): ResolvedRuntime {
  if (raw.kind !== 'external') {
    for (const key of ['command', 'env'].filter((k) => raw[k] !== undefined)) {
      reportKey(
        r,
        ['spec', 'runtime', key],
        `"${key}" applies only to an external runtime; set kind: external or remove it`,
      );
    }
    return { kind: 'onnx' };
  }
  if (raw.command === undefined) {
    reportKey(
      r,
      ['spec', 'runtime'],
      'required key "command" is missing: an external runtime needs the argv of its model server, with {port} where the port goes',
    );
  }
  const command = toArray(raw.command).map(String);
  const env = Object.entries(record(raw.env)).map(([k, v]): [string, string] => [k, String(v)]);
  return { kind: 'external', command, env: Object.fromEntries(env) };
}

function record(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : {};
}
