// The HTTP ceiling: bare Fastify on the same routes, reading the whole body and answering 202
// without parsing or storing it. Nothing the real server does per request can be cheaper.
import Fastify from 'fastify';
import { announce, serveParent } from './child-ipc.ts';

const app = Fastify({ logger: false, bodyLimit: 4 * 1024 * 1024 });
// Take the bytes as they come: the ceiling measures transport, not JSON parsing.
app.addContentTypeParser(['text/plain', 'application/json'], { parseAs: 'buffer' }, (_req, body, done) =>
  done(null, body),
);
for (const path of ['/api/event', '/api/v1/events'])
  app.post(path, async (_request, reply) => reply.code(202).type('text/plain').send('ok'));

await app.listen({ port: 0, host: '127.0.0.1' });
serveParent({ close: () => app.close() });
const address = app.server.address();
announce(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
