/**
 * Type-level test of `tesserajs/express-session`: it plugs into Express where
 * express-session did, takes express-session's options (and refuses what it refuses at
 * run time), and its `Store` is what store packages extend.
 */
import express from 'express';
import session, {
  Cookie,
  MemoryStore,
  type SessionOptions,
  type Store,
} from '../../src/adapters/express-session/index.js';

const app = express();
app.use(session({ secret: 'x'.repeat(32), resave: false, saveUninitialized: false }));
app.use(
  session({
    secret: ['new'.repeat(11), 'old'.repeat(11)],
    cookie: { secure: 'auto', sameSite: 'auto' },
  }),
);
app.use(
  session({
    secret: 's'.repeat(32),
    cookie: (req) => ({ path: req.url?.startsWith('/a') ? '/a' : '/' }),
  }),
);

// @ts-expect-error a secret is required
session({ resave: false });
// @ts-expect-error unset is 'keep' or 'destroy'
session({ secret: 's'.repeat(32), unset: 'forget' });
// @ts-expect-error priority is low, medium or high
session({ secret: 's'.repeat(32), cookie: { priority: 'urgent' } });

const store: Store = new MemoryStore();
const options: SessionOptions = { secret: 's'.repeat(32), store };
export const fromDefault: typeof Store = session.Store;
export const cookie: number | null | undefined = new Cookie({ maxAge: 1000 }).maxAge;
export { options };
