import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    typecheck: { enabled: false },
    globalSetup: ["test/setup/temp-dir.ts"],
    setupFiles: ["test/setup/span-context.ts"],
  },
});
