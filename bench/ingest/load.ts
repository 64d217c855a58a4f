// A small HTTP load generator on node:http with a keep-alive Agent (no autocannon: no new packages).
// Closed loop: N connections each send their next request when the previous answer arrives — the
// peak throughput. Open loop: requests leave at a fixed rate whatever the server does, and latency
// counts from the *scheduled* send time, so a stalled server cannot hide its stall (no coordinated
// omission): requests waiting for a free socket are late, and that lateness is in the figure.
import { Agent, type ClientRequest, request } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface Target {
  /** Base URL of the server, e.g. http://127.0.0.1:34567 */
  url: string;
  path: string;
  headers: Record<string, string>;
  /** A fresh body per request (unique event ids). */
  body: () => string;
  eventsPerRequest: number;
}

export interface LoadResult {
  seconds: number;
  /** 2xx answers completed inside the measured window. */
  requests: number;
  eventsPerSec: number;
  p50: number;
  p99: number;
  max: number;
  /** Every answer that was not 2xx, and every transport error, warm-up included: key → count. */
  failures: Record<string, number>;
  /** Open loop only: requests still unanswered when the run gave up waiting (their wait so far
   *  is in the percentiles, as a lower bound). */
  unanswered?: number;
  /** Open loop only: the rate that was asked for. */
  targetRate?: number;
}

const REQUEST_TIMEOUT_MS = 30_000;
/** Open loop: how long to wait for answers once everything is sent (a backlog can be endless). */
const STRAGGLER_WAIT_MS = 10_000;

/** Sends one request; resolves to the status code or `ERR <code>`. `open` tracks unanswered requests. */
function send(agent: Agent, target: Target, open?: Set<ClientRequest>): Promise<string> {
  const body = target.body();
  return new Promise((resolve) => {
    const req = request(
      `${target.url}${target.path}`,
      {
        method: 'POST',
        agent,
        headers: { ...target.headers, 'content-length': String(Buffer.byteLength(body)) },
      },
      (res) => {
        res.resume(); // drain: the answer's body is not needed, only its end
        res.on('end', () => resolve(String(res.statusCode)));
        res.on('error', (err) => resolve(`ERR ${(err as NodeJS.ErrnoException).code ?? err.message}`));
      },
    );
    open?.add(req);
    req.on('close', () => open?.delete(req));
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error('timeout')));
    req.on('error', (err) => resolve(`ERR ${(err as NodeJS.ErrnoException).code ?? err.message}`));
    req.end(body);
  });
}

const ok = (status: string) => status.startsWith('2');

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

function summarise(
  latencies: number[],
  seconds: number,
  eventsPerRequest: number,
  failures: Record<string, number>,
): LoadResult {
  const sorted = Float64Array.from(latencies).sort();
  return {
    seconds,
    requests: latencies.length,
    eventsPerSec: (latencies.length * eventsPerRequest) / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.length ? (sorted[sorted.length - 1] as number) : Number.NaN,
    failures: { ...failures },
  };
}

/** Peak throughput: `concurrency` keep-alive connections, each always busy. */
export async function closedLoop(
  target: Target,
  opts: { concurrency: number; warmupMs: number; durationMs: number },
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  const start = performance.now();
  const from = start + opts.warmupMs;
  const until = from + opts.durationMs;
  const worker = async () => {
    while (performance.now() < until) {
      const t0 = performance.now();
      const status = await send(agent, target);
      const t1 = performance.now();
      if (!ok(status)) failures[status] = (failures[status] ?? 0) + 1;
      // Answers completed inside the window: in steady state, exactly the throughput.
      else if (t1 >= from && t1 <= until) latencies.push(t1 - t0);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  agent.destroy();
  return summarise(latencies, opts.durationMs / 1000, target.eventsPerRequest, failures);
}

/** Fixed arrival rate; latency from each request's scheduled send time. */
export async function openLoop(
  target: Target,
  opts: { ratePerSec: number; warmupMs: number; durationMs: number; maxSockets: number },
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: opts.maxSockets });
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  const interval = 1000 / opts.ratePerSec;
  const total = Math.floor(((opts.warmupMs + opts.durationMs) / 1000) * opts.ratePerSec);
  const start = performance.now();
  const from = start + opts.warmupMs;
  let sent = 0;
  let answered = 0;
  let okInWindow = 0;
  let over = false; // set at the deadline: answers arriving later are not counted
  const inFlight = new Map<Promise<void>, number>(); // → scheduled send time
  const open = new Set<ClientRequest>();

  const fire = (scheduled: number) => {
    const p = send(agent, target, open).then((status) => {
      inFlight.delete(p);
      if (over) return;
      answered++;
      if (!ok(status)) failures[status] = (failures[status] ?? 0) + 1;
      else if (scheduled >= from) {
        latencies.push(performance.now() - scheduled);
        okInWindow++;
      }
    });
    inFlight.set(p, scheduled);
  };

  await new Promise<void>((resolve) => {
    // A 1 ms timer sends everything that is due: no busy loop stealing a core from the server.
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + sent * interval <= now) fire(start + sent++ * interval);
      if (sent < total) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  // Wait for the stragglers, but not forever: what is still open then counts as unanswered.
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, STRAGGLER_WAIT_MS);
  });
  await Promise.race([Promise.all(inFlight.keys()), deadline]);
  clearTimeout(timer);
  over = true;
  // An unanswered request has waited at least this long: leaving it out would flatter the p99.
  const now = performance.now();
  for (const scheduled of inFlight.values()) if (scheduled >= from) latencies.push(now - scheduled);
  for (const req of open) req.destroy();
  agent.destroy();
  const result = summarise(latencies, opts.durationMs / 1000, target.eventsPerRequest, failures);
  result.requests = okInWindow;
  result.eventsPerSec = (okInWindow * target.eventsPerRequest) / (opts.durationMs / 1000);
  result.unanswered = total - answered;
  result.targetRate = opts.ratePerSec;
  return result;
}
