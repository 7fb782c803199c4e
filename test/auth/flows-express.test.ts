/**
 * The auth flows and route protection over real HTTP on Express 5 (see flows-contract.ts):
 * handlers pass the flows' errors to `next(err)`, `errorStatus()` gives them their status,
 * Express's own error handler answers.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import express from 'express';
import { errorStatus, expressSessions } from '../../src/adapters/express/index.js';
import { InvalidCredentialsError, TooManyAttemptsError } from '../../src/errors.js';
import { newSecret, send, startServer } from '../support/http.js';
import { runEnumerationContract } from './enumeration-contract.js';
import { startExpressAuthApp } from './express-app.js';
import { runFlowsContract, runProtectionContract } from './flows-contract.js';

describe('tesserajs/express with tesserajs/auth over HTTP', { timeout: 300_000 }, () => {
  runFlowsContract('express 5', startExpressAuthApp);
  runProtectionContract('express 5', startExpressAuthApp);
  runEnumerationContract('express 5', startExpressAuthApp);
});

describe('errorStatus() with Express’s own error handler', { timeout: 60_000 }, () => {
  it('a thrown InvalidCredentialsError answers 401, TooManyAttemptsError 429 + Retry-After, others 500', async (t) => {
    const app = express();
    app.set('env', 'production');
    app.use(expressSessions({ secrets: [newSecret()] }));
    app.get('/credentials', (_req, _res, next) => next(new InvalidCredentialsError()));
    app.get('/throttled', (_req, _res, next) => next(new TooManyAttemptsError('account', 7)));
    app.get('/other', (_req, _res, next) => next(new Error('application bug')));
    app.use(errorStatus());
    // Express logs the errors it answers outside 'test'; the log is not under test.
    const logged = t.mock.method(console, 'error', () => {});
    const server = await startServer(app);
    t.after(() => server.close());
    const credentials = await send(`${server.url}/credentials`);
    assert.equal(credentials.status, 401);
    assert.equal(credentials.headers['cache-control'], 'no-store');
    assert.equal(credentials.body.includes('invalid email'), false, 'no message in the body');
    const throttled = await send(`${server.url}/throttled`);
    assert.equal(throttled.status, 429);
    assert.equal(throttled.headers['retry-after'], '7');
    assert.equal((await send(`${server.url}/other`)).status, 500);
    assert.equal(logged.mock.callCount() > 0, true);
  });
});
