import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The server's Prometheus metrics, in a registry of its own (several servers may share a process in tests). */
export function createServerMetrics() {
  const registry = new Registry();
  const labels = ['model', 'version'] as const;
  return {
    registry,
    requests: new Counter({
      name: 'weft_inference_requests_total',
      help: 'Inference requests answered, by model, version and HTTP status.',
      labelNames: [...labels, 'status'],
      registers: [registry],
    }),
    latency: new Histogram({
      name: 'weft_inference_duration_seconds',
      help: 'Time from receiving an inference request to sending its answer.',
      labelNames: labels,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    batchSize: new Histogram({
      name: 'weft_batch_rows',
      help: 'Rows per batch run by the dynamic batcher.',
      labelNames: labels,
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024],
      registers: [registry],
    }),
    queueDelay: new Histogram({
      name: 'weft_batch_queue_delay_seconds',
      help: 'Time a request waited for its batch to start.',
      labelNames: labels,
      buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
      registers: [registry],
    }),
    shadowRequests: new Counter({
      name: 'weft_shadow_requests_total',
      help: 'Requests copied to a shadow version, by outcome: agree, disagree or error.',
      labelNames: [...labels, 'outcome'],
      registers: [registry],
    }),
    shadowMaxAbsDiff: new Gauge({
      name: 'weft_shadow_max_abs_diff',
      help: 'Largest absolute difference between the shadow and the primary output in the last comparison.',
      labelNames: labels,
      registers: [registry],
    }),
    shadowLatency: new Histogram({
      name: 'weft_shadow_duration_seconds',
      help: 'Inference time of the shadow copy of a request.',
      labelNames: labels,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    }),
    onlineAccuracy: new Gauge({
      name: 'weft_online_accuracy',
      help: 'Share of predictions that matched the label sent as feedback (all feedback so far).',
      labelNames: labels,
      registers: [registry],
    }),
    inputDrift: new Gauge({
      name: 'weft_input_drift_statistic',
      help: 'Drift of a feature over the last hour against the reference data: the deciding test’s statistic (KS D, PSI, chi-squared or Jensen-Shannon).',
      labelNames: [...labels, 'feature', 'method'],
      registers: [registry],
    }),
    inputDrifted: new Gauge({
      name: 'weft_input_drifted',
      help: '1 when a feature drifted over the last hour by its test’s default threshold (Evidently’s), else 0.',
      labelNames: [...labels, 'feature'],
      registers: [registry],
    }),
    feedback: new Counter({
      name: 'weft_feedback_total',
      help: 'Feedback received, by whether it matched a recorded prediction.',
      labelNames: ['model', 'matched'],
      registers: [registry],
    }),
    trafficWeight: new Gauge({
      name: 'weft_traffic_weight',
      help: 'Share of a model’s traffic each version is set to receive (0 to 1).',
      labelNames: labels,
      registers: [registry],
    }),
  };
}

export type ServerMetrics = ReturnType<typeof createServerMetrics>;
