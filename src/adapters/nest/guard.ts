import {
  type CanActivate,
  type ExecutionContext,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { sessionOf } from './request-session.js';

/**
 * Lets a request through only with a signed-in session (`session.setUser(id)` was
 * called): `@UseGuards(SignedInGuard)`. A guest gets `401 Unauthorized` through Nest's
 * exception layer, so an application's own filter may answer it (e.g. a redirect to the
 * sign-in page).
 */
@Injectable()
export class SignedInGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (sessionOf(context).userId === null) throw new UnauthorizedException();
    return true;
  }
}
