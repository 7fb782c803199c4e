/** Baseline: node:http answering `GET /` with no session handling at all. */
import { createServer } from 'node:http';
import { serve } from '../lib/serve.js';

serve(
  createServer((_req, res) => {
    res.end('0');
  }),
);
