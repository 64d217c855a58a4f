import { ratio } from './engagement-formulas.ts';

// The domain-overlap matrix: how many identified users of one domain were also active on another.

/** Users active on both `a` and `b` in the range (a = b: the domain's own active users). */
export interface OverlapCount {
  a: string;
  b: string;
  users: number;
}

/** Users active on exactly this set of domains. */
export interface DomainSet {
  domains: string[];
  users: number;
}

/** Pair counts from users counted by domain set: a set adds its users to each (a, b) it holds, a = b included. */
export function overlapCountsFromSets(sets: readonly DomainSet[]): OverlapCount[] {
  const byPair = new Map<string, OverlapCount>();
  for (const set of sets) {
    for (const a of set.domains) {
      for (const b of set.domains) {
        const key = `${a}/${b}`;
        const pair = byPair.get(key);
        if (pair) pair.users += set.users;
        else byPair.set(key, { a, b, users: set.users });
      }
    }
  }
  return [...byPair.values()];
}

export interface OverlapMatrix {
  /** users[i]: identified users active on domain i (the diagonal) */
  users: number[];
  /** matrix[i][j]: users active on both domain i and domain j; symmetric */
  matrix: number[][];
  /** share[i][j] = matrix[i][j] ÷ users[i]: the share of domain i's users also active on j */
  share: (number | null)[][];
}

/** Lays the pair counts out in the order of `domainIds`; pairs nobody shares are 0. */
export function buildOverlapMatrix(
  domainIds: readonly string[],
  counts: readonly OverlapCount[],
): OverlapMatrix {
  const byPair = new Map(counts.map((c) => [`${c.a}/${c.b}`, c.users]));
  const matrix = domainIds.map((a) => domainIds.map((b) => byPair.get(`${a}/${b}`) ?? 0));
  const users = matrix.map((row, i) => row[i] ?? 0);
  const share = matrix.map((row, i) => row.map((n) => ratio(n, users[i] ?? 0)));
  return { users, matrix, share };
}
