/**
 * Static checks for S-01 (ids from the CSPRNG) and S-30 (constant-time comparison) over
 * the library's source (src/, test files excluded). Behavioural tests cannot see these
 * faults: an id drawn from `Math.random` is still 43 distinct base64url characters, and a
 * MAC compared with `Buffer.equals` still rejects a wrong MAC. The checks read the syntax
 * tree (TypeScript's parser), so comments and strings that mention a name do not count.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Library source files under `dir` (relative to the repository), test files excluded. */
function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) continue;
    files.push(relative(root, join(entry.parentPath, entry.name)));
  }
  return files.sort();
}

const parsed = new Map<string, ts.SourceFile>();
function parse(file: string): ts.SourceFile {
  let source = parsed.get(file);
  if (source === undefined) {
    source = ts.createSourceFile(
      file,
      readFileSync(join(root, file), 'utf8'),
      ts.ScriptTarget.ES2022,
      true,
    );
    parsed.set(file, source);
  }
  return source;
}

function each(node: ts.Node, visit: (node: ts.Node) => void): void {
  visit(node);
  node.forEachChild((child) => each(child, visit));
}

/** `file:line: code` for a finding. */
function at(source: ts.SourceFile, node: ts.Node): string {
  const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  return `${source.fileName}:${line}: ${node.getText(source)}`;
}

const SRC = sourceFiles('src');
const CRYPTO = sourceFiles('src/crypto');
/** The constant-time helper itself: it compares lengths (public) before timingSafeEqual. */
const CONSTANT_TIME_HELPER = 'src/crypto/compare.ts';

describe('static checks on src/ (S-01, S-30)', { timeout: 60_000 }, () => {
  it('scans the library source and not its tests', () => {
    assert.ok(SRC.includes('src/crypto/sign.ts'));
    assert.ok(SRC.includes('src/session/cookie-mode.ts'));
    assert.ok(CRYPTO.includes(CONSTANT_TIME_HELPER));
    assert.ok(!SRC.some((file) => file.endsWith('.test.ts')));
  });

  it('S-01 no Math.random anywhere in src/', () => {
    const found: string[] = [];
    for (const file of SRC) {
      const source = parse(file);
      each(source, (node) => {
        const isMathRandom =
          (ts.isPropertyAccessExpression(node) && node.name.text === 'random') ||
          (ts.isElementAccessExpression(node) &&
            ts.isStringLiteralLike(node.argumentExpression) &&
            node.argumentExpression.text === 'random');
        if (isMathRandom && node.expression.getText(source) === 'Math')
          found.push(at(source, node));
      });
    }
    assert.deepEqual(found, []);
  });

  it('S-30 src/crypto compares nothing with .equals() or .compare() (Buffer.compare)', () => {
    const found: string[] = [];
    for (const file of CRYPTO) {
      const source = parse(file);
      each(source, (node) => {
        if (
          ts.isCallExpression(node) &&
          ts.isPropertyAccessExpression(node.expression) &&
          ['equals', 'compare'].includes(node.expression.name.text)
        ) {
          found.push(at(source, node));
        }
      });
    }
    assert.deepEqual(found, []);
  });

  it('S-30 no ===, !==, ==, != between MAC, tag, signature, digest, token or secret values', () => {
    const found: string[] = [];
    for (const file of SRC) {
      if (file === CONSTANT_TIME_HELPER) continue;
      const source = parse(file);
      each(source, (node) => {
        if (!ts.isBinaryExpression(node) || !EQUALITY.has(node.operatorToken.kind)) return;
        if (isPublicOperand(node.left) || isPublicOperand(node.right)) return;
        if (mentionsSecret(node.left) || mentionsSecret(node.right)) found.push(at(source, node));
      });
    }
    assert.deepEqual(found, []);
  });

  it('S-01 the random pool (src/crypto/random.ts) fills only from node:crypto', () => {
    const file = 'src/crypto/random.ts';
    const source = parse(file);
    const imports = importsOf(source);
    assert.deepEqual([...new Set(imports.values())], ['node:crypto']);
    assert.ok(
      [...imports.keys()].every((name) => CSPRNG_CALLS.has(name)),
      [...imports.keys()].join(),
    );
    const found: string[] = [];
    let fills = 0;
    each(source, (node) => {
      if (ts.isIdentifier(node) && NON_CSPRNG_SOURCES.has(node.text)) found.push(at(source, node));
      // A hand-written fill (`pool[i] = ...`) would bypass randomFillSync.
      if (
        ts.isBinaryExpression(node) &&
        node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        ts.isElementAccessExpression(node.left)
      ) {
        found.push(at(source, node));
      }
      if (ts.isCallExpression(node) && node.expression.getText(source) === 'randomFillSync')
        fills++;
    });
    assert.deepEqual(found, []);
    assert.ok(fills > 0, 'random.ts no longer calls randomFillSync');
  });

  it('S-01 generateSessionId (src/crypto/sign.ts) draws only from the CSPRNG', () => {
    const source = parse('src/crypto/sign.ts');
    const bodies: ts.Node[] = [];
    each(source, (node) => {
      if (ts.isFunctionDeclaration(node) && node.name?.text === 'generateSessionId' && node.body) {
        bodies.push(node.body);
      }
    });
    assert.equal(bodies.length, 1, 'generateSessionId not found in src/crypto/sign.ts');
    assert.deepEqual(nonCsprngNames(source, bodies[0]!), []);
  });

  it('S-01 the cookie-mode nonce (src/session/cookie-mode.ts) draws only from the CSPRNG', () => {
    const source = parse('src/session/cookie-mode.ts');
    const initializers: ts.Node[] = [];
    each(source, (node) => {
      if (
        ts.isVariableDeclaration(node) &&
        ts.isIdentifier(node.name) &&
        node.name.text === 'nonce' &&
        node.initializer
      ) {
        initializers.push(node.initializer);
      }
    });
    assert.ok(initializers.length > 0, 'no `const nonce = ...` in src/session/cookie-mode.ts');
    for (const initializer of initializers)
      assert.deepEqual(nonCsprngNames(source, initializer), []);
  });
});

const EQUALITY = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
]);

/** Words (of camelCase or snake_case names) that mark a secret-dependent value. */
const SECRET_WORDS = /^(h?mac|tag|sig|signature|digest|token|secret|csrf|expected|given)s?$/;

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_$]+/)
    .map((word) => word.toLowerCase());
}

/** True when `node` names a MAC, tag, signature, digest, token or secret anywhere inside. */
function mentionsSecret(node: ts.Node): boolean {
  let secret = false;
  each(node, (inner) => {
    if (ts.isIdentifier(inner) && words(inner.text).some((word) => SECRET_WORDS.test(word))) {
      secret = true;
    }
  });
  return secret;
}

/**
 * True for an operand whose value is public, so comparing with it leaks nothing worth
 * hiding: a literal, `undefined`, a `typeof`, a length or size, or an UPPER_CASE constant.
 */
function isPublicOperand(node: ts.Expression): boolean {
  if (ts.isParenthesizedExpression(node)) return isPublicOperand(node.expression);
  if (ts.isLiteralExpression(node) || ts.isNoSubstitutionTemplateLiteral(node)) return true;
  if (
    node.kind === ts.SyntaxKind.NullKeyword ||
    node.kind === ts.SyntaxKind.TrueKeyword ||
    node.kind === ts.SyntaxKind.FalseKeyword ||
    ts.isTypeOfExpression(node) ||
    ts.isVoidExpression(node)
  ) {
    return true;
  }
  if (ts.isIdentifier(node))
    return node.text === 'undefined' || /^[A-Z][A-Z0-9_]*$/.test(node.text);
  if (ts.isPropertyAccessExpression(node))
    return ['length', 'byteLength', 'size'].includes(node.name.text);
  return false;
}

/** Names a CSPRNG-backed value may be built from. */
const CSPRNG_CALLS = new Set(['randomFillSync', 'randomBytes', 'getRandomValues']);
const POOL_CALLS = new Set(['randomBase64url', 'randomInto']);
/** Things that look random to a test but are not: time, counters, process state. */
const NON_CSPRNG_SOURCES = new Set([
  'Math',
  'Date',
  'performance',
  'process',
  'hrtime',
  'randomUUID',
]);

/** Local name -> module specifier of every named import in `source`. */
function importsOf(source: ts.SourceFile): Map<string, string> {
  const imports = new Map<string, string>();
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier))
      continue;
    const bindings = statement.importClause?.namedBindings;
    if (bindings === undefined || !ts.isNamedImports(bindings)) continue;
    for (const element of bindings.elements) {
      imports.set(element.name.text, statement.moduleSpecifier.text);
    }
  }
  return imports;
}

/** Top-level `const NAME = <number>` declarations of `source`. */
function numericConstants(source: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  each(source, (node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      if (ts.isNumericLiteral(node.initializer)) names.add(node.name.text);
    }
  });
  return names;
}

/**
 * Every name inside `node` that is neither a CSPRNG call (node:crypto's, or the pool's in
 * src/crypto/random.ts) nor a numeric constant, nor `.toString` on such a draw.
 */
function nonCsprngNames(source: ts.SourceFile, node: ts.Node): string[] {
  const imports = importsOf(source);
  const constants = numericConstants(source);
  const allowed = (name: string): boolean => {
    const from = imports.get(name);
    if (from === 'node:crypto') return CSPRNG_CALLS.has(name);
    if (from !== undefined && /(^|\/)crypto\/random\.js$|^\.\/random\.js$/.test(from)) {
      return POOL_CALLS.has(name);
    }
    return constants.has(name);
  };
  const found: string[] = [];
  each(node, (inner) => {
    if (!ts.isIdentifier(inner)) return;
    const isProperty = ts.isPropertyAccessExpression(inner.parent) && inner.parent.name === inner;
    if (isProperty ? inner.text !== 'toString' : !allowed(inner.text))
      found.push(at(source, inner));
  });
  return found;
}
