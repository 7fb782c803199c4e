/** Baseline: Hono 4 on @hono/node-server routing `GET /` with no session middleware. */
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import { serve } from '../lib/serve.js';

const app = new Hono();
app.get('/', (c) => c.text('0'));
serve(createAdaptorServer({ fetch: app.fetch }) as Server);
