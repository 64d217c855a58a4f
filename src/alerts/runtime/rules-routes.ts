import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../server/error-handler.ts';
import { AlertRule } from '../alert-rule-schema.ts';
import type { AlertsCtx } from './alert-scope.ts';
import { createRule } from './create-rule.ts';
import { deleteRule } from './delete-rule.ts';
import { listRules } from './list-rules.ts';
import { replaceRule } from './replace-rule.ts';
import { RuleNameParams, RuleOut, RulesOut, ValidateRuleOut } from './rule-api-schemas.ts';
import { validateRule } from './validate-rule.ts';

const tags = ['alerts'];
const readErrors = errorResponses(400, 401, 403);
const writeErrors = errorResponses(400, 401, 403, 404, 409);

/** /api/v1/alerts/rules: list, create, replace, delete and dry-run alert rules (docs/alerts.md, "Rules API"). */
export function ruleRoutes(ctx: (request: FastifyRequest) => AlertsCtx): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/alerts/rules',
      {
        schema: {
          tags,
          summary: "Alert rules: the portfolio file's, its KPI alerts' and the API's, with their source",
          response: { 200: RulesOut, ...readErrors },
        },
      },
      async (request) => listRules({ ctx: ctx(request) }),
    );
    app.post(
      '/api/v1/alerts/rules',
      {
        schema: {
          tags,
          summary: 'Create an alert rule (the name must not be taken by the portfolio file or the API)',
          body: AlertRule,
          response: { 201: RuleOut, ...writeErrors },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await createRule({ ctx: ctx(request), input: request.body })),
    );
    app.post(
      '/api/v1/alerts/rules/validate',
      {
        schema: {
          tags,
          summary: 'Dry run of creating a rule: its problems with their fields; stores nothing',
          body: z.unknown(),
          response: { 200: ValidateRuleOut, ...readErrors },
        },
      },
      async (request) => validateRule({ ctx: ctx(request), input: request.body }),
    );
    app.put(
      '/api/v1/alerts/rules/:name',
      {
        schema: {
          tags,
          summary: "Replace an API rule whole (the portfolio file's rules: edit the file)",
          params: RuleNameParams,
          body: AlertRule,
          response: { 200: RuleOut, ...writeErrors },
        },
      },
      async (request) =>
        replaceRule({ ctx: ctx(request), input: { name: request.params.name, rule: request.body } }),
    );
    app.delete(
      '/api/v1/alerts/rules/:name',
      {
        schema: {
          tags,
          summary: 'Delete an API rule; its alerts resolve',
          params: RuleNameParams,
          response: { 200: z.object({ name: z.string(), deleted: z.literal(true) }), ...writeErrors },
        },
      },
      async (request) => deleteRule({ ctx: ctx(request), input: { name: request.params.name } }),
    );
  };
}
