// StrykerJS (`npm run mutation`): mutates the sources of src/crypto, src/cookies and
// src/session and runs the unit tests beside them under node's test runner (TAP through
// tsx). MUTATION_FOLDERS=cookies narrows a run to one folder and its own tests.
const folders = (process.env.MUTATION_FOLDERS ?? 'crypto,cookies,session').split(',');

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'tap',
  tap: {
    testFiles: folders.map((folder) => `src/${folder}/**/*.test.ts`),
    nodeArgs: ['--import', 'tsx'],
    forceBail: true,
  },
  // The tap runner records coverage per test file: a mutant runs only the files reaching it.
  coverageAnalysis: 'perTest',
  mutate: [
    ...folders.map((folder) => `src/${folder}/**/*.ts`),
    '!src/**/*.test.ts',
    '!src/**/index.ts',
    // Type declarations only: nothing to mutate.
    '!src/session/events.ts',
    '!src/session/strategy.ts',
  ],
  concurrency: 2,
  timeoutMS: 10000,
  timeoutFactor: 2,
  tempDirName: '.stryker-tmp',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 85, break: null },
};
