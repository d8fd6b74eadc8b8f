import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { JobSlots } from './job-slots.js';

describe('JobSlots', () => {
  it('lets at most `limit` holders in at once, and every waiter in eventually', async () => {
    const slots = new JobSlots(2);
    let inside = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      [0, 1, 2, 3, 4].map(async (n) => {
        const release = await slots.acquire();
        inside += 1;
        most = Math.max(most, inside);
        order.push(n);
        await sleep(10);
        inside -= 1;
        release();
      }),
    );
    expect(most).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it('ignores a second release of the same slot', async () => {
    const slots = new JobSlots(1);
    const release = await slots.acquire();
    release();
    release();
    const first = await slots.acquire();
    let secondIn = false;
    void slots.acquire().then(() => (secondIn = true));
    await sleep(5);
    expect(secondIn).toBe(false);
    first();
    await sleep(0);
    expect(secondIn).toBe(true);
  });
});
