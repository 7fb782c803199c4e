/**
 * CSRF protection as a global guard: every request with a state-changing method must
 * come from this site (`Origin` / `Sec-Fetch-Site`), and a form post must carry the
 * session's token (`_csrf` field or `x-csrf-token` header), as `csrfProtection` does in
 * the Express app. A guard rather than a middleware because Nest runs guards after the
 * body is parsed, on either platform, and sends what they throw through the filters:
 * a refused form gets the same error page as in the Express app.
 */
import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { CSRF_FIELD, CSRF_HEADER, type CsrfGuard, csrfCheck } from '../../src/auth/index.js';
import { SessionStateError } from '../../src/errors.js';
import { Session } from '../../src/index.js';
import { SITE_OPTIONS, type SiteOptions } from './site.service.js';

@Injectable()
export class CsrfProtectionGuard implements CanActivate {
  readonly #check: CsrfGuard;

  constructor(@Inject(SITE_OPTIONS) options: SiteOptions) {
    this.#check = csrfCheck({ csrf: options.csrf });
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<{
      method: string;
      protocol?: string;
      headers: Record<string, string | string[] | undefined>;
      body?: unknown;
      session?: unknown;
    }>();
    const { headers, session, body } = request;
    if (!(session instanceof Session)) {
      throw new SessionStateError('the CSRF guard needs the session: import SessionModule');
    }
    const header = (name: string) => {
      const value = headers[name];
      return typeof value === 'string' ? value : undefined;
    };
    this.#check(
      {
        method: request.method,
        origin: header('origin'),
        secFetchSite: header('sec-fetch-site'),
        host: header('host'),
        secure: request.protocol === 'https',
        contentType: header('content-type'),
        headerToken: header(CSRF_HEADER),
        bodyToken:
          typeof body === 'object' && body !== null && Object.hasOwn(body, CSRF_FIELD)
            ? (body as Record<string, unknown>)[CSRF_FIELD]
            : undefined,
      },
      session,
    );
    return true;
  }
}
