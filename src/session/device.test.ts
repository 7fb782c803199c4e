import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEVICE_KEY, decodeDevice, deviceOf, encodeDevice } from './device.js';

describe('device facts', { timeout: 30_000 }, () => {
  it('deviceOf keeps strings, bounded (256 chars of user agent, 64 of address), else null', () => {
    assert.deepEqual(deviceOf('curl/8', '203.0.113.7'), {
      userAgent: 'curl/8',
      address: '203.0.113.7',
    });
    assert.deepEqual(deviceOf('u'.repeat(300), 'a'.repeat(100)), {
      userAgent: 'u'.repeat(256),
      address: 'a'.repeat(64),
    });
    assert.deepEqual(deviceOf('u'.repeat(256), 'a'.repeat(64)), {
      userAgent: 'u'.repeat(256),
      address: 'a'.repeat(64),
    });
    assert.deepEqual(deviceOf(undefined, 42), { userAgent: null, address: null });
    assert.deepEqual(deviceOf(['ua'], { ip: 1 }), { userAgent: null, address: null });
    assert.deepEqual(deviceOf('', ''), { userAgent: '', address: '' });
  });

  it('is stored under the reserved key tessera:device and read back unchanged', () => {
    assert.equal(DEVICE_KEY, 'tessera:device');
    const data: Record<string, string> = { views: '3' };
    encodeDevice(data, { userAgent: 'Firefox', address: '::1' });
    assert.deepEqual(Object.keys(data).sort(), ['tessera:device', 'views']);
    assert.equal(data.views, '3');
    assert.deepEqual(JSON.parse(data['tessera:device']!), { ua: 'Firefox', ip: '::1' });
    assert.deepEqual(decodeDevice(data), { userAgent: 'Firefox', address: '::1' });

    const none: Record<string, string> = {};
    encodeDevice(none, { userAgent: null, address: null });
    assert.deepEqual(decodeDevice(none), { userAgent: null, address: null });
  });

  it('decodeDevice answers null when nothing readable is recorded, and bounds what it reads', () => {
    assert.equal(decodeDevice({}), null);
    assert.equal(decodeDevice({ views: '3' }), null);
    assert.equal(decodeDevice({ [DEVICE_KEY]: '{not json' }), null);
    assert.equal(decodeDevice({ [DEVICE_KEY]: 'null' }), null);
    // A record from a foreign writer may hold a non-string there.
    const foreign = { [DEVICE_KEY]: 7 } as unknown as Record<string, string>;
    assert.equal(decodeDevice(foreign), null);
    assert.deepEqual(decodeDevice({ [DEVICE_KEY]: '{"ua":5,"ip":["x"]}' }), {
      userAgent: null,
      address: null,
    });
    assert.deepEqual(decodeDevice({ [DEVICE_KEY]: JSON.stringify({ ua: 'u'.repeat(999) }) }), {
      userAgent: 'u'.repeat(256),
      address: null,
    });
  });
});
