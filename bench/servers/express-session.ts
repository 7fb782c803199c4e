/**
 * Peer: express-session 1.x with its bundled MemoryStore on Express 5, configured the
 * way its README recommends (no resave, no uninitialized sessions).
 */
import { serveExpressSession } from './express-session-app.js';

serveExpressSession();
