/**
 * `tesserajs/nest` over real HTTP: the shared adapter contract on Nest's Express platform
 * and on its Fastify platform.
 */
import { describe } from 'node:test';
import { runAdapterContract } from './contract.js';
import { PLATFORMS, startNestContractApp } from './nest-apps.js';

for (const platform of PLATFORMS) {
  describe(`tesserajs/nest on the ${platform} platform`, { timeout: 300_000 }, () => {
    runAdapterContract(`nest 11 (${platform})`, (options) =>
      startNestContractApp(platform, options),
    );
  });
}
