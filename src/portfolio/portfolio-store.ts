import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Actor } from '../auth/actor.ts';
import { formatProblem, parsePortfolio } from '../config/load-portfolio.ts';
import type { Portfolio } from '../config/portfolio-schema.ts';
import type { Db } from '../db/types.ts';
import { AppError } from '../shared/app-error.ts';
import { type SyncSummary, syncPortfolio } from './sync-portfolio.ts';

export interface ActivePortfolio {
  portfolio: Portfolio;
  file: string;
  sha256: string;
  loadedAt: Date;
}

export interface LoadOutcome {
  active: ActivePortfolio;
  changed: boolean;
  summary: SyncSummary | null;
}

/**
 * Holds the active portfolio. A load either fully succeeds (file valid and the database synced
 * in one transaction) or changes nothing: the previous portfolio stays active and the error is kept.
 */
export class PortfolioStore {
  private active: ActivePortfolio | null = null;
  private lastError: { at: Date; message: string; problems: string[] } | null = null;
  private loading: Promise<LoadOutcome> | null = null;

  constructor(
    private readonly db: Db,
    private readonly file: string,
  ) {}

  current(): ActivePortfolio | null {
    return this.active;
  }

  status() {
    return { active: this.active, lastError: this.lastError };
  }

  /** Serialised: a SIGHUP arriving during an API reload waits for it instead of racing it. */
  load(actor: Actor, now: Date = new Date()): Promise<LoadOutcome> {
    const run = (this.loading ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => this.loadNow(actor, now));
    this.loading = run;
    return run;
  }

  private async loadNow(actor: Actor, now: Date): Promise<LoadOutcome> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      throw this.fail(now, `cannot read portfolio file ${this.file}: ${(err as Error).message}`, []);
    }
    const parsed = parsePortfolio(text, this.file);
    if (!parsed.ok) {
      const problems = parsed.problems.map(formatProblem);
      throw this.fail(
        now,
        `portfolio file ${this.file} has ${problems.length} problem(s); the previous portfolio stays active`,
        problems,
      );
    }
    const sha256 = createHash('sha256').update(text).digest('hex');
    if (this.active && this.active.sha256 === sha256) {
      this.lastError = null;
      return { active: this.active, changed: false, summary: null };
    }
    let summary: SyncSummary;
    try {
      summary = await this.db.transaction((tx) =>
        syncPortfolio(tx, actor, { portfolio: parsed.portfolio, source: this.file, sha256 }),
      );
    } catch (err) {
      throw this.fail(now, `could not apply portfolio file ${this.file}: ${(err as Error).message}`, []);
    }
    this.active = { portfolio: parsed.portfolio, file: this.file, sha256, loadedAt: now };
    this.lastError = null;
    return { active: this.active, changed: true, summary };
  }

  private fail(now: Date, message: string, problems: string[]): AppError {
    this.lastError = { at: now, message, problems };
    return new AppError('invalid_portfolio', message, 'portfolio', { problems });
  }
}
