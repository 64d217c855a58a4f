import { SEED_SCENARIO, simulate } from './regret-simulation.ts';

// Prints the regret table of docs/experiments.md: `npx tsx src/experiments/bandit/simulate-regret.ts`.
// Averages over 20 seeds (1..20) so one lucky run does not decide the comparison.
const SEEDS = Array.from({ length: 20 }, (_, i) => i + 1);
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

const runs = {
  fixed: SEEDS.map((seed) => simulate({ ...SEED_SCENARIO, seed }, 'fixed')),
  thompson: SEEDS.map((seed) => simulate({ ...SEED_SCENARIO, seed }, 'thompson')),
  oracle: SEEDS.map((seed) => simulate({ ...SEED_SCENARIO, seed }, 'oracle')),
};
const days = [7, 14, 30];
console.log(
  `| strategy | ${days.map((d) => `regret after ${d} days`).join(' | ')} | conversions | final weights |`,
);
console.log(`|---|${days.map(() => '---:').join('|')}|---:|---|`);
for (const [name, results] of Object.entries(runs)) {
  const regret = days.map((d) => mean(results.map((r) => r.regretByDay[d - 1] as number)).toFixed(1));
  const conversions = mean(results.map((r) => r.conversions)).toFixed(0);
  const weights = SEED_SCENARIO.trueRates
    .map((_, i) => mean(results.map((r) => r.finalWeights[i] as number)).toFixed(3))
    .join(' / ');
  console.log(`| ${name} | ${regret.join(' | ')} | ${conversions} | ${weights} |`);
}
