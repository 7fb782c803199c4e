/**
 * Type-level test for `tesserajs/fetch` (compiled by `tsc -p test/types`): handlers get a
 * typed session and must answer a `Response`; `commit` gives back the response to send.
 */
import { fetchSessions } from '../../src/adapters/fetch/index.js';

const secrets = ['0123456789abcdef0123456789abcdef0123456789a'];

// The registered SessionData of this program ({ views: number }, augmentation.ts).
const sessions = fetchSessions({ secrets });
export const handler: (request: Request) => Promise<Response> = sessions.handle(
  (_request, session) => {
    session.data.views = (session.data.views ?? 0) + 1;
    // @ts-expect-error views is a number
    session.data.views = 'many';
    return new Response(String(session.data.views));
  },
);

// @ts-expect-error a handler must answer a Response, not a string
sessions.handle(() => 'text');

// A local data type.
const carts = fetchSessions<{ items: string[] }>({ secrets, trustProxy: true });
export async function post(request: Request): Promise<Response> {
  const session = await carts.load(request, { onStoreError: 'guest' });
  session.data.items = ['tea'];
  // @ts-expect-error items are strings
  session.data.items = [1];
  const sent: Promise<Response> = carts.commit(session, Response.redirect('https://x.test/', 302));
  return sent;
}

// @ts-expect-error onStoreError takes 'throw' or 'guest'
carts.handle(() => new Response(), { onStoreError: 'ignore' });
