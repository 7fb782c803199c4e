/**
 * Every test file bounds its run time: each top-level `describe` / `test` / `it` carries a
 * `timeout` option, so a test waiting on a response that never comes fails instead of
 * hanging the run (and its `after` hooks then release what it opened). Read from the
 * syntax tree (TypeScript's parser) of every *.test.ts under src/, test/ and bench/.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('../..', import.meta.url));
const TEST_FUNCTIONS = new Set(['describe', 'suite', 'it', 'test']);

function testFiles(): string[] {
  const files: string[] = [];
  for (const dir of ['src', 'test', 'bench']) {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true, recursive: true })) {
      // Fixtures' installed packages ship test files of their own; they are not ours.
      if (entry.parentPath.split(sep).includes('node_modules')) continue;
      if (entry.isFile() && entry.name.endsWith('.test.ts')) {
        files.push(relative(root, join(entry.parentPath, entry.name)));
      }
    }
  }
  return files.sort();
}

/** `describe`, `it.skip`, `test.only`, ... -> the test function's name, else undefined. */
function testFunction(call: ts.CallExpression): string | undefined {
  let callee = call.expression;
  if (ts.isPropertyAccessExpression(callee)) callee = callee.expression;
  return ts.isIdentifier(callee) && TEST_FUNCTIONS.has(callee.text) ? callee.text : undefined;
}

function hasTimeout(call: ts.CallExpression): boolean {
  return call.arguments.some(
    (argument) =>
      ts.isObjectLiteralExpression(argument) &&
      argument.properties.some((property) => property.name?.getText() === 'timeout'),
  );
}

/** The top-level test calls of `file` (not nested in another), as `[where, hasTimeout]`. */
function topLevelTests(file: string): Array<[string, boolean]> {
  const text = readFileSync(join(root, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const found: Array<[string, boolean]> = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && testFunction(node) !== undefined) {
      const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
      found.push([`${file}:${line}`, hasTimeout(node)]);
      return; // what it nests inherits its bound
    }
    node.forEachChild(visit);
  };
  visit(source);
  return found;
}

describe('test hygiene', { timeout: 60_000 }, () => {
  const files = testFiles();

  it('finds the test files of src/, test/ and bench/', () => {
    for (const dir of ['src/', 'test/', 'bench/']) {
      assert.ok(
        files.some((file) => file.startsWith(dir)),
        `no test file under ${dir}`,
      );
    }
    assert.ok(files.includes('test/meta/test-hygiene.test.ts'));
  });

  it('every test file has a timeout on each top-level describe, test and it', () => {
    const missing: string[] = [];
    for (const file of files) {
      const tests = topLevelTests(file);
      if (tests.length === 0) missing.push(`${file}: no describe/test/it of its own`);
      for (const [where, bounded] of tests) if (!bounded) missing.push(where);
    }
    assert.deepEqual(missing, [], 'add { timeout: 60_000 } (or a tighter bound) to these');
  });
});
