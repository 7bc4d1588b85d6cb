import { readFile } from "node:fs/promises";
import { describe, expect, it, vi } from "vitest";
import { gitEnvironment } from "../../src/adapters/git/environment.ts";
import { userEnvironment } from "../../src/adapters/local/user-environment.ts";
import { ChecksGate } from "../../src/adapters/github/repository/checks-gate.ts";
import { issueServices } from "../../src/app/repo-services.ts";
import { GitHubIssueTracker } from "../../src/adapters/github/repository/issue-tracker.ts";
import { IMPLEMENTER_TOOLS } from "../../src/engine/agents/tools.ts";
import { AppRepoConfig } from "../../src/config/app-config.ts";
import { tmpdir } from "node:os";
import { ReplayModels } from "../../src/providers/replay/replay-model.ts";
import { testAppOptions } from "../fakes/app-harness.ts";
import { demoCassette } from "../fakes/harness.ts";

/**
 * The Rule of Two (docs/architecture.md, Security): the implementer sees untrusted text and
 * writes code, so it holds no secret and has no network; the process that holds secrets never
 * executes repository content. The hostile-repository tests show the second half under attack;
 * these pin down the structure that makes both true.
 */
describe("the Rule of Two", () => {
  it("the implementer's only tools read and write files of its work tree: no command, no network", () => {
    expect(IMPLEMENTER_TOOLS.map((t) => t.name).sort()).toEqual(
      [
        "create_file",
        "delete_file",
        "edit_file",
        "finish",
        "list_files",
        "read_file",
        "search",
        "write_file",
      ].sort(),
    );
  });

  it("git and the commands the local gate runs never receive the process's secrets", () => {
    const canaries = {
      ANTHROPIC_API_KEY: "sk-ant-canary",
      PRIVATE_KEY: "-----BEGIN RSA PRIVATE KEY-----",
      WEBHOOK_SECRET: "canary",
      GITHUB_TOKEN: "ghs_canary",
      GOOGLE_APPLICATION_CREDENTIALS: "/secrets/key.json",
    };
    try {
      for (const [name, value] of Object.entries(canaries)) vi.stubEnv(name, value);
      const git = JSON.stringify(gitEnvironment({ gitDir: "/g", workTree: "/t" }));
      const gate = JSON.stringify(userEnvironment(process.env));
      for (const env of [git, gate])
        for (const name of [
          "ANTHROPIC_API_KEY",
          "PRIVATE_KEY",
          "WEBHOOK_SECRET",
          "GITHUB_TOKEN",
          "GOOGLE_APPLICATION_CREDENTIALS",
        ])
          expect(env).not.toContain(name);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("on GitHub the gate is the repository's CI: the App runs no repository command itself", async () => {
    const options = await testAppOptions({
      replay: new ReplayModels(await demoCassette()),
      workDir: tmpdir(),
      bare: tmpdir(),
    });
    const tracker = new GitHubIssueTracker({
      github: {} as never,
      repo: { owner: "o", repo: "r" },
      issue: 1,
      appId: 1,
      now: () => 0,
    });
    const services = issueServices(
      options,
      {
        github: {} as never,
        repo: { owner: "o", repo: "r" },
        defaultBranch: "main",
        config: AppRepoConfig.parse({}),
      },
      1,
      tracker,
    );
    expect(services.gate).toBeInstanceOf(ChecksGate);
  });

  it("the App gives the implementer no run tool: nothing of the App host reaches a sandbox", async () => {
    const { readdir } = await import("node:fs/promises");
    const root = new URL("../../src/app/", import.meta.url);
    const files = (await readdir(root, { recursive: true })).filter((f) => f.endsWith(".ts"));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const text = await readFile(new URL(file, root), "utf8");
      expect(text, file).not.toMatch(/adapters\/sandbox|ports\/sandbox|\bsandbox\s*:/);
    }
  });

  it("the App's image runs as an unprivileged user", async () => {
    const dockerfile = await readFile(new URL("../../Dockerfile", import.meta.url), "utf8");
    const user = dockerfile.indexOf("\nUSER node");
    expect(user).toBeGreaterThan(0);
    expect(dockerfile.indexOf("\nCMD ")).toBeGreaterThan(user);
  });
});
