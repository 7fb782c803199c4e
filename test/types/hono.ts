/**
 * Type-level test for `tesserajs/hono` (compiled by `tsc -p test/types`): `c.get('session')`
 * is typed in every handler through Hono's `ContextVariableMap` (with the `SessionData`
 * this program declares in augmentation.ts), and `SessionEnv<T>` gives an app a local
 * data type that takes precedence.
 */
import { Hono } from 'hono';
import {
  honoSessions,
  type SessionEnv,
  type SessionVariables,
} from '../../src/adapters/hono/index.js';
import type { Session } from '../../src/index.js';

const secrets = ['0123456789abcdef0123456789abcdef0123456789a'];

// No generics anywhere: ContextVariableMap + the registered SessionData ({ views: number }).
const app = new Hono();
app.use(honoSessions({ secrets }));
app.get('/', (c) => {
  const session: Session = c.get('session');
  const views: number | undefined = session.data.views;
  session.data.views = (views ?? 0) + 1;
  // @ts-expect-error views is a number
  c.get('session').data.views = 'many';
  // @ts-expect-error unknown keys are refused once SessionData is declared
  c.get('session').data.nope = 1;
  return c.text(String(c.var.session.data.views));
});

// A local data type through the app's Env.
interface Cart {
  items: string[];
}
const shop = new Hono<SessionEnv<Cart>>();
const sessions = honoSessions<Cart>({ secrets });
shop.use(sessions);
shop.post('/logout', sessions.with({ onStoreError: 'guest' }), (c) => {
  c.get('session').destroy();
  return c.body(null, 204);
});
shop.get('/cart', (c) => {
  const items: string[] | undefined = c.get('session').data.items;
  c.var.session.data.items = [...(items ?? []), 'tea'];
  // @ts-expect-error items are strings
  c.var.session.data.items = [1];
  // @ts-expect-error c.get() reads the app's Env first: the app-wide SessionData is not used
  c.get('session').data.views = 1;
  return c.json(c.var.session.data);
});

// The Variables type composes with an app's own variables.
type AppEnv = { Variables: SessionVariables<Cart> & { requestId: string } };
new Hono<AppEnv>().get('/', (c) =>
  c.text(`${c.get('requestId')} ${c.get('session').data.items?.length}`),
);

// @ts-expect-error the options are required (secrets at least)
honoSessions();
