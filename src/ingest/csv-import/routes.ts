import { errorCodes } from 'fastify';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../server/authenticate-request.ts';
import { errorResponses } from '../../server/error-handler.ts';
import { AppError } from '../../shared/app-error.ts';
import type { MoneyRouteDeps } from '../revenue/money-route-deps.ts';
import { importCommissions } from './import-commissions.ts';
import { importCosts } from './import-costs.ts';
import { ImportKind, ImportQuery, ImportReport } from './import-report.ts';
import { MAX_CSV_BYTES } from './read-csv.ts';

const errors = errorResponses(400, 401, 403, 404, 413, 415);
const CSV_TYPES = ['text/csv', 'application/csv'];

export function importRoutes(deps: MoneyRouteDeps): FastifyPluginAsyncZod {
  return async (app) => {
    // The body is the file itself; only this plugin's scope reads CSV bodies.
    for (const type of CSV_TYPES) if (app.hasContentTypeParser(type)) app.removeContentTypeParser(type);
    app.addContentTypeParser(
      CSV_TYPES,
      { parseAs: 'buffer', bodyLimit: MAX_CSV_BYTES },
      (_request, body, done) => {
        done(null, body);
      },
    );

    app.withTypeProvider<ZodTypeProvider>().post(
      '/api/v1/import/:kind',
      {
        bodyLimit: MAX_CSV_BYTES,
        // Before any parser runs: a JSON body here is a client mistake, not malformed JSON.
        onRequest: async (request) => {
          const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
          if (!CSV_TYPES.includes(type)) throw new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(type || 'none');
        },
        schema: {
          tags: ['import'],
          summary: 'Import affiliate commissions or costs from a CSV file (body: text/csv, at most 20 MB)',
          description:
            'commissions: date, network, external_id, amount, currency, status [, domain, program, note]. ' +
            'costs: date, category, amount, currency [, domain, description, external_id]. Header names are ' +
            'case-insensitive. Rejected rows are reported with their line (the header is line 1). With ' +
            'allOrNothing=true any rejection imports nothing and answers 400 with the report in error.details.',
          consumes: CSV_TYPES,
          params: z.object({ kind: ImportKind }),
          querystring: ImportQuery,
          response: { 200: ImportReport, ...errors },
        },
      },
      async (request) => {
        const input = {
          csv: request.body as Buffer,
          domain: request.query.domain,
          allOrNothing: request.query.allOrNothing ?? false,
        };
        const ctx = { db: deps.db, actor: actorOf(request), now: new Date() };
        const report =
          request.params.kind === 'commissions'
            ? await importCommissions({ ctx, input })
            : await importCosts({ ctx, input });
        if (!report.committed) {
          throw new AppError(
            'invalid_request',
            `${report.rejectedCount} row(s) rejected; nothing was imported (allOrNothing)`,
            'body',
            report,
          );
        }
        return report;
      },
    );
  };
}
