import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runWrkReport } from './wrk.js';
import { parseStatusCounts, writePostScript } from './wrk-post-script.js';

const dir = mkdtempSync(join(tmpdir(), 'wrk-post-script-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const hasWrk = !spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error;

test('the status line is parsed, and its absence is an error', { timeout: 60_000 }, () => {
  const report = 'Requests/sec:  12.00\nstatuses: 2xx 10, 503 3, other 1\n';
  assert.deepEqual(parseStatusCounts(report), { ok: 10, unavailable: 3, other: 1 });
  assert.throws(() => parseStatusCounts('Requests/sec:  12.00\n'), /no status counts/);
});

test('wrk posts the body with its content type and counts 2xx, 503 and the rest apart', {
  timeout: 60_000,
  skip: hasWrk ? false : 'wrk is not on PATH',
}, async () => {
  const body = JSON.stringify({ email: 'a@example.com', password: 'p"q\\r' });
  const seen = { total: 0, wrong: 0 };
  const server = createServer((req, res) => {
    let received = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      received += chunk;
    });
    req.on('end', () => {
      seen.total++;
      const right =
        req.method === 'POST' &&
        req.headers['content-type'] === 'application/json' &&
        received === body;
      if (!right) seen.wrong++;
      // 2xx, 503 and 401 in turn: each class must land in its own counter.
      res.statusCode = [200, 503, 401][seen.total % 3]!;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const script = join(dir, 'post.lua');
    writePostScript(script, body, 'application/json');
    const { port } = server.address() as AddressInfo;
    const { result, stdout } = await runWrkReport({
      url: `http://127.0.0.1:${port}/`,
      durationS: 1,
      connections: 2,
      cookie: null,
      script,
      cpu: null,
    });
    const counts = parseStatusCounts(stdout);
    assert.equal(seen.wrong, 0, 'every request carried the body and its content type');
    assert.ok(counts.ok > 0 && counts.unavailable > 0 && counts.other > 0);
    assert.equal(counts.ok + counts.unavailable + counts.other, result.requests);
    assert.ok(Math.abs(counts.ok - counts.unavailable) <= 2, 'one 2xx for each 503');
  } finally {
    server.close();
  }
});
