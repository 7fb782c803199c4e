/** Baseline: Express 5 routing `GET /` with no session middleware. */
import { createServer } from 'node:http';
import express from 'express';
import { serve } from '../lib/serve.js';

const app = express();
app.get('/', (_req, res) => {
  res.end('0');
});
serve(createServer(app));
