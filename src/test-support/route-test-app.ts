import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '../db/types.ts';
import { installAuthentication } from '../server/authenticate-request.ts';
import { installErrorHandling } from '../server/error-handler.ts';

/**
 * The API as buildServer assembles it (zod validation and serialisation, one error shape, bearer
 * authentication over `db`) with only the route plugins under test, ready for `app.inject`.
 */
export async function routeTestApp(db: Db, ...plugins: FastifyPluginAsync[]): Promise<FastifyInstance> {
  const app = Fastify().withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);
  installAuthentication(app, db);
  for (const plugin of plugins) await app.register(plugin);
  await app.ready();
  return app;
}
