import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeIntegration } from '../../test-support/integration.ts';
import { type MoneyTestServer, startMoneyTestServer } from '../revenue/money-test-server.ts';

const EXAMPLES = new URL('../../../examples/', import.meta.url);
const SHOP = 'puffs-store.com';
const LEADS = 'aiftw.be';

describeIntegration('CSV import API', () => {
  let s: MoneyTestServer;
  let commissionsCsv: string;
  let costsCsv: string;
  beforeAll(async () => {
    s = await startMoneyTestServer();
    commissionsCsv = await readFile(new URL('commissions.csv', EXAMPLES), 'utf8');
    costsCsv = await readFile(new URL('costs.csv', EXAMPLES), 'utf8');
  });
  afterAll(async () => {
    await s?.close();
  });

  const upload = (
    kind: string,
    csv: string,
    options: { token?: string; query?: string; contentType?: string } = {},
  ) =>
    s.request('POST', `/api/v1/import/${kind}${options.query ? `?${options.query}` : ''}`, {
      token: options.token ?? s.ownerToken,
      raw: csv,
      contentType: options.contentType ?? 'text/csv',
    });
  const commission = async (externalId: string) =>
    (
      await s.db.query<Record<string, unknown>>(
        `SELECT d.host, r.kind, r.source, r.amount, r.currency, r.amount_eur, r.status, r.occurred_at, r.metadata
           FROM revenue r JOIN domains d ON d.id = r.domain_id WHERE r.external_id = $1`,
        [externalId],
      )
    ).rows;
  const cost = async (externalId: string) =>
    (
      await s.db.query<Record<string, unknown>>(
        `SELECT d.host, c.category, c.amount, c.currency, c.amount_eur, c.incurred_on, c.description
           FROM costs c LEFT JOIN domains d ON d.id = c.domain_id WHERE c.external_id = $1`,
        [externalId],
      )
    ).rows;
  const count = async (table: 'revenue' | 'costs') =>
    Number((await s.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]?.n);

  describe('commissions', () => {
    it('imports the example file as affiliate revenue, source = network, normalised to EUR', async () => {
      const res = await upload('commissions', commissionsCsv);
      expect(res.status).toBe(200);
      expect(res.json).toEqual({
        kind: 'commissions',
        rows: 6,
        inserted: 6,
        updated: 0,
        unchanged: 0,
        rejected: [],
        rejectedCount: 0,
        committed: true,
        ignoredColumns: [],
      });
      expect(await commission('cj-1947720031')).toEqual([
        {
          host: SHOP,
          kind: 'affiliate',
          source: 'cj',
          amount: '15.00',
          currency: 'USD',
          amount_eur: '12.90',
          status: 'pending',
          occurred_at: new Date('2026-10-19T00:00:00Z'),
          metadata: { importedFrom: 'csv', program: 'Geek Bar US' },
        },
      ]);
      expect((await commission('imp-55120987'))[0]).toMatchObject({
        status: 'reversed',
        amount_eur: '10.94',
      });
    });

    it('changes nothing when the same file is imported again', async () => {
      const before = await count('revenue');
      const res = await upload('commissions', commissionsCsv);
      expect(res.json).toMatchObject({ inserted: 0, updated: 0, unchanged: 6, rejectedCount: 0 });
      expect(await count('revenue')).toBe(before);
    });

    it('moves statuses forward on a later export, and rejects going back or a changed amount', async () => {
      const csv = [
        'Date,Domain,Network,External ID,Amount,Currency,Status',
        `2026-10-05,${SHOP},Awin,awin-8813102,7.95,EUR,paid`, // approved → paid
        `2026-10-19,${SHOP},CJ,cj-1947720031,15.00,USD,approved`, // pending → approved
        `2026-10-02,${SHOP},Awin,awin-8812734,12.40,EUR,pending`, // paid → pending: no
        `2026-11-03,${SHOP},Awin,awin-8830441,21.00,EUR,approved`, // amount changed: no
        `2026-10-24,${SHOP},Impact,imp-55120987,9.60,GBP,reversed`,
      ].join('\n');
      const res = await upload('commissions', csv);
      expect(res.json).toMatchObject({ inserted: 0, updated: 2, unchanged: 1, rejectedCount: 2 });
      expect(res.json.rejected).toEqual([
        { line: 4, field: 'status', message: expect.stringMatching(/is paid; it cannot become pending/) },
        { line: 5, field: 'amount', message: expect.stringMatching(/recorded as affiliate 21.75 EUR/) },
      ]);
      expect((await commission('awin-8813102'))[0]?.status).toBe('paid');
      expect((await commission('cj-1947720031'))[0]?.status).toBe('approved');
      expect((await commission('awin-8812734'))[0]?.status).toBe('paid');
    });

    it('imports the good rows and reports each bad one with its line and column', async () => {
      const csv = [
        'date,network,external_id,amount,currency,status,domain,colour',
        '2026-10-06,awin,ok-1,1.00,EUR,pending,,blue',
        '06/10/2026,awin,bad-date,1.00,EUR,pending,,',
        '2026-10-06,awin,bad-currency,1.00,XYZ,pending,,',
        '2026-10-06,awin,bad-domain,1.00,EUR,pending,unknown.example,',
        '2026-10-06,awin,short-row',
        '2026-10-06,awin,ok-2,2.00,EUR,approved,,',
      ].join('\r\n');
      const res = await upload('commissions', csv, { query: `domain=${SHOP}` });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ rows: 6, inserted: 2, rejectedCount: 4, ignoredColumns: ['colour'] });
      expect(res.json.rejected.map((r: { line: number; field: string }) => [r.line, r.field])).toEqual([
        [3, 'date'],
        [4, 'currency'],
        [5, 'domain'],
        [6, 'row'],
      ]);
      expect((await commission('ok-2'))[0]).toMatchObject({ host: SHOP, status: 'approved' });
    });

    it('with allOrNothing imports nothing when one row is rejected, and answers 400 with the report', async () => {
      const before = await count('revenue');
      const csv = `date,network,external_id,amount,currency,status\n2026-10-07,awin,aon-1,1,EUR,pending\n2026-10-07,awin,aon-2,-1,EUR,pending\n`;
      const res = await upload('commissions', csv, { query: `domain=${SHOP}&allOrNothing=true` });
      expect(res.status).toBe(400);
      expect(res.json.error.message).toMatch(/1 row\(s\) rejected; nothing was imported/);
      expect(res.json.error.details).toMatchObject({
        committed: false,
        inserted: 0,
        rejected: [{ line: 3, field: 'amount' }],
      });
      expect(await count('revenue')).toBe(before);
      const clean = await upload('commissions', csv.split('\n').slice(0, 2).join('\n'), {
        query: `domain=${SHOP}&allOrNothing=true`,
      });
      expect(clean.json).toMatchObject({ committed: true, inserted: 1 });
    });

    it('refuses a file missing a required column, naming it', async () => {
      const res = await upload('commissions', 'date,network,amount,currency\n2026-10-01,awin,1,EUR\n');
      expect(res.status).toBe(400);
      expect(res.json.error.message).toMatch(/missing required columns external_id, status/);
    });
  });

  describe('costs', () => {
    it('imports the example costs, portfolio-wide ones included, normalised to EUR', async () => {
      const res = await upload('costs', costsCsv);
      expect(res.json).toMatchObject({ rows: 6, inserted: 6, rejectedCount: 0 });
      expect(await cost('hetzner-2026-10')).toEqual([
        {
          host: null,
          category: 'infrastructure',
          amount: '48.00',
          currency: 'USD',
          amount_eur: '41.28',
          incurred_on: '2026-10-01',
          description: 'Hetzner dedicated server (shared by every domain)',
        },
      ]);
      const derived = await s.db.query<{ external_id: string; amount_eur: string }>(
        "SELECT external_id, amount_eur FROM costs WHERE external_id LIKE 'row:%'",
      );
      expect(derived.rows).toEqual([
        { external_id: expect.stringMatching(/^row:[0-9a-f]{32}:0$/), amount_eur: '91.20' },
      ]);
    });

    it('stores the channel a marketing cost paid for, and a changed channel is an update', async () => {
      const csv =
        'date,category,amount,currency,domain,external_id,channel\n2026-10-12,marketing,120,EUR,,ads-1,Paid Search\n';
      expect((await upload('costs', csv)).json).toMatchObject({ inserted: 1 });
      const moved = csv.replace('Paid Search', 'Paid Social');
      expect((await upload('costs', moved)).json).toMatchObject({ inserted: 0, updated: 1 });
      const stored = await s.db.query<{ channel: string }>(
        "SELECT channel FROM costs WHERE external_id = 'ads-1'",
      );
      expect(stored.rows).toEqual([{ channel: 'Paid Social' }]);
    });

    it('leaves costs unchanged on re-import and updates a corrected one', async () => {
      expect((await upload('costs', costsCsv)).json).toMatchObject({ inserted: 0, unchanged: 6 });
      const corrected = costsCsv.replace('19.00,EUR,Shopify Basic plan', '29.00,EUR,Shopify Basic plan');
      expect((await upload('costs', corrected)).json).toMatchObject({
        inserted: 0,
        updated: 1,
        unchanged: 5,
      });
      expect((await cost('shopify-2026-10'))[0]).toMatchObject({ amount: '29.00', amount_eur: '29.00' });
    });
  });

  describe('access', () => {
    it('lets a secret key import for its own domain only, and never portfolio-wide costs', async () => {
      const key = await s.createKey(LEADS, 'secret');
      const commissions = `date,network,external_id,amount,currency,status,domain\n2026-10-08,impact,sk-1,4,EUR,pending,\n2026-10-08,impact,sk-2,4,EUR,pending,${SHOP}\n`;
      const res = await upload('commissions', commissions, { token: key });
      expect(res.json).toMatchObject({ inserted: 1, rejectedCount: 1 });
      expect(res.json.rejected[0]).toMatchObject({ line: 3, field: 'domain' });
      expect((await commission('sk-1'))[0]?.host).toBe(LEADS);
      const costs = `date,category,amount,currency,domain,external_id\n2026-10-08,ai,5,EUR,,own\n2026-10-08,ai,5,EUR,,hetzner-2026-10\n`;
      const costRes = await upload('costs', costs, { token: key });
      // Empty domain means the key's domain; the second row's id belongs to a cost it cannot see.
      expect(costRes.json).toMatchObject({ inserted: 1, rejectedCount: 1 });
      expect(costRes.json.rejected[0]).toMatchObject({ line: 3, field: 'external_id' });
      expect((await cost('hetzner-2026-10'))[0]?.host).toBeNull();
      expect((await upload('costs', costs, { token: key, query: `domain=${SHOP}` })).status).toBe(403);
    });

    it('refuses portfolio-wide costs from an operator limited to some domains', async () => {
      const limited = await s.createOperator('shop-admin@example.com', 'admin', [SHOP]);
      const res = await upload('costs', 'date,category,amount,currency\n2026-10-09,tools,5,EUR\n', {
        token: limited,
      });
      expect(res.json.rejected).toEqual([
        { line: 2, field: 'domain', message: expect.stringMatching(/needs access to all domains/) },
      ]);
    });

    it('refuses public keys, analysts, unknown domains and other content types', async () => {
      const pub = await s.createKey(SHOP, 'public');
      const analyst = await s.createOperator('analyst@example.com', 'analyst');
      expect((await upload('costs', costsCsv, { token: pub })).status).toBe(403);
      expect((await upload('costs', costsCsv, { token: analyst })).status).toBe(403);
      const unknown = await upload('costs', costsCsv, { query: 'domain=unknown.example' });
      expect(unknown.status).toBe(404);
      expect(unknown.json.error.field).toBe('domain');
      const json = await upload('costs', costsCsv, { contentType: 'application/json' });
      expect(json.status).toBe(415);
      expect(json.json.error.field).toBe('headers.content-type');
      expect((await upload('invoices', costsCsv)).status).toBe(400);
    });

    it('accepts files above the default 1 MB body limit', async () => {
      const rows = Array.from(
        { length: 25_000 },
        (_, i) => `2026-10-10,other,0.01,EUR,bulk row ${i},bulk-${i}`,
      );
      const csv = `date,category,amount,currency,description,external_id\n${rows.join('\n')}\n`;
      expect(csv.length).toBeGreaterThan(1_048_576);
      const res = await upload('costs', csv);
      expect(res.json).toMatchObject({ rows: 25_000, inserted: 25_000 });
      expect((await upload('costs', csv)).json).toMatchObject({ unchanged: 25_000 });
    });
  });
});
