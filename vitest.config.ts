import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: e2e tests spawn the built CLI and emulator processes.
    maxWorkers: 2,
  },
});
