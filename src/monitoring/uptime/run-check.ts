import http from 'node:http';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { describeExpected, statusAccepted, type UptimeCheck } from './check-schema.ts';

// One uptime check over node's http(s) client: a fresh connection per attempt (no keep-alive), so
// every attempt pays and measures DNS, connect and TLS like a first visitor does.

/** Bytes of body read for the keyword; the rest is not downloaded. */
export const BODY_LIMIT_BYTES = 1_048_576;

export type FailureCause = 'status' | 'keyword' | 'timeout' | 'connection' | 'tls' | 'other';

export interface CheckTimings {
  /** Each phase in ms from the start of the attempt's request; null when it did not happen. */
  dnsMs: number | null;
  connectMs: number | null;
  tlsMs: number | null;
  ttfbMs: number | null;
}

export interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  /** Whole attempt: until the body (up to the limit) was read, or until it failed. */
  responseMs: number;
  timings: CheckTimings;
  cause: FailureCause | null;
  error: string | null;
  /** notAfter of the server's certificate (https only), also when it failed verification. */
  tlsValidTo: Date | null;
}

export interface CheckResult extends AttemptResult {
  attempts: number;
}

export interface TlsOptions {
  /** Extra trusted CA certificates (PEM): a test or private CA. */
  ca?: string | string[];
  /** false: accept any certificate (still recorded). Production verifies; only tests turn this off. */
  verify?: boolean;
}

const ms = (start: number) => Math.round(performance.now() - start);

/** Performs one attempt; never throws (every failure is a result). */
export function attemptCheck(
  check: Pick<UptimeCheck, 'url' | 'method' | 'timeoutMs' | 'expectedStatus' | 'keyword'>,
  tls: TlsOptions = {},
): Promise<AttemptResult> {
  const start = performance.now();
  const timings: CheckTimings = { dnsMs: null, connectMs: null, tlsMs: null, ttfbMs: null };
  const url = new URL(check.url);
  const isHttps = url.protocol === 'https:';
  let tlsValidTo: Date | null = null;

  return new Promise((resolve) => {
    let settled = false;
    const finish = (r: Omit<AttemptResult, 'responseMs' | 'timings' | 'tlsValidTo'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve({ ...r, responseMs: ms(start), timings, tlsValidTo });
    };
    const fail = (cause: FailureCause, error: string, statusCode: number | null = null) =>
      finish({ ok: false, statusCode, cause, error: error.slice(0, 1000) });

    const options: https.RequestOptions = {
      method: check.method,
      agent: false,
      headers: { 'user-agent': 'PortfolioOS-Uptime/1', accept: '*/*', connection: 'close' },
    };
    if (isHttps) {
      // Verification is done below on the connected socket, so an invalid certificate's expiry
      // date is still recorded; the attempt fails all the same.
      options.rejectUnauthorized = false;
      if (tls.ca) options.ca = tls.ca;
      options.servername = url.hostname;
    }
    const req = (isHttps ? https : http).request(url, options);

    const timer = setTimeout(
      () => fail('timeout', `no complete answer within ${check.timeoutMs} ms`),
      check.timeoutMs,
    );

    req.on('socket', (socket) => {
      socket.once('lookup', () => {
        timings.dnsMs = ms(start);
      });
      socket.once('connect', () => {
        timings.connectMs = ms(start);
      });
      socket.once('secureConnect', () => {
        timings.tlsMs = ms(start);
        const secure = socket as TLSSocket;
        const cert = secure.getPeerCertificate();
        if (cert?.valid_to) tlsValidTo = new Date(cert.valid_to);
        if (tls.verify !== false && !secure.authorized)
          fail(
            'tls',
            `TLS certificate not trusted: ${String(secure.authorizationError ?? 'unknown reason')}`,
          );
      });
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      const cause: FailureCause = /CERT|SSL|TLS/i.test(err.code ?? err.message) ? 'tls' : 'connection';
      fail(cause, err.code ? `${err.code}: ${err.message}` : err.message);
    });
    req.on('response', (res) => {
      timings.ttfbMs = ms(start);
      const status = res.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => {
        if (!statusAccepted(status, check.expectedStatus))
          return fail(
            'status',
            `status ${status}, expected ${describeExpected(check.expectedStatus)}`,
            status,
          );
        if (check.keyword !== null && !Buffer.concat(chunks).toString('utf8').includes(check.keyword))
          return fail(
            'keyword',
            `keyword ${JSON.stringify(check.keyword)} not found in the first ${BODY_LIMIT_BYTES} bytes`,
            status,
          );
        finish({ ok: true, statusCode: status, cause: null, error: null });
      };
      if (check.keyword === null) {
        res.resume();
      } else {
        res.on('data', (chunk: Buffer) => {
          if (size >= BODY_LIMIT_BYTES) return;
          chunks.push(chunk.subarray(0, BODY_LIMIT_BYTES - size));
          size += chunk.length;
          if (size >= BODY_LIMIT_BYTES) done();
        });
      }
      res.on('end', done);
      res.on('error', (err) => fail('connection', `body: ${err.message}`, status));
      res.on('aborted', () => fail('connection', 'connection closed during the body', status));
    });
    req.end();
  });
}

/** A run: the first attempt, then up to `retries` immediate retries while it fails. */
export async function runCheck(
  check: Pick<UptimeCheck, 'url' | 'method' | 'timeoutMs' | 'expectedStatus' | 'keyword' | 'retries'>,
  tls: TlsOptions = {},
): Promise<CheckResult> {
  let attempts = 0;
  for (;;) {
    attempts++;
    const result = await attemptCheck(check, tls);
    if (result.ok || attempts > check.retries) return { ...result, attempts };
  }
}
