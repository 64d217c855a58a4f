import { describe, expect, it } from 'vitest';
import type { Notification } from '../notification.ts';
import { notificationDedupKey } from './dedup-key.ts';
import { sampleNotification } from './test-peers.ts';

const alert = sampleNotification().alerts[0] as Notification['alerts'][0];
const base = sampleNotification({
  alerts: [
    { ...alert, fingerprint: 'aaa' },
    { ...alert, fingerprint: 'bbb' },
  ],
});

describe('notificationDedupKey', () => {
  it('is the same for the same group, state, reason, alerts and evaluation time', () => {
    const key = notificationDedupKey(base);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(notificationDedupKey({ ...base, alerts: [...base.alerts].reverse() })).toBe(key);
    // The same instant written another way.
    expect(notificationDedupKey({ ...base, createdAt: '2025-03-01T11:05:00+01:00' })).toBe(key);
    // Annotations are content, not identity.
    expect(notificationDedupKey({ ...base, commonAnnotations: { summary: 'reworded' } })).toBe(key);
  });

  it.each<[string, Partial<Notification>]>([
    ['receiver', { receiver: 'other' }],
    ['group', { groupKey: 'other-group' }],
    ['status', { status: 'resolved' }],
    ['reason', { reason: 'repeat' }],
    ['evaluation time', { createdAt: '2025-03-01T10:06:00.000Z' }],
    ['alerts', { alerts: [{ ...alert, fingerprint: 'aaa' }] }],
  ])('changes with the %s', (_, change) => {
    expect(notificationDedupKey({ ...base, ...change })).not.toBe(notificationDedupKey(base));
  });
});
