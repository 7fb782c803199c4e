/**
 * The pages, as functions from what they show to escaped HTML. Nothing here reads the
 * request or the session: the routes gather the facts, so every value passes through
 * the `html` tag exactly once.
 */
import type { AuthUser } from '../../src/auth/index.js';
import type { UserSessionInfo } from '../../src/index.js';
import { describeDevice } from './device.js';
import { html, type SafeHtml } from './html.js';
import { MIN_PASSWORD_LENGTH, type UserFacingError } from './messages.js';

/** What every page needs: who is signed in and a CSRF token for its forms. */
export interface PageContext {
  readonly user: AuthUser | null;
  readonly csrfToken: string;
  /** "store mode, sessions in SQLite ..." for the footer. */
  readonly storage: string;
}

const DATE = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'UTC',
});

function time(ms: number): SafeHtml {
  return html`<time datetime="${new Date(ms).toISOString()}">${DATE.format(ms)} UTC</time>`;
}

function csrfField(context: PageContext): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${context.csrfToken}">`;
}

/** The page frame: header with navigation, the content, the footer. */
function layout(context: PageContext, title: string, content: SafeHtml): string {
  const nav =
    context.user === null
      ? html`<a href="/sign-in">Sign in</a> <a href="/sign-up">Sign up</a>`
      : html`<a href="/members">Members</a> <a href="/account">Account</a>
        <form method="post" action="/sign-out">${csrfField(context)}<button class="secondary">Sign out</button></form>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Tessera</title>
<link rel="stylesheet" href="/style.css">
</head>
<body>
<header><a class="brand" href="/">Tessera</a><nav aria-label="Main">${nav}</nav></header>
<main id="main">
${content}
</main>
<footer>Sessions: ${context.storage}.</footer>
</body>
</html>
`.markup;
}

/** The form-wide error, announced by screen readers (`role="alert"`). */
function formAlert(error: UserFacingError | null): SafeHtml {
  return html`${error !== null && error.field === null && html`<p class="alert" role="alert" id="form-error">${error.message}</p>`}`;
}

/** A labelled input, with its error (if the error is about it) tied by `aria-describedby`. */
function input(options: {
  readonly name: string;
  readonly label: string;
  readonly type: 'email' | 'password';
  readonly autocomplete: string;
  readonly value?: string;
  readonly hint?: string;
  readonly error: UserFacingError | null;
}): SafeHtml {
  const { name, label, type, autocomplete, value, hint, error } = options;
  const invalid = error !== null && error.field === name;
  const described = [hint !== undefined ? `${name}-hint` : null, invalid ? `${name}-error` : null]
    .filter((id) => id !== null)
    .join(' ');
  return html`<label for="${name}">${label}</label>
<input id="${name}" name="${name}" type="${type}" autocomplete="${autocomplete}" required
  ${type === 'email' ? html`maxlength="254" value="${value ?? ''}"` : html`maxlength="1024"`}
  ${invalid && html`aria-invalid="true"`} ${described !== '' && html`aria-describedby="${described}"`}>
${hint !== undefined && html`<p class="hint" id="${name}-hint">${hint}</p>`}
${invalid && html`<p class="field-error" id="${name}-error" role="alert">${error.message}</p>`}`;
}

export function homePage(context: PageContext): string {
  const body =
    context.user === null
      ? html`<h1>Sessions and sign-in, end to end</h1>
<div class="card">
<p>This is Tessera's reference app: accounts, sessions you can see and revoke, and forms protected against cross-site requests.</p>
<p><a class="button" href="/sign-up">Create an account</a> or <a href="/sign-in">sign in</a>.</p>
</div>`
      : html`<h1>Welcome back</h1>
<div class="card">
<p>You are signed in as <strong>${context.user.email}</strong>.</p>
<p><a class="button" href="/account">Your account</a></p>
</div>`;
  return layout(context, 'Home', body);
}

export function signUpPage(
  context: PageContext,
  form: { readonly email: string; readonly error: UserFacingError | null },
): string {
  return layout(
    context,
    'Sign up',
    html`<h1>Create an account</h1>
<form class="card" method="post" action="/sign-up" novalidate ${form.error?.field === null && html`aria-describedby="form-error"`}>
${formAlert(form.error)}
${csrfField(context)}
${input({ name: 'email', label: 'Email address', type: 'email', autocomplete: 'email', value: form.email, error: form.error })}
${input({ name: 'password', label: 'Password', type: 'password', autocomplete: 'new-password', hint: `At least ${MIN_PASSWORD_LENGTH} characters. Not a common password, not your email.`, error: form.error })}
<button>Create account</button>
<p class="muted">Already have an account? <a href="/sign-in">Sign in</a>.</p>
</form>`,
  );
}

export function signInPage(
  context: PageContext,
  form: {
    readonly email: string;
    readonly returnTo: string;
    readonly error: UserFacingError | null;
  },
): string {
  return layout(
    context,
    'Sign in',
    html`<h1>Sign in</h1>
<form class="card" method="post" action="/sign-in" novalidate>
${formAlert(form.error)}
${csrfField(context)}
<input type="hidden" name="returnTo" value="${form.returnTo}">
${input({ name: 'email', label: 'Email address', type: 'email', autocomplete: 'username', value: form.email, error: form.error })}
${input({ name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password', error: form.error })}
<button>Sign in</button>
<p class="muted">No account yet? <a href="/sign-up">Sign up</a>.</p>
</form>`,
  );
}

/** Messages after a redirect, chosen by a fixed key (never text from the URL). */
export const NOTICES: Readonly<Record<string, string>> = {
  revoked: 'The session was signed out.',
  others: 'Every other session was signed out.',
  password: 'Your password was changed. Every other session was signed out.',
};

export function accountPage(
  context: PageContext & { readonly user: AuthUser },
  facts: {
    readonly session: {
      readonly createdAt: number;
      readonly lastSeenAt: number;
      readonly expiresAt: number;
      readonly absoluteExpiresAt: number;
    };
    readonly sessions: readonly UserSessionInfo[] | null;
    readonly notice: string | null;
    readonly passwordError: UserFacingError | null;
  },
): string {
  const { session, sessions, notice, passwordError } = facts;
  const others = sessions?.filter((s) => !s.current).length ?? 0;
  const list =
    sessions === null
      ? html`<p class="muted">This session mode keeps no list of sessions.</p>`
      : html`<ul class="sessions">${sessions.map(
          (s) => html`<li data-current="${s.current ? 'true' : 'false'}">
<div><strong>${describeDevice(s.userAgent)}</strong> ${s.current && html`<span class="badge">this session</span>`}<br>
<span class="muted">${s.address ?? 'unknown address'} · ${s.lastSeenAt === null ? html`signed in ${time(s.createdAt)}` : html`last seen ${time(s.lastSeenAt)}`}</span></div>
${!s.current && html`<form method="post" action="/account/sessions/revoke">${csrfField(context)}<input type="hidden" name="handle" value="${s.handle}"><button class="secondary" aria-label="Revoke the session of ${describeDevice(s.userAgent)}, ${s.address ?? 'unknown address'}">Revoke</button></form>`}
</li>`,
        )}</ul>`;
  return layout(
    context,
    'Account',
    html`<h1>Your account</h1>
${notice !== null && html`<p class="notice" role="status">${notice}</p>`}
<section class="card" aria-labelledby="who">
<h2 id="who">Who you are</h2>
<dl class="facts">
<dt>Email</dt><dd id="account-email">${context.user.email}</dd>
<dt>Member since</dt><dd>${time(context.user.createdAt)}</dd>
</dl>
</section>
<section class="card" aria-labelledby="this-session">
<h2 id="this-session">This session</h2>
<dl class="facts">
<dt>Created</dt><dd id="session-created">${time(session.createdAt)}</dd>
<dt>Last seen</dt><dd id="session-last-seen">${time(session.lastSeenAt)}</dd>
<dt>Expires if unused</dt><dd id="session-expires">${time(session.expiresAt)}</dd>
<dt>Ends at the latest</dt><dd id="session-absolute">${time(session.absoluteExpiresAt)}</dd>
</dl>
</section>
<section class="card" aria-labelledby="active-sessions">
<h2 id="active-sessions">Active sessions</h2>
${list}
<form method="post" action="/account/sign-out-others">${csrfField(context)}<button class="secondary" ${others === 0 && sessions !== null && html`disabled`}>Sign out everywhere else</button></form>
</section>
<section class="card" aria-labelledby="change-password">
<h2 id="change-password">Change password</h2>
<form method="post" action="/account/password" novalidate>
${formAlert(passwordError)}
${csrfField(context)}
${input({ name: 'currentPassword', label: 'Current password', type: 'password', autocomplete: 'current-password', error: passwordError })}
${input({ name: 'newPassword', label: 'New password', type: 'password', autocomplete: 'new-password', hint: `At least ${MIN_PASSWORD_LENGTH} characters. Every other session will be signed out.`, error: passwordError })}
<button>Change password</button>
</form>
</section>`,
  );
}

export function membersPage(context: PageContext & { readonly user: AuthUser }): string {
  return layout(
    context,
    'Members',
    html`<h1>Members only</h1>
<div class="card"><p>Only signed-in users see this page, ${context.user.email}. Strangers are sent to sign in, and back here afterwards.</p></div>`,
  );
}

export function errorPage(context: PageContext, status: number, message: string): string {
  return layout(
    context,
    `Error ${status}`,
    html`<h1>Something went wrong</h1><div class="card"><p class="alert" role="alert">${message}</p><p><a href="/">Back to the home page</a></p></div>`,
  );
}
