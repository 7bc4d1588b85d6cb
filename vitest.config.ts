import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    typecheck: { enabled: false },
    // Tests spend much of their time waiting on git and loopback I/O: one worker per core (the
    // default leaves one core idle) keeps both cores busy.
    maxWorkers: 2,
    globalSetup: ["test/setup/temp-dir.ts"],
    setupFiles: ["test/setup/span-context.ts"],
  },
});
