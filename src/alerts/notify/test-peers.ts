import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { Notification } from '../notification.ts';

/** Real local peers for the notifier's tests: an HTTP receiver and an SMTP server. */

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface HttpPeer {
  url: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

/** Answers each request with the status `respond` picks from the 1-based request number. */
export async function startHttpPeer(respond: (n: number) => number = () => 200): Promise<HttpPeer> {
  const requests: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      });
      const status = respond(requests.length);
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status < 300 ? 'ok' : 'receiver is down');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface ReceivedMail {
  from: string | undefined;
  to: string[];
  raw: string;
}

export interface SmtpPeer {
  port: number;
  messages: ReceivedMail[];
  close(): Promise<void>;
}

export async function startSmtpPeer(): Promise<SmtpPeer> {
  const messages: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    hideSTARTTLS: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { port, messages, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A firing notification as the alert engine would emit it. */
export function sampleNotification(overrides: Partial<Notification> = {}): Notification {
  return {
    receiver: 'ops-webhook',
    status: 'firing',
    alerts: [
      {
        status: 'firing',
        labels: { alertname: 'MrrBelowTarget', domain: 'fixie.run', severity: 'high' },
        annotations: { summary: 'MRR of fixie.run is 12% below target', description: 'MRR 880 < 1000 <b>' },
        startsAt: '2025-03-01T10:00:00.000Z',
        endsAt: '0001-01-01T00:00:00Z',
        fingerprint: 'a1b2c3d4e5f60718',
        generatorURL: 'https://portfolio.example.com/alerts/mrr-below-target',
      },
    ],
    groupLabels: { alertname: 'MrrBelowTarget' },
    commonLabels: { alertname: 'MrrBelowTarget', domain: 'fixie.run', severity: 'high' },
    commonAnnotations: { summary: 'MRR of fixie.run is 12% below target' },
    groupKey: 'route:default/{alertname="MrrBelowTarget"}',
    reason: 'initial',
    createdAt: '2025-03-01T10:05:00.000Z',
    ...overrides,
  };
}
