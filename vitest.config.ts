import { defineConfig } from "vitest/config";
import { LongestFirst } from "./test/setup/sequencer.ts";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // A timeout catches a hang, not a busy machine: a whole task takes 2 to 7 s on quiet cores
    // and several times that beside CPU-bound work (the replicas and CLI tests hit 30 s beside
    // other jobs). The crash proofs set their own, longer limits.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    typecheck: { enabled: false },
    // Tests spend much of their time waiting on git and loopback I/O: one worker more than the 2
    // cores keeps both busy (the whole run in 195 s against 213 s with 2 workers, same clone).
    maxWorkers: 3,
    // Test files share each worker's module graph: the SDKs and the engine are imported once per
    // worker instead of once per file (about 30 s of the run). Tests therefore leave no global
    // state behind: nock is cleaned after each test, environment changes are undone.
    isolate: false,
    globalSetup: ["test/setup/temp-dir.ts"],
    sequence: { sequencer: LongestFirst },
    // GitHub's workflow parser imports its schema JSON without an import attribute (it is built
    // for bundlers): vite transforms it.
    server: { deps: { inline: ["@actions/workflow-parser"] } },
    setupFiles: ["test/setup/span-context.ts"],
  },
});
