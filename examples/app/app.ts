/**
 * The reference app's routes on Express: the pages (home, sign up, sign in, account,
 * members, sign out) and the JSON API beside them, over one session middleware, CSRF
 * protection on every state-changing request and the authentication flows.
 */
import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import {
  csrfProtection,
  type ExpressSessions,
  expressSessions,
  requireUser,
} from '../../src/adapters/express/index.js';
import {
  type Auth,
  type AuthRequest,
  type AuthUser,
  createAuth,
  createCsrf,
  safeReturnTo,
} from '../../src/auth/index.js';
import type { Session } from '../../src/index.js';
import type { Backends } from './backends.js';
import type { AppConfig } from './config.js';
import { describeError, type UserFacingError } from './messages.js';
import {
  accountPage,
  errorPage,
  homePage,
  membersPage,
  type PageContext,
  signInPage,
  signUpPage,
} from './pages.js';
import {
  accountFacts,
  apiMe,
  authOptions,
  echoed,
  failureAnswer,
  fieldOf,
  NOT_FOUND_MESSAGE,
  pageContext,
  publicUser,
  SECURITY_HEADERS,
  STYLESHEET,
  sessionOptions,
} from './site.js';

/** The Express application and what shutdown needs. */
export interface ReferenceApp {
  readonly app: express.Express;
  readonly sessions: ExpressSessions<object>;
  readonly auth: Auth;
}

/** Builds the app on the given storage. */
export function createApp(config: AppConfig, backends: Backends): ReferenceApp {
  const sessions = expressSessions<object>(sessionOptions(config, backends));
  const auth = createAuth({ ...authOptions(sessions.engine, backends), sessions: sessions.engine });
  const csrf = createCsrf({ engine: sessions.engine });
  const storage = backends.description.brief;
  const site = { auth, csrf, storage };

  const app = express();
  app.disable('x-powered-by');
  app.use((_req, res, next) => {
    for (const [name, value] of SECURITY_HEADERS) res.setHeader(name, value);
    next();
  });
  // Before the session middleware: the stylesheet needs no session.
  app.get('/style.css', (_req, res) => {
    res.type('css').setHeader('cache-control', 'public, max-age=3600').send(STYLESHEET);
  });
  app.use(
    sessions,
    express.urlencoded({ extended: false, limit: '8kb' }),
    express.json({ limit: '8kb' }),
    csrfProtection({ csrf }),
  );

  const requestOf = (req: Request): AuthRequest => ({
    address: req.ip ?? null,
    userAgent: req.get('user-agent') ?? null,
  });
  const field = (req: Request, name: string): unknown => fieldOf(req.body, name);
  const contextOf = (req: Request, forms = false): Promise<PageContext> =>
    pageContext(site, req.session, forms);
  function send(res: Response, status: number, page: string, error?: UserFacingError | null) {
    if (error?.retryAfterSeconds != null)
      res.setHeader('retry-after', String(error.retryAfterSeconds));
    res.status(status).setHeader('cache-control', 'no-store');
    res.type('html').send(page);
  }
  /** Sends signed-in users on (a form for strangers only). */
  function signedInRedirect(req: Request, res: Response): boolean {
    if (req.session.userId === null) return false;
    res.redirect(303, safeReturnTo(req.query.returnTo, '/account'));
    return true;
  }

  app.get('/', async (req, res) => {
    send(res, 200, homePage(await contextOf(req)));
  });

  app.get('/sign-up', async (req, res) => {
    if (signedInRedirect(req, res)) return;
    send(res, 200, signUpPage(await contextOf(req, true), { email: '', error: null }));
  });
  app.post('/sign-up', async (req, res) => {
    try {
      await auth.signUp(
        req.session,
        { email: field(req, 'email'), password: field(req, 'password') },
        requestOf(req),
      );
      res.redirect(303, '/account');
    } catch (failure) {
      const error = describeError(failure);
      if (error === null) throw failure;
      const page = signUpPage(await contextOf(req, true), {
        email: echoed(field(req, 'email')),
        error,
      });
      send(res, error.status, page, error);
    }
  });

  app.get('/sign-in', async (req, res) => {
    if (signedInRedirect(req, res)) return;
    const returnTo = safeReturnTo(req.query.returnTo, '/account');
    send(res, 200, signInPage(await contextOf(req, true), { email: '', returnTo, error: null }));
  });
  app.post('/sign-in', async (req, res) => {
    // Checked again here: the form's field came from the request too (S-43).
    const returnTo = safeReturnTo(field(req, 'returnTo'), '/account');
    try {
      await auth.signIn(
        req.session,
        { email: field(req, 'email'), password: field(req, 'password') },
        requestOf(req),
      );
      res.redirect(303, returnTo);
    } catch (failure) {
      const error = describeError(failure);
      if (error === null) throw failure;
      const page = signInPage(await contextOf(req, true), {
        email: echoed(field(req, 'email')),
        returnTo,
        error,
      });
      send(res, error.status, page, error);
    }
  });

  app.post('/sign-out', (req, res) => {
    auth.signOut(req.session);
    res.redirect(303, '/');
  });

  async function renderAccount(
    req: Request,
    res: Response,
    status: number,
    passwordError: UserFacingError | null,
  ): Promise<void> {
    const context = await contextOf(req);
    const user = context.user as AuthUser;
    const session = req.session as Session<object>;
    const facts = await accountFacts(auth, session, req.query.notice, passwordError);
    send(res, status, accountPage({ ...context, user }, facts), passwordError);
  }

  const signedIn = requireUser(auth, { signInPath: '/sign-in' });

  app.get('/account', signedIn, async (req, res) => {
    await renderAccount(req, res, 200, null);
  });
  app.post('/account/sessions/revoke', signedIn, async (req, res) => {
    const handle = field(req, 'handle');
    if (typeof handle === 'string') await auth.revokeSession(req.session, handle);
    res.redirect(303, '/account?notice=revoked');
  });
  app.post('/account/sign-out-others', signedIn, async (req, res) => {
    await auth.signOutOthers(req.session);
    res.redirect(303, '/account?notice=others');
  });
  app.post('/account/password', signedIn, async (req, res) => {
    try {
      await auth.changePassword(
        req.session,
        { currentPassword: field(req, 'currentPassword'), newPassword: field(req, 'newPassword') },
        requestOf(req),
      );
      res.redirect(303, '/account?notice=password');
    } catch (failure) {
      const error = describeError(failure, 'currentPassword');
      if (error === null) throw failure;
      await renderAccount(req, res, error.status, error);
    }
  });

  app.get('/members', signedIn, async (req, res) => {
    const context = await contextOf(req);
    send(res, 200, membersPage({ ...context, user: context.user as AuthUser }));
  });

  // The JSON API: the same flows and rules (JSON bodies pass the origin check; forms
  // would need the token), answers { user } or { error, message }.
  const api = express.Router();
  api.get('/me', async (req, res) => {
    const body = await apiMe(auth, req.session);
    res.setHeader('cache-control', 'no-store');
    res.json(body);
  });
  api.post('/sign-up', async (req, res) => {
    const user = await auth.signUp(
      req.session,
      { email: field(req, 'email'), password: field(req, 'password') },
      requestOf(req),
    );
    res.status(201).json({ user: publicUser(user) });
  });
  api.post('/sign-in', async (req, res) => {
    const user = await auth.signIn(
      req.session,
      { email: field(req, 'email'), password: field(req, 'password') },
      requestOf(req),
    );
    res.json({ user: publicUser(user) });
  });
  api.post('/sign-out', (req, res) => {
    auth.signOut(req.session);
    res.status(204).end();
  });
  app.use('/api', api);

  app.use(async (req, res) => {
    const message = NOT_FOUND_MESSAGE;
    if (req.path.startsWith('/api/')) res.status(404).json({ error: 'NOT_FOUND', message });
    else send(res, 404, errorPage(await contextOf(req), 404, message));
  });

  const onError: ErrorRequestHandler = (failure, req, res, next) => {
    if (res.headersSent) {
      next(failure);
      return;
    }
    const json = req.path.startsWith('/api/') || !req.accepts('html');
    const answer = failureAnswer(failure, json, storage);
    for (const [name, value] of answer.headers) res.setHeader(name, value);
    res.status(answer.status).type(answer.type).send(answer.body);
  };
  app.use(onError);

  return { app, sessions, auth };
}
