/** Baseline: Fastify 5 routing `GET /` with no session plugin. */
import Fastify from 'fastify';
import { serve } from '../lib/serve.js';

const app = Fastify();
app.get('/', (_request, reply) => {
  reply.send('0');
});
await app.ready();
serve(app.server);
