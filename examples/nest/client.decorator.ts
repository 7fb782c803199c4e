/**
 * `@Client()`: the request's facts the authentication flows record (the client's
 * address and user agent), read the same way on Express and Fastify requests.
 */
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthRequest } from '../../src/auth/index.js';

export const Client: () => ParameterDecorator = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthRequest => {
    const request = context.switchToHttp().getRequest<{
      ip?: string;
      headers: Record<string, string | string[] | undefined>;
    }>();
    const userAgent = request.headers['user-agent'];
    return {
      address: request.ip ?? null,
      userAgent: typeof userAgent === 'string' ? userAgent : null,
    };
  },
);
