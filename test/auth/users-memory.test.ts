/**
 * The in-memory user repository: the conformance suite, then what only it has (its
 * injected clock, the size counter).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { memoryUsers } from '../../src/auth/index.js';
import { randomEmail, runUserRepositoryConformance } from '../../src/testing/index.js';

runUserRepositoryConformance({ name: 'memory', create: async () => memoryUsers() });

describe('memory user repository', { timeout: 60_000 }, () => {
  it('takes its instants from the clock, in whole milliseconds', async () => {
    let now = 1_000.7;
    const users = memoryUsers({ clock: () => now });
    const user = await users.create({ email: randomEmail(), passwordHash: 'h' });
    assert.equal(user.createdAt, 1_000);
    now = 5_000;
    await users.updatePasswordHash(user.id, 'h2');
    const found = await users.findById(user.id);
    assert.equal(found?.createdAt, 1_000);
    assert.equal(found?.updatedAt, 5_000);
    assert.equal(users.size, 1);
    await users.delete(user.id);
    assert.equal(users.size, 0);
  });

  it('records are frozen', async () => {
    const users = memoryUsers();
    const user = await users.create({ email: randomEmail(), passwordHash: 'h' });
    assert.ok(Object.isFrozen(user));
    assert.ok(Object.isFrozen(await users.findById(user.id)));
  });
});
