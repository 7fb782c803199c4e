/** Per-test options: a store that hangs fails the test instead of stalling the run. */
export const TEST_OPTIONS = { timeout: 15_000 } as const;
