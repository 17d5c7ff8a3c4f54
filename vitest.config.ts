import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Real processes and installs: `npm run test:integration` (vitest.integration.config.ts).
    exclude: ['tests/integration/**', '**/node_modules/**'],
    setupFiles: ['tests/setup.ts'],
    testTimeout: 30_000,
    pool: 'threads',
  },
});
