/**
 * The authentication pieces for Nest: the `Auth` of `createAuth()` as an injectable
 * (`provideAuth`, token `TESSERA_AUTH`), a guard that lets only signed-in users through
 * and refuses strangers the way every adapter does (S-44: `303` to the sign-in page for
 * a page request, `401` otherwise), and `@CurrentUser()` for the user it found.
 */
import {
  type CanActivate,
  createParamDecorator,
  type ExecutionContext,
  HttpException,
  Inject,
  Injectable,
  type Provider,
} from '@nestjs/common';
import { type Auth, type AuthOptions, type AuthUser, createAuth } from '../../auth/auth.js';
import type { EnumerationProtection } from '../../auth/enumeration.js';
import {
  type RefusalResponse,
  type RequireUserOptions,
  refuseStranger,
} from '../../auth/protect.js';
import type { SessionEngine } from '../../session/engine.js';
import { sessionOf } from './request-session.js';
import { TESSERA_SESSIONS } from './tokens.js';

/** The application's `Auth`: `@Inject(TESSERA_AUTH) auth: Auth`. */
export const TESSERA_AUTH: unique symbol = Symbol('tesserajs.nest.auth');

/** Options of `UserGuard` (where strangers sign in), given to `provideAuth`. */
export const TESSERA_REQUIRE_USER_OPTIONS: unique symbol = Symbol('tesserajs.nest.requireUser');

/** Where the guard leaves the user for `@CurrentUser()`. */
const USER: unique symbol = Symbol('tesserajs.nest.user');

/**
 * The provider of `TESSERA_AUTH`: `createAuth()` on the module's session engine. Put it
 * in the root module's `providers` (and `exports`, for feature modules):
 *
 * `providers: [provideAuth({ users: memoryUsers() })]`
 *
 * With `enumerationProtection: 'strict'`, inject it as `Auth<'strict'>`.
 */
export function provideAuth(
  options: Omit<AuthOptions<EnumerationProtection>, 'sessions'>,
  requireUser: RequireUserOptions = {},
): Provider[] {
  return [
    {
      provide: TESSERA_AUTH,
      inject: [TESSERA_SESSIONS],
      useFactory: (sessions: SessionEngine<object>) => createAuth({ ...options, sessions }),
    },
    { provide: TESSERA_REQUIRE_USER_OPTIONS, useValue: requireUser },
  ];
}

/**
 * A stranger on a guarded route. Answered by the module's exception filter with the
 * refusal (`303` + `Location`, or `401` JSON); an application filter may catch it to
 * answer otherwise.
 */
export class SignInRequiredException extends HttpException {
  /** What the response carries. */
  readonly refusal: RefusalResponse;

  constructor(refusal: RefusalResponse) {
    super(refusal.status === 401 ? JSON.parse(refusal.body) : refusal.body, refusal.status);
    this.refusal = refusal;
  }
}

/**
 * Lets a request through only with a signed-in user, checked by `auth.currentUser`
 * (the user exists and the session's generation is current): `@UseGuards(UserGuard)`.
 * Needs `provideAuth()` in the module. The user is then `@CurrentUser()`.
 */
@Injectable()
export class UserGuard implements CanActivate {
  readonly #auth: Pick<Auth, 'currentUser'>;
  readonly #options: RequireUserOptions;

  constructor(
    @Inject(TESSERA_AUTH) auth: Pick<Auth, 'currentUser'>,
    @Inject(TESSERA_REQUIRE_USER_OPTIONS) options: RequireUserOptions,
  ) {
    this.#auth = auth;
    this.#options = options ?? {};
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const session = sessionOf(context);
    const user = await this.#auth.currentUser(session);
    const request = context.switchToHttp().getRequest<{
      [USER]?: AuthUser;
      method?: string;
      url?: string;
      originalUrl?: string;
      headers?: Record<string, string | string[] | undefined>;
    }>();
    if (user !== null) {
      request[USER] = user;
      return true;
    }
    const accept = request.headers?.accept;
    throw new SignInRequiredException(
      refuseStranger(
        {
          method: request.method ?? 'GET',
          accept: Array.isArray(accept) ? accept.join(', ') : accept,
          url: request.originalUrl ?? request.url ?? '/',
        },
        this.#options,
      ),
    );
  }
}

/**
 * The signed-in user `UserGuard` found (`AuthUser`: id, email, times; never the
 * password hash), or `null` on a route without the guard.
 */
export const CurrentUser: () => ParameterDecorator = createParamDecorator(
  (_data: unknown, context: ExecutionContext) =>
    context.switchToHttp().getRequest<{ [USER]?: AuthUser }>()[USER] ?? null,
);
