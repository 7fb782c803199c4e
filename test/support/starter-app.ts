/**
 * Starts a compiled starter project (`dist/src/main.js`) as its own process; resolves to
 * its URL once it prints `listening on <url>`. Used by the Nest starter tests.
 */
import { type ChildProcess, spawn } from 'node:child_process';

export async function startStarterApp(
  dir: string,
  secret: string,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    cwd: dir,
    env: { ...process.env, PORT: '0', SESSION_SECRET: secret, NODE_ENV: 'development' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (chunk) => {
    output += chunk;
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const match = /listening on (\S+)/.exec(output);
      if (match) resolve(match[1]!.replace('[::1]', '127.0.0.1'));
    });
    child.on('exit', (code) => reject(new Error(`the app exited (${code}):\n${output}`)));
  });
  return { child, url };
}
