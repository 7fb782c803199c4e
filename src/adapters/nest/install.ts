/**
 * Installing the session layer on the platform Nest runs on: the `tesserajs/express`
 * middleware for every route on Express, the `tesserajs/fastify` hooks on the Fastify
 * instance. Both serve the module's one engine, so `TESSERA_SESSIONS` and the requests'
 * sessions are the same engine's.
 */
import type { MiddlewareConsumer } from '@nestjs/common';
import type { AbstractHttpAdapter } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { InvalidOptionsError } from '../../errors.js';
import type { SessionEngine } from '../../session/engine.js';
import type { DefaultSessionData } from '../../session/session.js';
import { expressSessionsOn } from '../express/middleware.js';
import { installSessions } from '../fastify/plugin.js';
import type { Report, SessionModuleConfig } from './options.js';

export function installOnPlatform(
  adapter: AbstractHttpAdapter,
  consumer: MiddlewareConsumer,
  engine: SessionEngine<DefaultSessionData>,
  config: SessionModuleConfig,
  report: Report,
): void {
  const type = adapter.getType();
  if (type === 'express') {
    const middleware = expressSessionsOn(engine, {
      trustProxy: config.trustProxy,
      // With an engine of the application's own, read the device facts: the engine
      // records them only when it was made with `trackDevices`.
      trackDevices: 'engine' in config ? true : config.trackDevices,
      onError: report,
    });
    // Every path and method, 404s included: the session is there for every guard.
    consumer.apply(middleware).forRoutes('{*path}');
    return;
  }
  if (type === 'fastify') {
    const fastify = adapter.getInstance<FastifyInstance>();
    installSessions(fastify, engine, (error, request) => report(error, request.raw));
    return;
  }
  throw new InvalidOptionsError(
    `tesserajs/nest supports the Express and Fastify platforms, not "${type}"`,
  );
}
