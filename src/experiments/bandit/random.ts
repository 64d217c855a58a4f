// Draws for the bandit and its simulation, from the project's one seeded generator.
import { standardNormal as normal, type Random } from '../../shared/seeded-random.ts';

export { normal };

/** Gamma(shape, 1) by Marsaglia–Tsang; shapes below 1 through the boost Gamma(a+1)·U^(1/a). */
export function gamma(shape: number, random: Random): number {
  if (shape < 1) return gamma(shape + 1, random) * (1 - random()) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - random();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

export function beta(a: number, b: number, random: Random): number {
  const x = gamma(a, random);
  return x / (x + gamma(b, random));
}
