/**
 * The session data key holding a session's CSRF binding: 32 random bytes (base64url) that
 * CSRF tokens are derived from (`tesserajs/auth`, `createCsrf`). It is ordinary data so
 * that it persists in both modes and a guest can have one (the sign-in form needs a
 * token); the one thing the session layer knows about it is that it belongs to the
 * session's identity: `regenerate()` and `setUser()` with another user drop it, so a
 * token issued before sign-in is void after (S-38, S-41).
 */
export const CSRF_BINDING_KEY = '_csrfBinding';
