import { defineConfig } from 'vitest/config';

/**
 * `npm run test:integration`: the editor test, the ESLint version matrix and the CI recipes.
 * They start real processes (a language server, the eslint CLI, npm), so files run one at a
 * time with generous timeouts; each file kills its children and removes its temp dirs.
 */
export default defineConfig({
  test: {
    include: ['tests/integration/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 600_000,
    fileParallelism: false,
    pool: 'forks',
    teardownTimeout: 30_000,
  },
});
