/**
 * A wrk Lua script that spreads requests over many sessions: request i carries cookie
 * i mod n. With a single replayed cookie, any cache keyed by the cookie value (Tessera
 * keeps one of verified cookies) hits on every request; many sessions measure the
 * verification itself.
 */
import { writeFileSync } from 'node:fs';

/** Writes the rotation script for `cookies` to `path`. */
export function writeCookieRotationScript(path: string, cookies: readonly string[]): void {
  // JSON string literals are valid Lua string literals for printable ASCII, which is
  // all a Cookie header may contain.
  const list = cookies.map((cookie) => `  ${JSON.stringify(cookie)},`).join('\n');
  const script = `local cookies = {
${list}
}
local requests = {}
local index = 0
init = function()
  for i, cookie in ipairs(cookies) do
    requests[i] = wrk.format(nil, nil, { ["Cookie"] = cookie })
  end
end
request = function()
  index = index % #requests + 1
  return requests[index]
end
`;
  writeFileSync(path, script);
}
