import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Git } from "../../src/adapters/git/git.ts";
import type { RepoConfig } from "../../src/config/schema.ts";
import {
  createLocalHost,
  loadRepoConfig,
  type LocalHost,
  type LocalHostOptions,
} from "../../src/cli/local-host.ts";
import { createSampleRepo, DEMO_DIR } from "../../src/cli/sample-repo.ts";
import type { TaskDefinition } from "../../src/core/task/definition.ts";
import { parseTasksFile } from "../../src/core/task/tasks-file.ts";
import type { Logger } from "../../src/ports/logger.ts";
import {
  parseCassette,
  type Cassette,
  type CassetteEntry,
} from "../../src/providers/replay/cassette.ts";
import { ReplayModels } from "../../src/providers/replay/replay-model.ts";

export const FIXED_NOW = Date.parse("2026-02-03T04:05:06.000Z");

export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};

export async function demoCassette(): Promise<Cassette> {
  const file = join(DEMO_DIR, "cassette.yaml");
  return parseCassette(await readFile(file, "utf8"), file);
}

export async function demoTask(): Promise<TaskDefinition> {
  const [task] = parseTasksFile(await readFile(join(DEMO_DIR, "tasks.yaml"), "utf8"));
  if (!task) throw new Error("demo has no task");
  return task;
}

export type Patch = Partial<CassetteEntry> & {
  role: string;
  step?: string | null;
  attempt?: number;
  turn?: number;
};

/** The demo cassette with some answers replaced or added. */
export async function cassetteWith(...patches: Patch[]): Promise<Cassette> {
  const base = await demoCassette();
  const calls = [...base.calls];
  for (const patch of patches) {
    const entry: CassetteEntry = {
      step: null,
      attempt: 1,
      turn: 0,
      text: "",
      tool_calls: [],
      ...patch,
    };
    const i = calls.findIndex(
      (c) =>
        c.role === entry.role &&
        c.step === entry.step &&
        c.attempt === entry.attempt &&
        c.turn === entry.turn,
    );
    if (i >= 0) calls[i] = entry;
    else calls.push(entry);
  }
  return { ...base, calls };
}

export interface Harness {
  readonly repo: string;
  readonly replay: ReplayModels;
  host(overrides?: Partial<LocalHostOptions>): Promise<LocalHost>;
}

/** A fresh copy of the sample repository and a replay model shared by every host made from it. */
export async function harness(cassette?: Cassette): Promise<Harness> {
  const repo = await createSampleRepo("orchestrator-test-");
  const replay = new ReplayModels(cassette ?? (await demoCassette()));
  return {
    repo,
    replay,
    host: (overrides = {}) =>
      createLocalHost({
        workingDir: repo,
        clients: replay.providers.map((p) => replay.client(p)),
        clock: { now: () => FIXED_NOW },
        logger: silentLogger,
        sleep: () => Promise.resolve(),
        random: () => 0.5,
        owner: "test-worker",
        ...overrides,
      }),
  };
}

/** Commits on a branch after `base`, oldest first, as `sha tree subject`. */
export async function branchLog(repo: string, base: string, branch: string): Promise<string[]> {
  const out = await new Git({ cwd: repo }).output([
    "log",
    "--reverse",
    "--format=%H %T %s",
    `${base}..${branch}`,
  ]);
  return out.trim().split("\n").filter(Boolean);
}

/**
 * The demo's gate is its test suite; here a one-line check of the same bug stands in for it
 * (red until the fixer's change, green after), so that ~100 runs take seconds, not minutes.
 */
export async function fastGate(repo: string): Promise<RepoConfig> {
  const config = await loadRepoConfig(repo);
  return {
    ...config,
    gate: {
      commands: [{ name: "test", run: "grep -q 'max - 1' src/truncate.js", timeout_seconds: 30 }],
    },
  };
}
