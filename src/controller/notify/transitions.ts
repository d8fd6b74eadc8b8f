/**
 * Events on transitions only: the reconcile loop reports the state it found at every pass, and
 * only a change of that state per object becomes an event. A pass that finds what the previous
 * one found (still `FetchFailed`, at the same revision, for the same reason) is silent.
 */
import type { ControllerEvent } from './event.js';

/**
 * The last state reported per object, keyed `kind/name`. Plain JSON so the controller can keep it
 * in the metadata store and not repeat every event after a restart.
 */
export type TransitionMemory = Readonly<Record<string, string>>;

export interface TransitionDecision {
  emit: boolean;
  memory: TransitionMemory;
}

type TransitionFields = Pick<ControllerEvent, 'object' | 'type' | 'reason' | 'revision'>;

function objectKey(object: ControllerEvent['object']): string {
  return `${object.kind}/${object.name}`;
}

/** Message, time and metadata are left out: they change at every pass without a transition. */
function stateKey(event: TransitionFields): string {
  return JSON.stringify([event.type, event.reason ?? '', event.revision ?? '']);
}

/** Whether `event` is a transition for its object, and the memory that includes it. */
export function decideTransition(
  memory: TransitionMemory,
  event: TransitionFields,
): TransitionDecision {
  const key = objectKey(event.object);
  const state = stateKey(event);
  if (memory[key] === state) return { emit: false, memory };
  return { emit: true, memory: { ...memory, [key]: state } };
}

/** The memory without an object, e.g. once it is deleted, so a new object of that name starts afresh. */
export function forgetObject(
  memory: TransitionMemory,
  object: ControllerEvent['object'],
): TransitionMemory {
  const key = objectKey(object);
  if (!(key in memory)) return memory;
  return Object.fromEntries(Object.entries(memory).filter(([k]) => k !== key));
}

/** The same rules with the memory kept inside, for a controller that holds it in process. */
export class TransitionFilter {
  private current: TransitionMemory;

  constructor(initial: TransitionMemory = {}) {
    this.current = initial;
  }

  get memory(): TransitionMemory {
    return this.current;
  }

  shouldEmit(event: TransitionFields): boolean {
    const decision = decideTransition(this.current, event);
    this.current = decision.memory;
    return decision.emit;
  }

  forget(object: ControllerEvent['object']): void {
    this.current = forgetObject(this.current, object);
  }
}
