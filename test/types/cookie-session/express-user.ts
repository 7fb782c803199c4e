/**
 * Type-level test, compiled on its own (`tsc -p test/types/cookie-session`, part of
 * `npm run typecheck`; kept apart because `tesserajs/cookie-session` merges `req.session`
 * into Express's global request type). Code written against `cookie-session` with
 * `@types/cookie-session` keeps compiling when only the import changes.
 */
import { createServer } from 'node:http';
import express, { type Request, type Response } from 'express';
import cookieSession, {
  type CookieSessionObject,
  type CookieSessionOptions,
} from '../../../src/adapters/cookie-session/index.js';

const app = express();
app.set('trust proxy', 1);
app.use(
  cookieSession({
    name: 'session',
    keys: ['key1', 'key2'],
    maxAge: 24 * 60 * 60 * 1000,
    sameSite: 'lax',
    secure: false,
    httpOnly: true,
    signed: true,
    overwrite: true,
    partitioned: false,
    priority: 'high',
    path: '/',
    domain: 'example.com',
  }),
);
app.use(cookieSession({ secret: 'one secret', expires: new Date(2040, 0, 1), sameSite: true }));
app.use(cookieSession({ signed: false, writeFormat: 'cookie-session' }));

app.get('/', (req: Request, res: Response) => {
  // The README's view counter, as written for the original.
  if (req.session) req.session.views = (req.session.views || 0) + 1;
  const views: number = req.session?.views;
  const isNew: boolean | undefined = req.session?.isNew;
  const changed: boolean | undefined = req.session?.isChanged;
  const populated: boolean | undefined = req.session?.isPopulated;
  req.sessionOptions.maxAge = 30 * 24 * 3600 * 1000;
  req.session!.nowInMinutes = Math.floor(Date.now() / 60e3);
  res.end(`${views} ${isNew} ${changed} ${populated}`);
});

app.post('/logout', (req: Request, res: Response) => {
  req.session = null;
  res.end();
});

app.post('/replace', (req: Request, res: Response) => {
  req.session = { user: 'ada' };
  const session: CookieSessionObject | null | undefined = req.session;
  res.end(String(session?.user));
});

// Without Express: a connect-style middleware for node:http.
const middleware = cookieSession({ keys: ['k'] });
createServer((req, res) => middleware(req, res, () => res.end()));

export const options: CookieSessionOptions = { keys: ['k'], writeFormat: 'sealed' };

// @ts-expect-error sameSite takes cookie-session's values only
cookieSession({ keys: ['k'], sameSite: 'sideways' });
// @ts-expect-error writeFormat is 'sealed' or 'cookie-session'
cookieSession({ keys: ['k'], writeFormat: 'json' });
// @ts-expect-error maxAge is a number of milliseconds
cookieSession({ keys: ['k'], maxAge: '1d' });
app.get('/bad', (req: Request) => {
  // @ts-expect-error req.session can only be set as null or an object
  req.session = 5;
});
