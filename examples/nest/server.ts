/**
 * Tessera on NestJS: a visit counter, a sign-in as a demo user and a page only signed-in
 * users see. Run it with
 *
 *   npm run example:nest
 *
 * and open http://localhost:3000.
 *
 * Environment:
 *   PORT            port to listen on (default 3000; 0 picks a free one)
 *   HOST            address to listen on (default localhost)
 *   PLATFORM        `express` (default) or `fastify`: the HTTP platform Nest runs on
 *   SESSION_SECRET  32+ random bytes as base64url/hex; without it a random secret is made
 *                   for this run (sessions then end when the process restarts)
 *   SESSION_MODE    `memory` (default: store mode, sessions in this process's memory) or
 *                   `cookie` (data sealed in the cookie, nothing on the server)
 *
 * The sign-in is a stub: one button signs in as the user `demo`, without a password, to
 * show where the session changes hands (`setUser` issues a new session id) and how
 * `SignedInGuard` keeps guests out.
 *
 * In an application, declare the session's shape once and `session.data` is typed:
 *   declare module 'tesserajs' { interface SessionData { visits: number } }
 * This file lives inside Tessera's own TypeScript program, where such a declaration would
 * retype every test, so it reads the JSON values with `typeof` checks instead.
 */
import { randomBytes } from 'node:crypto';
import {
  Controller,
  Get,
  Header,
  Inject,
  Module,
  Session as NestSession,
  Post,
  Redirect,
  UseGuards,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import {
  CurrentSession,
  CurrentUserId,
  type Session,
  type SessionEngine,
  SessionModule,
  SignedInGuard,
  TESSERA_SESSIONS,
} from '../../src/adapters/nest/index.js';
import { MemoryStore } from '../../src/stores/memory/index.js';

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? 'localhost';
const platform = process.env.PLATFORM ?? 'express';
if (platform !== 'express' && platform !== 'fastify')
  throw new Error('PLATFORM must be express or fastify');
const mode = process.env.SESSION_MODE ?? 'memory';
if (mode !== 'memory' && mode !== 'cookie')
  throw new Error('SESSION_MODE must be memory or cookie');
let secret = process.env.SESSION_SECRET;
if (secret === undefined) {
  secret = randomBytes(32).toString('base64url');
  console.warn('SESSION_SECRET is not set: using a random secret for this run only.');
}

const page = (title: string, body: string): string => `<!doctype html>
<title>${title}</title>
${body}
<p>Platform: <b>${platform}</b>, mode: <b>${mode}</b>.</p>`;

@Controller()
class AppController {
  readonly #sessions: SessionEngine;

  constructor(@Inject(TESSERA_SESSIONS) sessions: SessionEngine) {
    this.#sessions = sessions;
  }

  // Nest's own @Session() gives the Tessera session too.
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  home(@NestSession() session: Session): string {
    const visits = (typeof session.data.visits === 'number' ? session.data.visits : 0) + 1;
    session.data.visits = visits;
    return page(
      'Tessera on NestJS',
      `<h1>Visit number ${visits}</h1>
${
  session.userId === null
    ? `<p>Signed in as <b data-user>nobody</b>.</p>
<form method="post" action="/sign-in"><button>Sign in as the demo user</button></form>`
    : `<p>Signed in as <b data-user>${session.userId}</b>. <a href="/account">Your account</a></p>
<form method="post" action="/sign-out"><button>Sign out</button></form>`
}`,
    );
  }

  @Post('sign-in')
  @Redirect('/account', 303)
  signIn(@CurrentSession() session: Session): void {
    // A new session id for the signed-in session: an id planted before sign-in is dead.
    session.setUser('demo');
  }

  @Post('sign-out')
  @Redirect('/', 303)
  signOut(@CurrentSession() session: Session): void {
    session.destroy();
  }

  @Get('account')
  @UseGuards(SignedInGuard)
  @Header('Content-Type', 'text/html; charset=utf-8')
  async account(@CurrentUserId() userId: string): Promise<string> {
    const sessions = mode === 'memory' ? await this.#sessions.listSessions(userId) : [];
    return page(
      'Your account',
      `<h1>Account of <b data-user>${userId}</b></h1>
<p>Only signed-in users see this page; guests get 401.</p>
${mode === 'memory' ? `<p>Open sessions: <b data-sessions>${sessions.length}</b></p>` : ''}
<p><a href="/">Back</a></p>`,
    );
  }
}

@Module({
  imports: [
    SessionModule.forRoot({
      secrets: [secret],
      ...(mode === 'memory' ? { store: new MemoryStore() } : {}),
    }),
  ],
  controllers: [AppController],
})
class AppModule {}

const app =
  platform === 'express'
    ? await NestFactory.create(AppModule, new ExpressAdapter(), { logger: ['error', 'warn'] })
    : await NestFactory.create(AppModule, new FastifyAdapter(), { logger: ['error', 'warn'] });
// SessionModule checks the store during init(): a configuration problem fails here, once.
await app.listen(port, host);
console.log(`Tessera on NestJS (${platform}, ${mode} mode) on ${await app.getUrl()}`);
