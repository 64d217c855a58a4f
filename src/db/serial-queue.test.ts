import { describe, expect, it } from 'vitest';
import { SerialQueue } from './serial-queue.ts';

describe('SerialQueue', () => {
  it('never runs two jobs at once, and keeps order within a lane', async () => {
    const q = new SerialQueue();
    let active = 0;
    let maxActive = 0;
    const order: number[] = [];
    const job = (n: number) => async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      await new Promise((r) => setTimeout(r, 2));
      order.push(n);
      active--;
      return n;
    };
    const results = await Promise.all([1, 2, 3, 4].map((n) => q.run(job(n))));
    expect(results).toEqual([1, 2, 3, 4]);
    expect(order).toEqual([1, 2, 3, 4]);
    expect(maxActive).toBe(1);
  });

  it('runs waiting high-priority jobs before waiting normal ones, after the running job', async () => {
    const q = new SerialQueue();
    const order: string[] = [];
    const job = (name: string) => async () => {
      order.push(name);
      await new Promise((r) => setTimeout(r, 2));
    };
    const all = [q.run(job('slow read 1')), q.run(job('slow read 2')), q.run(job('write'), 'high')];
    await Promise.all(all);
    expect(order).toEqual(['slow read 1', 'write', 'slow read 2']);
  });

  it('passes errors to the caller and keeps going', async () => {
    const q = new SerialQueue();
    const failed = q.run(async () => {
      throw new Error('boom');
    });
    const next = q.run(async () => 'next');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('next');
  });
});
