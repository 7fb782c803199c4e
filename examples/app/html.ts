/**
 * Server-rendered HTML with auto-escaping: the `html` tag escapes every interpolated
 * value unless it is itself the result of `html` (or an array of them), so a value from
 * a user can never become markup. No template engine needed.
 */

/** Markup that is already safe: produced by {@link html}, never by string concatenation. */
export class SafeHtml {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text for an HTML element or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.markup;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

/**
 * The tag: `html\`<p>${name}</p>\`` escapes `name`. Nested `html` results and arrays of
 * them are kept as markup; `null`, `undefined` and `false` render as nothing, so
 * `${cond && html\`...\`}` works.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let markup = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) markup += render(values[i]) + (strings[i + 1] ?? '');
  return new SafeHtml(markup);
}
