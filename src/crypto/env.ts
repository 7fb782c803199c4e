import { InvalidOptionsError } from '../errors.js';

/**
 * Reads secrets from an environment variable: comma-separated, newest first (rotation:
 * put the new secret in front, remove the old one once its cookies have expired).
 * Naming the variable here lets the error say which one is missing.
 *
 * ```ts
 * import { secretsFromEnv } from 'tesserajs';
 * const secrets = secretsFromEnv('SESSION_SECRETS');
 * ```
 * @throws {InvalidOptionsError} when the variable is unset or holds no secret.
 */
export function secretsFromEnv(
  name: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string[] {
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    throw new InvalidOptionsError(
      `environment variable ${name} is not set: set it to a secret of 32 random bytes ` +
        `(node -e "console.log(require('crypto').randomBytes(32).toString('base64url'))")`,
    );
  }
  const secrets = value.split(',').map((secret) => secret.trim());
  if (secrets.some((secret) => secret === '')) {
    throw new InvalidOptionsError(
      `environment variable ${name} holds an empty secret between commas`,
    );
  }
  return secrets;
}
