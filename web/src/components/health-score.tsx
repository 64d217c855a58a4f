import type { AlertsHealth } from '../api/types.ts';
import { useApi } from '../api/use-api.ts';
import { Badge, type BadgeTone } from './badge.tsx';
import { Link } from './layout.tsx';

const STATUS_TONE: Record<AlertsHealth['overall']['status'], BadgeTone> = {
  excellent: 'good',
  good: 'info',
  warning: 'warn',
  critical: 'bad',
};

const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;

/**
 * The portfolio health score (100 − 30/15/5/1 per firing critical/high/medium/low alert). Nothing
 * at all while it loads or when the server has no alerting: a made-up 100 would read as "all fine".
 */
export function HealthScoreCard() {
  const state = useApi<AlertsHealth>('/api/v1/alerts/health');
  const health = state.data?.overall;
  if (!health) return null;
  const firing = SEVERITIES.filter((s) => health.counts[s] > 0)
    .map((s) => `${health.counts[s]} ${s}`)
    .join(', ');
  return (
    <div className={`health health-${health.status}`} data-testid="health-score">
      <div className="health-score">
        <span className="health-number" data-testid="health-score-value">
          {health.score}
        </span>
        <span className="muted">/ 100</span>
      </div>
      <div className="health-text">
        <div>
          <strong>Portfolio health</strong>{' '}
          <Badge tone={STATUS_TONE[health.status]} testId="health-status">
            {health.status}
          </Badge>
        </div>
        <span className="hint">
          {firing ? `Firing: ${firing}. ` : 'No alert firing. '}
          <Link to="/alerts" keepFilters={false}>
            See alerts
          </Link>
        </span>
      </div>
    </div>
  );
}
