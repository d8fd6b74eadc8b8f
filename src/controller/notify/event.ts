/**
 * What the controller tells the outside world: one event per transition of one object (a rollout
 * succeeded, a source stopped being reachable), sent to webhooks and chat by the notifier.
 */
import { randomUUID } from 'node:crypto';

export type EventSeverity = 'info' | 'warning' | 'error';

export interface EventObject {
  /** e.g. `ModelDeployment`, `Pipeline`, `GitSource`. */
  kind: string;
  name: string;
}

export interface ControllerEvent {
  /** Unique per event, stable across delivery retries; receivers use it as an idempotency key. */
  id: string;
  /** What happened, e.g. `RolloutSucceeded`, `RolledBack`, `DriftDetected`, `FetchFailed`. */
  type: string;
  severity: EventSeverity;
  object: EventObject;
  /** Why, when the type alone does not say (e.g. `FetchFailed` because `AuthenticationFailed`). */
  reason?: string;
  /** `main@sha1:<hash>` the event is about. */
  revision?: string;
  message: string;
  /** ISO 8601. */
  at: string;
  metadata?: Record<string, string>;
}

/** An event as the controller composes it: its id and time are given when it is recorded. */
export type EventDraft = Omit<ControllerEvent, 'id' | 'at'>;

/**
 * Standard Webhooks signs `${id}.${timestamp}.${body}`, so an id must never contain a `.`; hex
 * from a UUID never does.
 */
export function newEventId(): string {
  return `evt_${randomUUID().replaceAll('-', '')}`;
}

export function createControllerEvent(fields: EventDraft, now: Date = new Date()): ControllerEvent {
  return { id: newEventId(), at: now.toISOString(), ...fields };
}
