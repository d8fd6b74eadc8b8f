import { describe, expect, it } from 'vitest';
import { DeliveryLog } from './delivery-log.js';

function clock(start = 0): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return { now: () => time, advance: (ms) => (time += ms) };
}

describe('DeliveryLog', () => {
  it('remembers ids it has recorded and nothing else', () => {
    const log = new DeliveryLog();
    log.add('a');
    expect(log.has('a')).toBe(true);
    expect(log.has('b')).toBe(false);
  });

  it('forgets an id once its time to live has passed', () => {
    const time = clock();
    const log = new DeliveryLog({ ttlMs: 1000, now: time.now });
    log.add('a');
    time.advance(999);
    log.add('b');
    expect(log.has('a')).toBe(true);
    time.advance(1);
    expect(log.has('a')).toBe(false);
    expect(log.has('b')).toBe(true);
    expect(log.size).toBe(1);
  });

  it('keeps at most maxEntries, forgetting the least recently recorded', () => {
    const log = new DeliveryLog({ maxEntries: 3 });
    for (const id of ['a', 'b', 'c']) log.add(id);
    log.add('a'); // re-recorded: now the newest
    log.add('d');
    expect(['a', 'b', 'c', 'd'].filter((id) => log.has(id))).toEqual(['a', 'c', 'd']);
    expect(log.size).toBe(3);
  });

  it('stays bounded under a flood of distinct ids', () => {
    const log = new DeliveryLog({ maxEntries: 100 });
    for (let i = 0; i < 10_000; i += 1) log.add(`id-${i}`);
    expect(log.size).toBe(100);
    expect(log.has('id-9999')).toBe(true);
    expect(log.has('id-9899')).toBe(false);
  });

  it('refuses a size below one', () => {
    expect(() => new DeliveryLog({ maxEntries: 0 })).toThrow(RangeError);
  });
});
