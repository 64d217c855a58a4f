import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { DeliveryError } from './delivery.ts';
import type { CheckedUrl } from './url-guard.ts';

export const DEFAULT_HTTP_TIMEOUT_MS = 10_000;
const MAX_ERROR_BODY = 300;

export interface HttpResult {
  status: number;
}

/**
 * POSTs a body to a checked URL, connecting only to the addresses the guard approved (the
 * `lookup` below answers from them instead of asking DNS again). Redirects are not followed:
 * a 3xx is a failure, so a receiver cannot bounce a delivery to another host.
 */
export function postToCheckedUrl(
  target: CheckedUrl,
  body: string,
  headers: Record<string, string>,
  timeoutMs = DEFAULT_HTTP_TIMEOUT_MS,
): Promise<HttpResult> {
  const pinned: LookupFunction = (_hostname, options, callback) => {
    const list = target.addresses;
    if (options.all) callback(null, list);
    else callback(null, (list[0] as (typeof list)[0]).address, (list[0] as (typeof list)[0]).family);
  };
  const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  const where = `${target.hostname}:${target.port}`;
  return new Promise<HttpResult>((resolve, reject) => {
    const req = send(target.url, {
      method: 'POST',
      lookup: pinned,
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      timeout: timeoutMs,
    });
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    req.on('timeout', () => req.destroy(new Error(`connection idle for ${timeoutMs} ms`)));
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(new DeliveryError(`POST to ${where} failed: ${err.message}`, { permanent: false }));
    });
    req.on('response', (res: IncomingMessage) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (text.length < MAX_ERROR_BODY) text += chunk;
      });
      res.on('error', (err) => {
        clearTimeout(timer);
        reject(
          new DeliveryError(`reading the answer of ${where} failed: ${err.message}`, { permanent: false }),
        );
      });
      res.on('end', () => {
        clearTimeout(timer);
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) return resolve({ status });
        const excerpt = text.slice(0, MAX_ERROR_BODY).replace(/\s+/g, ' ').trim();
        reject(
          new DeliveryError(`${where} answered HTTP ${status}${excerpt ? `: ${excerpt}` : ''}`, {
            // Even a 4xx is retried: a wrong secret or a receiver mid-deploy gets fixed, and the
            // attempts are bounded by the retry policy.
            permanent: false,
            status,
          }),
        );
      });
    });
    req.end(body);
  });
}
