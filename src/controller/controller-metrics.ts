import { Counter, Gauge, type Registry } from 'prom-client';
import type { DeploymentStatus } from './deployment-status.js';

/** The controller's view as Prometheus metrics, next to the server's on the same `/metrics`. */
export function createControllerMetrics(registry: Registry) {
  const conditions = new Gauge({
    name: 'weft_deployment_condition',
    help: 'A ModelDeployment condition: 1 when its status is True, 0 when False.',
    labelNames: ['deployment', 'type'],
    registers: [registry],
  });
  const canaryWeight = new Gauge({
    name: 'weft_deployment_canary_weight',
    help: 'Share of traffic (0-100) the canary of a rollout in progress takes; 0 without one.',
    labelNames: ['deployment'],
    registers: [registry],
  });
  const reconciles = new Counter({
    name: 'weft_reconcile_total',
    help: 'Reconcile passes of a ModelDeployment, by the Ready reason they ended with.',
    labelNames: ['deployment', 'reason'],
    registers: [registry],
  });
  return {
    /** Publishes what a pass wrote for one deployment. */
    observe(name: string, status: DeploymentStatus, canarySteps: readonly number[] = []): void {
      for (const type of ['Ready', 'Stalled', 'Drifted', 'RolloutFailed', 'Reconciling'] as const) {
        const condition = status.conditions.find((c) => c.type === type);
        conditions.set({ deployment: name, type }, condition?.status === 'True' ? 1 : 0);
      }
      canaryWeight.set(
        { deployment: name },
        status.rollout ? (canarySteps[status.rollout.step] ?? 0) : 0,
      );
      const reason = status.conditions.find((c) => c.type === 'Ready')?.reason ?? 'Unknown';
      reconciles.inc({ deployment: name, reason });
    },
  };
}

export type ControllerMetrics = ReturnType<typeof createControllerMetrics>;
