/**
 * Single requests made before and after each load run, to obtain a session cookie and
 * prove that the server accepts it. Without this check a broken cookie would make every
 * row silently measure the (cheap) guest path.
 */
import { request } from 'node:http';

/** A response reduced to what the checks need. */
export interface ProbeResponse {
  readonly status: number;
  readonly body: string;
  /** `name=value` pairs of every Set-Cookie header, in order. */
  readonly setCookies: readonly string[];
}

/** A request body for {@link probe}: the request becomes a POST carrying it. */
export interface ProbeBody {
  readonly contentType: string;
  readonly body: string;
}

/**
 * GETs `path` from the local server on `port` (or POSTs `post`), sending `cookie` when
 * given.
 */
export function probe(
  port: number,
  path: string,
  cookie: string | null,
  post?: ProbeBody,
): Promise<ProbeResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = cookie === null ? {} : { cookie };
    if (post !== undefined) headers['content-type'] = post.contentType;
    const method = post === undefined ? 'GET' : 'POST';
    const target = { host: '127.0.0.1', port, path, method, headers, agent: false };
    const req = request(target, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => {
        const setCookies = (res.headers['set-cookie'] ?? []).map(
          (line) => line.split(';')[0] ?? '',
        );
        resolve({ status: res.statusCode ?? 0, body, setCookies });
      });
    });
    req.setTimeout(5_000, () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('error', reject);
    req.end(post?.body);
  });
}

/** The `Cookie` header a browser would send back after receiving `setCookies`. */
export function cookieHeader(setCookies: readonly string[]): string {
  const jar = new Map<string, string>();
  for (const pair of setCookies) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const value = pair.slice(eq + 1);
    // An empty value is how servers clear a cookie; a browser would drop it too.
    if (value === '') jar.delete(pair.slice(0, eq));
    else jar.set(pair.slice(0, eq), value);
  }
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}
