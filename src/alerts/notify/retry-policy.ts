/**
 * When a failed delivery is tried again (pure): exponential backoff, capped, with jitter so many
 * notifications failing together do not retry in lockstep; after `maxAttempts` the row is dead.
 * Defaults: 30 s, 1 min, 2 min … capped at 1 h; 16 attempts span about nine hours.
 */
export interface RetryPolicy {
  baseDelayMs: number;
  factor: number;
  maxDelayMs: number;
  maxAttempts: number;
  /** Fraction of the delay that jitter may take off (0 = none, 0.2 = up to 20 % sooner). */
  jitter: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseDelayMs: 30_000,
  factor: 2,
  maxDelayMs: 3_600_000,
  maxAttempts: 16,
  jitter: 0.2,
};

/** Delay after failed attempt number `attempt` (1-based); `random` in [0, 1). */
export function retryDelayMs(policy: RetryPolicy, attempt: number, random: number): number {
  const raw = Math.min(policy.maxDelayMs, policy.baseDelayMs * policy.factor ** Math.max(0, attempt - 1));
  return Math.round(raw * (1 - policy.jitter * random));
}

export type RetryDecision = { kind: 'retry'; at: Date } | { kind: 'dead' };

export function nextAttempt(
  policy: RetryPolicy,
  input: { attempt: number; now: Date; permanent: boolean; random: number },
): RetryDecision {
  if (input.permanent || input.attempt >= policy.maxAttempts) return { kind: 'dead' };
  return {
    kind: 'retry',
    at: new Date(input.now.getTime() + retryDelayMs(policy, input.attempt, input.random)),
  };
}
