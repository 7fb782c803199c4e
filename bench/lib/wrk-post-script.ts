/**
 * A wrk Lua script that POSTs one fixed body on every request and counts the answers by
 * status class: 2xx, 503 (a server shedding load on purpose, such as an overloaded
 * password hasher) and anything else. wrk itself only reports "Non-2xx or 3xx
 * responses" as one number, which cannot tell expected load shedding from real errors.
 */
import { writeFileSync } from 'node:fs';

/** Responses of one wrk run with the script, by status. */
export interface StatusCounts {
  readonly ok: number;
  /** `503 Service Unavailable`. */
  readonly unavailable: number;
  /** Everything else: 1xx, 3xx, 4xx, 5xx but 503. */
  readonly other: number;
}

const STATUS_LINE = /^statuses: 2xx (\d+), 503 (\d+), other (\d+)$/m;

/** Writes the script to `path`: every request is `POST` with `body` as `contentType`. */
export function writePostScript(path: string, body: string, contentType: string): void {
  // JSON string literals are valid Lua string literals for printable ASCII; the bodies
  // the benchmark posts are ASCII.
  const script = `wrk.method = "POST"
wrk.body = ${JSON.stringify(body)}
wrk.headers["Content-Type"] = ${JSON.stringify(contentType)}
local threads = {}
setup = function(thread)
  table.insert(threads, thread)
end
init = function()
  ok, unavailable, other = 0, 0, 0
end
response = function(status)
  if status >= 200 and status < 300 then
    ok = ok + 1
  elseif status == 503 then
    unavailable = unavailable + 1
  else
    other = other + 1
  end
end
done = function()
  local totals = { ok = 0, unavailable = 0, other = 0 }
  for _, thread in ipairs(threads) do
    for name, count in pairs(totals) do
      totals[name] = count + thread:get(name)
    end
  end
  io.write(string.format("statuses: 2xx %d, 503 %d, other %d\\n",
    totals.ok, totals.unavailable, totals.other))
end
`;
  writeFileSync(path, script);
}

/** Reads the counts the script's `done` printed into wrk's report. */
export function parseStatusCounts(output: string): StatusCounts {
  const match = STATUS_LINE.exec(output);
  if (!match) throw new Error('wrk: report has no status counts (was the POST script used?)');
  return { ok: Number(match[1]), unavailable: Number(match[2]), other: Number(match[3]) };
}
