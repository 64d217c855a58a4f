import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { generate } from 'selfsigned';

// Test support: a real local web site (HTTP, or HTTPS with a self-signed certificate) whose
// behaviour the test switches between up and the ways a site goes down.

export type SiteMode = 'up' | 'error500' | 'close' | 'hang' | 'wrong-body';

export interface SwitchableSite {
  url: string;
  mode: SiteMode;
  /** Requests served so far. */
  hits: number;
  /** PEM of the certificate (https only): what a client trusts as its CA. */
  cert: string | null;
  close(): Promise<void>;
}

export const SITE_KEYWORD = 'Portfolio shop open';

/** A self-signed certificate for localhost valid until `notAfter`. */
export async function localhostCertificate(
  notAfter: Date,
  notBefore = new Date(notAfter.getTime() - 90 * 86_400_000),
) {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: notBefore,
    notAfterDate: notAfter,
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }] },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

export async function startSwitchableSite(
  options: { tls?: { key: string; cert: string } } = {},
): Promise<SwitchableSite> {
  const sockets = new Set<Socket>();
  const site: SwitchableSite = {
    url: '',
    mode: 'up',
    hits: 0,
    cert: options.tls?.cert ?? null,
    close: async () => {},
  };
  const handler: http.RequestListener = (req, res) => {
    site.hits++;
    switch (site.mode) {
      case 'up':
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(`<html><body>${SITE_KEYWORD}</body></html>`);
        return;
      case 'wrong-body':
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html><body>Maintenance</body></html>');
        return;
      case 'error500':
        res.writeHead(500);
        res.end('boom');
        return;
      case 'close':
        req.socket.destroy();
        return;
      case 'hang':
        return; // never answers; the client's timeout ends it
    }
  };
  const server = options.tls ? https.createServer(options.tls, handler) : http.createServer(handler);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  site.url = `${options.tls ? 'https' : 'http'}://localhost:${port}/`;
  site.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return site;
}
