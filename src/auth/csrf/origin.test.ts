import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkRequestOrigin,
  type OriginCheckResult,
  type OriginFacts,
  originGuard,
} from './origin.js';

const SITE = { host: 'app.example', secure: true } as const;

function facts(overrides: Partial<OriginFacts>): OriginFacts {
  return { method: 'POST', origin: undefined, secFetchSite: undefined, ...SITE, ...overrides };
}

/** [description, facts, expected] rows of the S-37 matrix. */
const MATRIX: readonly (readonly [string, Partial<OriginFacts>, OriginCheckResult])[] = [
  ['GET cross-site', { method: 'GET', secFetchSite: 'cross-site' }, 'ok'],
  ['HEAD from another origin', { method: 'HEAD', origin: 'https://evil.example' }, 'ok'],
  ['OPTIONS cross-site', { method: 'OPTIONS', secFetchSite: 'cross-site' }, 'ok'],
  ['lower-case get is not GET', { method: 'get', secFetchSite: 'cross-site' }, 'cross-site'],
  ['same-origin', { secFetchSite: 'same-origin', origin: 'https://app.example' }, 'ok'],
  ['user-typed navigation (none)', { secFetchSite: 'none' }, 'ok'],
  ['cross-site', { secFetchSite: 'cross-site', origin: 'https://evil.example' }, 'cross-site'],
  ['cross-site without Origin', { secFetchSite: 'cross-site' }, 'cross-site'],
  ['same-site', { secFetchSite: 'same-site', origin: 'https://www.app.example' }, 'same-site'],
  ['an unknown Sec-Fetch-Site value', { secFetchSite: 'Same-Origin' }, 'cross-site'],
  ['PUT cross-site', { method: 'PUT', secFetchSite: 'cross-site' }, 'cross-site'],
  ['DELETE cross-site', { method: 'DELETE', secFetchSite: 'cross-site' }, 'cross-site'],
  ['PATCH cross-site', { method: 'PATCH', secFetchSite: 'cross-site' }, 'cross-site'],
  ['no headers (not a browser)', {}, 'ok'],
  ['own Origin, no Sec-Fetch-Site', { origin: 'https://app.example' }, 'ok'],
  ['foreign Origin', { origin: 'https://evil.example' }, 'origin-mismatch'],
  ['suffix trick', { origin: 'https://app.example.evil.example' }, 'origin-mismatch'],
  ['prefix trick', { origin: 'https://evilapp.example' }, 'origin-mismatch'],
  ['other scheme', { origin: 'http://app.example' }, 'origin-mismatch'],
  ['other port', { origin: 'https://app.example:8443' }, 'origin-mismatch'],
  ['trailing slash', { origin: 'https://app.example/' }, 'origin-mismatch'],
  ['upper case', { origin: 'https://APP.example' }, 'origin-mismatch'],
  ['Origin: null', { origin: 'null' }, 'null-origin'],
  ['empty Origin', { origin: '' }, 'origin-mismatch'],
  ['no Host', { origin: 'https://app.example', host: undefined }, 'origin-mismatch'],
  [
    'Host with userinfo',
    { origin: 'https://app.example', host: 'x@app.example' },
    'origin-mismatch',
  ],
  ['Host with a path', { origin: 'https://app.example', host: 'app.example/x' }, 'origin-mismatch'],
  ['Host with the default port', { origin: 'https://app.example', host: 'app.example:443' }, 'ok'],
  ['Host in upper case', { origin: 'https://app.example', host: 'APP.EXAMPLE' }, 'ok'],
  [
    'plain HTTP on a port',
    { origin: 'http://127.0.0.1:3000', host: '127.0.0.1:3000', secure: false },
    'ok',
  ],
];

describe('S-37 checkRequestOrigin', { timeout: 60_000 }, () => {
  for (const [name, overrides, expected] of MATRIX) {
    it(`${name} -> ${expected}`, () => {
      assert.equal(checkRequestOrigin(facts(overrides)), expected);
    });
  }

  it('a listed origin passes whatever Sec-Fetch-Site says; an unlisted one does not', () => {
    const options = { allowedOrigins: ['https://admin.app.example', 'https://partner.example'] };
    const check = originGuard(options);
    for (const secFetchSite of ['same-site', 'cross-site', undefined]) {
      assert.equal(check(facts({ origin: 'https://admin.app.example', secFetchSite })), 'ok');
      assert.equal(check(facts({ origin: 'https://partner.example', secFetchSite })), 'ok');
    }
    assert.equal(
      check(facts({ origin: 'https://www.app.example', secFetchSite: 'same-site' })),
      'same-site',
    );
    assert.equal(check(facts({ origin: 'https://other.example' })), 'origin-mismatch');
    assert.equal(checkRequestOrigin(facts({ origin: 'https://partner.example' }), options), 'ok');
  });

  it('behind a proxy that hides HTTPS, the public origin can be listed', () => {
    const check = originGuard({ allowedOrigins: ['https://app.example'] });
    assert.equal(check(facts({ origin: 'https://app.example', secure: false })), 'ok');
    assert.equal(
      checkRequestOrigin(facts({ origin: 'https://app.example', secure: false })),
      'origin-mismatch',
    );
  });

  it('refuses allowed origins that are not origins, at construction', () => {
    for (const bad of [
      'https://app.example/',
      'https://app.example/path',
      'https://APP.example',
      '*.app.example',
      'app.example',
      'null',
      '',
    ]) {
      assert.throws(() => originGuard({ allowedOrigins: [bad] }), { code: 'INVALID_OPTIONS' }, bad);
    }
    assert.throws(() => originGuard({ allowedOrigins: 'https://a.example' as never }), {
      code: 'INVALID_OPTIONS',
    });
  });
});
