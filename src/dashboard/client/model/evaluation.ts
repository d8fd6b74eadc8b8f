import type { EvaluationResult, GateVerdict, ModelCheck, ReportInput } from '../api/types.js';

/**
 * The checks API answers `result` as free JSON: an EvaluationResult for an evaluation, a
 * ReportInput (the verdicts and the evaluation behind them) for a validation. Read defensively:
 * a store written by another weft may hold other shapes, and the page should say so, not break.
 */
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

export function readEvaluation(check: ModelCheck | undefined): EvaluationResult | null {
  const result = check?.result;
  if (!isObject(result) || !isObject(result.metrics) || typeof result.metrics.task !== 'string')
    return null;
  const read = result as unknown as Partial<EvaluationResult>;
  return {
    ...(read as EvaluationResult),
    fairness: Array.isArray(read.fairness) ? read.fairness : [],
    importance: read.importance ?? null,
    features: Array.isArray(read.features) ? read.features : [],
  };
}

export interface Verdicts {
  passed: boolean;
  gates: GateVerdict[];
  baseline: ReportInput['validation']['baseline'];
  /** The candidate's evaluation the gates were judged on. */
  candidate: EvaluationResult | null;
}

export function readValidation(check: ModelCheck | undefined): Verdicts | null {
  const result = check?.result;
  if (!check || !isObject(result)) return null;
  const validation = isObject(result.validation) ? result.validation : result;
  const gates = Array.isArray(validation.gates)
    ? (validation.gates as unknown[]).filter(isGate)
    : [];
  const candidate = isObject(result.candidate)
    ? readEvaluation({ ...check, result: result.candidate })
    : null;
  return {
    passed: check.passed ?? gates.every((g) => g.passed),
    gates,
    baseline: isObject(validation.baseline)
      ? (validation.baseline as unknown as Verdicts['baseline'])
      : null,
    candidate,
  };
}

function isGate(value: unknown): value is GateVerdict {
  return isObject(value) && typeof value.gate === 'string' && typeof value.passed === 'boolean';
}

/** Headline numbers of an evaluation, by task. */
export function headlineMetrics(result: EvaluationResult): Array<[string, number | null]> {
  const m = result.metrics;
  if (m.task === 'regression') {
    return [
      ['rows', m.rows],
      ['rmse', m.rmse],
      ['mae', m.mae],
      ['r2', m.r2],
    ];
  }
  return [
    ['rows', m.rows],
    ['accuracy', m.accuracy],
    ['precision', m.precision],
    ['recall', m.recall],
    ['f1', m.f1],
    ['ROC AUC', m.rocAuc],
    ['log loss', m.logLoss],
  ];
}
