/**
 * The contract app (test/adapters/contract.ts) built the Nest way, on the Express and on
 * the Fastify platform: one controller, `SessionModule.forRoot()`, real HTTP on
 * 127.0.0.1. Shared by the Nest adapter tests.
 */
import {
  Controller,
  Get,
  Header,
  type INestApplication,
  Module,
  type NestApplicationOptions,
  Session as NestSession,
  Query,
  Redirect,
  type Type,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import {
  CurrentSession,
  Sess,
  SessionModule,
  type SessionModuleOptions,
} from '../../src/adapters/nest/index.js';
import type { Session, SessionOptions } from '../../src/index.js';
import type { ContractApp, ContractData } from './contract.js';

/** The two HTTP platforms Nest ships. */
export type Platform = 'express' | 'fastify';

export const PLATFORMS: readonly Platform[] = ['express', 'fastify'];

type AnySession = Session<ContractData>;

const state = (session: AnySession): { isNew: boolean; data: ContractData } => ({
  isNew: session.isNew,
  data: session.data,
});

const bump = (session: AnySession): void => {
  session.data.count = ((session.data.count as number | undefined) ?? 0) + 1;
};

@Controller()
class ContractController {
  @Get('read')
  read(@NestSession() session: AnySession) {
    return state(session);
  }

  @Get('inc')
  inc(@CurrentSession() session: AnySession) {
    bump(session);
    return state(session);
  }

  @Get('big')
  big(@Sess() session: AnySession, @Query('n') n: string) {
    session.data.big = 'x'.repeat(Number(n));
    return state(session);
  }

  @Get('regenerate')
  regenerate(@CurrentSession() session: AnySession) {
    session.regenerate();
    return state(session);
  }

  @Get('destroy')
  destroy(@CurrentSession() session: AnySession) {
    session.destroy();
    return state(session);
  }

  @Get('redirect')
  @Redirect('/read', 302)
  redirect(@CurrentSession() session: AnySession) {
    bump(session);
  }

  @Get('app-cookie')
  @Header('Set-Cookie', 'app=1; Path=/')
  appCookie(@CurrentSession() session: AnySession) {
    bump(session);
    return state(session);
  }

  @Get('send')
  @Header('Content-Type', 'text/plain')
  send(@CurrentSession() session: AnySession) {
    bump(session);
    return 'ok';
  }
}

/** Nest application options for tests: errors thrown (not process exits), no log lines. */
const QUIET: NestApplicationOptions = { abortOnError: false, logger: false };

/** Creates, initialises and listens: returns the app and its base URL. */
export async function startNest(
  platform: Platform,
  module: Type<unknown>,
): Promise<{ app: INestApplication; url: string }> {
  const app =
    platform === 'express'
      ? await NestFactory.create(module, new ExpressAdapter(), QUIET)
      : await NestFactory.create(module, new FastifyAdapter(), QUIET);
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, url };
}

/** The contract app on `platform`, errors collected through the module's `onError`. */
export async function startNestContractApp(
  platform: Platform,
  options: SessionOptions<ContractData>,
): Promise<ContractApp> {
  const errors: unknown[] = [];
  class ContractModule {}
  const sessions = SessionModule.forRoot({
    ...(options as unknown as SessionModuleOptions),
    onError: (error) => errors.push(error),
  });
  Module({ imports: [sessions], controllers: [ContractController] })(ContractModule);
  const { app, url } = await startNest(platform, ContractModule);
  return { url, errors, close: () => app.close() };
}
