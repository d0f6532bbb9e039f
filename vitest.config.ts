import os from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // The memory tests measure live heap after a forced collection.
    execArgv: ['--expose-gc'],
    // Two files at once even on two cores (vitest's default is one fewer than the cores): many
    // files spend most of their time waiting on the programs and servers they start.
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
