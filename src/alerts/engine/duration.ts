// Prometheus-style durations (`30s`, `5m`, `1h30m`, `2d`, `1w`): units largest first, each once.
// Pure parsing shared by the rule schema (validation) and the engine (arithmetic in milliseconds).

const DURATION_RE = /^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNIT_MS = [604_800_000, 86_400_000, 3_600_000, 60_000, 1_000, 1] as const;
const UNIT_NAMES = ['w', 'd', 'h', 'm', 's', 'ms'] as const;

export const DURATION_HELP = 'must be a duration like "30s", "5m", "1h30m" or "2d" (units w, d, h, m, s, ms)';

/** Milliseconds of a duration string, or undefined when it is not one. `0` and `0s` are zero. */
export function parseDurationMs(text: string): number | undefined {
  if (text === '0') return 0;
  const m = DURATION_RE.exec(text);
  if (!m || text === '') return undefined;
  let total = 0;
  UNIT_MS.forEach((unitMs, i) => {
    const part = m[i + 1];
    if (part !== undefined) total += Number(part) * unitMs;
  });
  return Number.isSafeInteger(total) ? total : undefined;
}

/** Like parseDurationMs for a string the schema already validated. */
export function durationMs(text: string): number {
  const ms = parseDurationMs(text);
  if (ms === undefined) throw new Error(`not a duration: ${JSON.stringify(text)}`);
  return ms;
}

/** The shortest duration string for a number of milliseconds, e.g. 5_400_000 → `1h30m`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  UNIT_MS.forEach((unitMs, i) => {
    const n = Math.floor(rest / unitMs);
    if (n > 0) {
      out += `${n}${UNIT_NAMES[i]}`;
      rest -= n * unitMs;
    }
  });
  return out;
}
