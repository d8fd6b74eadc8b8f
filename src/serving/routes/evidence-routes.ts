import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Label, TimeWindow } from '../evidence/index.js';
import { OipError } from '../oip/index.js';
import type { ServerContext } from '../server.js';
import { describeLiveEvidence } from '../live-evidence.js';
import { normalizeLabel } from '../served-evidence.js';
import { findVersion } from './metadata-routes.js';

type FeedbackRequest = FastifyRequest<{ Params: { name: string }; Body: unknown }>;
type EvidenceRequest = FastifyRequest<{
  Params: { name: string; version: string };
  Querystring: { from?: string; to?: string; baseline?: string };
}>;

const REJECTION_STATUS = { 'unknown-or-expired': 404, duplicate: 409, 'label-count-mismatch': 400 };

/**
 * Feedback (true labels for earlier answers, by request id), the evidence per version that a
 * canary analysis reads, and Prometheus metrics.
 */
export function registerEvidenceRoutes(app: FastifyInstance, context: ServerContext): void {
  app.post('/v2/models/:name/feedback', (request: FeedbackRequest) => {
    const { id, labels } = readFeedback(request.body);
    const entry = context.table.models.get(request.params.name);
    const classes = entry && [...entry.versions.values()][0]?.info.classes;
    const result = context.evidence.recordFeedback(
      id,
      labels.map((label) => normalizeLabel(label, classes)),
      Date.now(),
    );
    context.metrics.feedback.inc({ model: request.params.name, matched: String(result.matched) });
    if (!result.matched) {
      throw new OipError(REJECTION_STATUS[result.reason], feedbackMessage(id, result.reason));
    }
    return result;
  });

  app.get('/v2/models/:name/versions/:version/evidence', (request: EvidenceRequest) => {
    const { version } = findVersion(context, request.params);
    return describeLiveEvidence(
      context,
      version.info,
      readWindow(request.query),
      request.query.baseline,
    );
  });

  // How a shadow version's answers compared with the primary's (what a shadow verdict reads).
  app.get('/v2/models/:name/versions/:version/shadow', (request: EvidenceRequest) => {
    const { name, version } = request.params;
    return context.shadows.stats(name, version, readWindow(request.query));
  });

  app.get('/metrics', async (_request, reply: FastifyReply) => {
    publishOnlineAccuracy(context);
    publishInputDrift(context, Date.now());
    void reply.type(context.metrics.registry.contentType);
    return context.metrics.registry.metrics();
  });
}

function publishOnlineAccuracy(context: ServerContext): void {
  const always = { from: 0, to: Number.MAX_SAFE_INTEGER };
  for (const entry of context.table.models.values()) {
    for (const id of entry.versions.keys()) {
      const { accuracy } = context.evidence.onlineAccuracy(entry.name, id, always);
      if (accuracy !== null)
        context.metrics.onlineAccuracy.set({ model: entry.name, version: id }, accuracy);
    }
  }
}

const DRIFT_WINDOW_MS = 60 * 60 * 1000;

/** Drift per feature over the last hour, for versions that have reference data. */
function publishInputDrift(context: ServerContext, now: number): void {
  const window = { from: now - DRIFT_WINDOW_MS, to: now };
  for (const entry of context.table.models.values()) {
    for (const version of entry.versions.values()) {
      const { model, version: id, reference } = version.info;
      if (!reference) continue;
      const report = context.evidence.inputDrift(model, id, reference, window);
      for (const [feature, drift] of Object.entries(report.features)) {
        const labels = { model, version: id, feature };
        context.metrics.inputDrift.set({ ...labels, method: drift.method }, drift.statistic);
        context.metrics.inputDrifted.set(labels, drift.drifted ? 1 : 0);
      }
    }
  }
}

/** `{"id": "...", "label": x}` or `{"id": "...", "labels": [x, ...]}` (one per row). */
function readFeedback(body: unknown): { id: string; labels: Label[] } {
  const { id, label, labels } = (body ?? {}) as { id?: unknown; label?: unknown; labels?: unknown };
  if (typeof id !== 'string' || id === '')
    throw new OipError(400, 'feedback needs "id": the id of the answered request');
  const list = labels ?? (label === undefined ? undefined : [label]);
  if (!Array.isArray(list) || list.length === 0 || !list.every(isLabel)) {
    throw new OipError(
      400,
      'feedback needs "label" (a string or number) or "labels" (one per row)',
    );
  }
  return { id, labels: list };
}

function isLabel(value: unknown): value is Label {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

function readWindow(query: { from?: string; to?: string }): TimeWindow {
  const parse = (text: string | undefined, fallback: number, name: string): number => {
    if (text === undefined) return fallback;
    const value = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
    if (Number.isNaN(value))
      throw new OipError(400, `"${name}" must be ms since the epoch or an ISO date, got "${text}"`);
    return value;
  };
  return { from: parse(query.from, 0, 'from'), to: parse(query.to, Date.now(), 'to') };
}

function feedbackMessage(id: string, reason: keyof typeof REJECTION_STATUS): string {
  switch (reason) {
    case 'unknown-or-expired':
      return `no answered request with id "${id}" (unknown, or older than the retention)`;
    case 'duplicate':
      return `request "${id}" already has feedback; the first stands`;
    case 'label-count-mismatch':
      return `request "${id}" answered a different number of rows than labels were sent`;
  }
}
