/** Peer: iron-session 8 (sealed cookie) on plain node:http. */
import { createServer } from 'node:http';
import { getIronSession } from 'iron-session';
import { benchMode, benchSecret, nextCount, serve } from '../lib/serve.js';

interface Data {
  count?: number;
}

const mode = benchMode();
const options = {
  password: benchSecret(),
  cookieName: 'session',
  cookieOptions: { secure: false, sameSite: 'lax' as const },
};
serve(
  createServer(async (req, res) => {
    const session = await getIronSession<Data>(req, res, options);
    const count = nextCount(req.url, mode, session.count);
    if (count !== session.count) {
      session.count = count;
      await session.save();
    }
    res.end(String(count));
  }),
);
