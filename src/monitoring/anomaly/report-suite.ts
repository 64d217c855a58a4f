import { type AnomalyMethod, detectAnomalies } from './detect.ts';
import { evaluateSuite, type SuiteFigures } from './suite-evaluation.ts';
import { generateSuite, SUITE, type SuiteFamily } from './synthetic-suite.ts';

// Prints the figures table of docs/anomaly.md: every method on every family of the synthetic suite at
// the default sensitivity (or the one given). Run: npx tsx src/monitoring/anomaly/report-suite.ts [s]

export function suiteTable(sensitivity: number): string {
  const pct = (x: number) => (Number.isNaN(x) ? '–' : `${(100 * x).toFixed(1)} %`);
  const lines = [
    '| family | method | precision | recall | F1 | recall spike | recall drop | recall level shift | false alarms / 1,000 clean points (flagged points) |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const family of ['flat', 'seasonal', 'multivariate'] as SuiteFamily[]) {
    const suite = generateSuite(family, SUITE);
    for (const method of ['robust-z', 'seasonal', 'isolation-forest'] as AnomalyMethod[]) {
      const f: SuiteFigures = evaluateSuite(
        suite,
        (s) => detectAnomalies(s.series, { method, sensitivity }).flags,
      );
      lines.push(
        `| ${family} | ${method} | ${pct(f.precision)} | ${pct(f.recall)} | ${f.f1.toFixed(3)} | ${pct(f.recallByKind.spike)} | ${pct(f.recallByKind.drop)} | ${pct(f.recallByKind['level-shift'])} | ${f.falseAlarmsPer1000.toFixed(2)} (${f.falseAlarmPointsPer1000.toFixed(2)}) |`,
      );
    }
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sensitivity = Number(process.argv[2] ?? '0.95');
  console.log(
    `Synthetic suite, seed ${SUITE.seed}, ${SUITE.seriesPerFamily} injected + ${SUITE.seriesPerFamily} clean series per family, sensitivity ${sensitivity}\n`,
  );
  console.log(suiteTable(sensitivity));
}
