import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ControllerEvent } from './event.js';
import { decideTransition, forgetObject, TransitionFilter } from './transitions.js';

const REV_A = `main@sha1:${'a'.repeat(40)}`;
const REV_B = `main@sha1:${'b'.repeat(40)}`;
const penguins = { kind: 'ModelDeployment', name: 'penguins' };
const iris = { kind: 'ModelDeployment', name: 'iris' };

type Fields = Pick<ControllerEvent, 'object' | 'type' | 'reason' | 'revision'>;
const fetchFailed: Fields = {
  object: penguins,
  type: 'FetchFailed',
  reason: 'GitUnreachable',
  revision: REV_A,
};

function emitted(events: Fields[]): boolean[] {
  const filter = new TransitionFilter();
  return events.map((event) => filter.shouldEmit(event));
}

describe('transition filter', () => {
  it('emits the first report and stays silent while nothing changes', () => {
    expect(emitted([fetchFailed, fetchFailed, { ...fetchFailed }])).toEqual([true, false, false]);
  });

  it.each([
    ['the type', { type: 'RolloutSucceeded' }],
    ['the reason', { reason: 'AuthenticationFailed' }],
    ['the revision', { revision: REV_B }],
    ['a reason that goes away', { reason: undefined }],
  ])('emits again when %s changes', (_, change) => {
    expect(emitted([fetchFailed, { ...fetchFailed, ...change }])).toEqual([true, true]);
  });

  it('emits a state again after the object left it (failed, recovered, failed)', () => {
    const recovered = { ...fetchFailed, type: 'FetchSucceeded', reason: undefined };
    expect(emitted([fetchFailed, recovered, fetchFailed])).toEqual([true, true, true]);
  });

  it('keeps objects apart, including kinds that share a name', () => {
    const pipeline = { ...fetchFailed, object: { kind: 'Pipeline', name: 'penguins' } };
    const other = { ...fetchFailed, object: iris };
    expect(emitted([fetchFailed, pipeline, other, fetchFailed, pipeline])).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
  });

  it('does not confuse fields whose joined text would be equal', () => {
    const first = { object: penguins, type: 'A', reason: 'b|c', revision: undefined };
    const second = { object: penguins, type: 'A', reason: 'b', revision: 'c' };
    expect(emitted([first, second])).toEqual([true, true]);
  });

  it('starts afresh for a forgotten object, and a restored memory repeats nothing', () => {
    const filter = new TransitionFilter();
    filter.shouldEmit(fetchFailed);
    const restored = new TransitionFilter(JSON.parse(JSON.stringify(filter.memory)) as never);
    expect(restored.shouldEmit(fetchFailed)).toBe(false);
    restored.forget(penguins);
    expect(restored.shouldEmit(fetchFailed)).toBe(true);
  });

  it('is pure: decisions never change the memory passed in', () => {
    const memory = Object.freeze({});
    const decision = decideTransition(memory, fetchFailed);
    expect(memory).toEqual({});
    expect(decideTransition(decision.memory, fetchFailed)).toEqual({
      emit: false,
      memory: decision.memory,
    });
    expect(forgetObject(decision.memory, iris)).toBe(decision.memory);
  });

  it('emits exactly when the state differs from the previous one of the same object', () => {
    const arbitraryEvent = fc.record({
      object: fc.constantFrom(penguins, iris),
      type: fc.constantFrom('FetchFailed', 'RolledBack'),
      reason: fc.constantFrom(undefined, 'X'),
      revision: fc.constantFrom(REV_A, REV_B),
    });
    fc.assert(
      fc.property(fc.array(arbitraryEvent, { maxLength: 30 }), (events) => {
        const last = new Map<string, string>();
        const expected = events.map((event) => {
          const key = event.object.name;
          const state = `${event.type}/${event.reason}/${event.revision}`;
          const changed = last.get(key) !== state;
          last.set(key, state);
          return changed;
        });
        expect(emitted(events)).toEqual(expected);
      }),
    );
  });
});
