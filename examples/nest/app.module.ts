/**
 * The root module, built from the reference app's configuration and storage
 * (examples/app/config.ts and backends.ts): `SessionModule` over an engine made here
 * (the sign-in throttle is keyed by its kernel), `provideAuth` for `TESSERA_AUTH` and
 * `UserGuard`, the CSRF guard for every route, the page filter for addresses with no
 * route, and the security headers on every response.
 */
import {
  type DynamicModule,
  type MiddlewareConsumer,
  Module,
  type NestModule,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { provideAuth, SessionEngine, SessionModule } from '../../src/adapters/nest/index.js';
import { createCsrf } from '../../src/auth/index.js';
import type { Backends } from '../app/backends.js';
import type { AppConfig } from '../app/config.js';
import { authOptions, SECURITY_HEADERS, sessionOptions } from '../app/site.js';
import { AccountController } from './account.controller.js';
import { ApiController } from './api.controller.js';
import { CsrfProtectionGuard } from './csrf.guard.js';
import { PageFailureFilter } from './failure.filter.js';
import { PagesController } from './pages.controller.js';
import { SITE_OPTIONS, Site, type SiteOptions } from './site.service.js';

/** Node's response, as Nest's middleware gets it on both platforms. */
interface HeaderTarget {
  setHeader(name: string, value: string): unknown;
}

function securityHeaders(_req: unknown, res: HeaderTarget, next: () => void): void {
  for (const [name, value] of SECURITY_HEADERS) res.setHeader(name, value);
  next();
}

@Module({})
export class AppModule implements NestModule {
  static forRoot(config: AppConfig, backends: Backends): DynamicModule {
    const engine = new SessionEngine(sessionOptions(config, backends));
    const site: SiteOptions = {
      csrf: createCsrf({ engine }),
      storage: backends.description.brief,
    };
    return {
      module: AppModule,
      imports: [SessionModule.forRoot({ engine })],
      controllers: [PagesController, AccountController, ApiController],
      providers: [
        ...provideAuth(authOptions(engine, backends), { signInPath: '/sign-in' }),
        { provide: SITE_OPTIONS, useValue: site },
        Site,
        { provide: APP_GUARD, useClass: CsrfProtectionGuard },
        // For the routes Nest does not find (404): the controllers name it themselves.
        { provide: APP_FILTER, useClass: PageFailureFilter },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(securityHeaders).forRoutes('{*path}');
  }
}
