import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Git } from "../../src/adapters/git/git.ts";
import type { Logger } from "../../src/ports/logger.ts";
import { appHarness, type AppHarness } from "../fakes/app-harness.ts";
import { INSTALLATION_TOKEN } from "../fakes/fake-github.ts";
import { demoCassette } from "../fakes/harness.ts";

// Canaries: shaped like real credentials, valid nowhere.
const PROVIDER_KEY = `sk-ant-api03-${"c".repeat(80)}AA`;
const AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYCANARYKEY1";
const CANARIES = [
  PROVIDER_KEY,
  `ghs_12345_${"d".repeat(40)}`,
  `ghp_${"e".repeat(36)}`,
  `github_pat_11AAAA_${"f".repeat(59)}`,
  `gho_${"g".repeat(36)}`,
  `ghs_${"h".repeat(36)}`,
  "ghs_12345_eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIxMjM0NSIsImV4cCI6MTcwMH0.c2lnbmF0dXJlLXBhcnQtaGVyZQ",
  "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAcanary\n-----END RSA PRIVATE KEY-----",
  AWS_SECRET,
];

let h: AppHarness | undefined;
afterEach(() => {
  h?.stop();
  h = undefined;
});

describe("secrets on GitHub", () => {
  it("never appear in comments, the pull request, check runs, the state branch, commits, logs or prompts", async () => {
    const cassette = await demoCassette();
    const leak = CANARIES.map((c) => (c === AWS_SECRET ? `aws_secret_access_key=${c}` : c)).join(
      " ",
    );
    const calls = cassette.calls.map((c) => {
      if (c.role === "planner")
        return { ...c, object: { ...(c.object as object), summary: `Plan. Debug: ${leak}` } };
      if (c.role === "implementer" && c.step === "S1" && c.turn === 1)
        return { ...c, tool_calls: [{ name: "finish", input: { summary: `Added it. ${leak}` } }] };
      if (c.role === "code_reviewer" && c.step === "S1" && c.attempt === 1)
        return { ...c, object: { ...(c.object as object), required_changes: [`Remove ${leak}`] } };
      return c;
    });
    const lines: string[] = [];
    const logger: Logger = {
      debug: (m, s) => lines.push(s + JSON.stringify(m)),
      info: (m, s) => lines.push(s + JSON.stringify(m)),
      warn: (m, s) => lines.push(s + JSON.stringify(m)),
      error: (m, s) => lines.push(s + JSON.stringify(m)),
      child: () => logger,
    };
    h = await appHarness({
      cassette: { ...cassette, calls },
      overrides: { secrets: [PROVIDER_KEY], logger },
    });
    await h.deliver("issues", h.labeled());

    const seen: string[] = [
      ...h.github.comments.map((c) => c.body),
      ...h.github.pulls.map((p) => `${p.title}\n${p.body}`),
      ...h.github.checkRuns.map((r) => JSON.stringify(r.output)),
      ...[...h.github.trees.values()].flatMap((tree) => [...tree.values()]),
      await new Git({ cwd: h.bare, gitDir: h.bare }).output(["log", "--all", "--format=%B%n%N"]),
      ...lines,
    ];
    expect(seen.join("\n")).toContain("[REDACTED]");
    for (const canary of [...CANARIES, INSTALLATION_TOKEN]) {
      expect(
        seen.filter((text) => text.includes(canary)),
        canary.slice(0, 12),
      ).toEqual([]);
    }
    expect(JSON.stringify(h.replay.requests)).not.toContain(INSTALLATION_TOKEN);
  });

  it("the installation token is not left in any clone's git config", async () => {
    h = await appHarness();
    await h.deliver("issues", h.labeled());
    const configs: string[] = [];
    // A git directory is wherever a `config` sits beside a `HEAD`.
    const walk = async (dir: string): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true });
      const names = new Set(entries.map((e) => e.name));
      for (const entry of entries) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) await walk(path);
        else if (entry.name === "config" && names.has("HEAD"))
          configs.push(await readFile(path, "utf8"));
      }
    };
    await walk(h.workDir);
    expect(configs.length).toBeGreaterThan(0);
    const basic = Buffer.from(`x-access-token:${INSTALLATION_TOKEN}`).toString("base64");
    for (const config of configs) {
      expect(config).not.toContain(INSTALLATION_TOKEN);
      expect(config).not.toContain(basic);
      expect(config).not.toMatch(/extraheader/i);
    }
  });
});
