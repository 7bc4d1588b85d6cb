import { join } from "node:path";
import {
  modelStats,
  opportunities,
  rankModels,
  reviewerCalibration,
  taskPatterns,
  type Metric,
  type Rate,
  type Records,
  type Window,
} from "../../core/learning/analytics.ts";
import { Role } from "../../core/vocabulary/roles.ts";
import { InvalidInputError } from "../../core/errors.ts";
import { readRecords } from "../../core/learning/records.ts";
import { similarTasks, similarTasksText } from "../../core/learning/similar.ts";
import type { Output } from "../output.ts";
import { readFolder } from "../../adapters/github/state/branch-snapshot.ts";
import { FileStateStore } from "../../adapters/local/file-state-store.ts";

export type StatsView = "summary" | "optimize" | "rankings" | "model" | "reviewers" | "similar";

/** The learning records of a working directory (`.orchestrator/records/*.jsonl`). */
export async function localRecords(workingDir: string): Promise<Records> {
  const store = new FileStateStore({ directory: join(workingDir, ".orchestrator") });
  return readRecords(await store.recordFiles());
}

/**
 * The learning records of a repository's state branch, read through GitHub's API with a token
 * (`GITHUB_TOKEN` or `GH_TOKEN`; `GITHUB_API_URL` for GitHub Enterprise Server).
 */
export async function repoRecords(
  slug: string,
  env: Readonly<Record<string, string | undefined>>,
  branch = "orchestrator/state",
): Promise<Records> {
  const match = /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)$/.exec(slug);
  if (!match?.[1] || !match[2])
    throw new InvalidInputError("--repo", [
      { path: "--repo", message: `${slug} is not owner/name` },
    ]);
  const token = env["GITHUB_TOKEN"] ?? env["GH_TOKEN"];
  if (!token)
    throw new InvalidInputError("environment", [
      {
        path: "GITHUB_TOKEN",
        message: "set GITHUB_TOKEN (or GH_TOKEN) to a token that can read the repository",
      },
    ]);
  const { ProbotOctokit } = await import("probot");
  const github = new ProbotOctokit({
    auth: { token },
    ...(env["GITHUB_API_URL"] ? { baseUrl: env["GITHUB_API_URL"] } : {}),
    throttle: { enabled: false },
  });
  const files = await readFolder(
    github,
    { owner: match[1], repo: match[2] },
    branch,
    "records",
    ".jsonl",
  );
  return readRecords(files);
}

const pct = (r: Rate): string => (r.rate === null ? "–" : `${Math.round(r.rate * 100)} % (${r.n})`);
const usd = (x: number | null): string => (x === null ? "–" : `$${x.toFixed(4)}`);

/** `orchestrator stats …`: what the records say, for people or as JSON. */
export function stats(
  records: Records,
  view: StatsView,
  args: {
    readonly window: Window;
    readonly area?: string;
    readonly risk?: string;
    readonly model?: string;
    readonly metric?: Metric;
    /** `similar`: the goal to find past tasks like. */
    readonly goal?: string;
  },
  output: Output,
): number {
  const w = args.window;
  switch (view) {
    case "summary": {
      const outcomes: Record<string, number> = {};
      for (const t of records.tasks) outcomes[t.outcome] = (outcomes[t.outcome] ?? 0) + 1;
      const patterns = taskPatterns(records, w);
      const cost = records.tasks.reduce((s, t) => s + t.costUsd, 0);
      output.emit(
        {
          tasks: records.tasks.length,
          calls: records.calls.length,
          outcomes,
          costUsd: cost,
          patterns,
        },
        () =>
          [
            `Tasks: ${records.tasks.length} (${
              Object.entries(outcomes)
                .map(([o, n]) => `${o} ${n}`)
                .join(", ") || "none"
            }); calls: ${records.calls.length}; cost ${usd(cost)}`,
            ...patterns.map(
              (p) =>
                `  ${p.area}/${p.risk}: ${p.tasks} task(s), success ${pct(p.success)}, cost ${usd(p.cost.min)}–${usd(p.cost.max)} (median ${usd(p.cost.median)})${p.errors[0] ? `, most common stop: ${p.errors[0].type} (${p.errors[0].count})` : ""}`,
            ),
          ].join("\n"),
      );
      return 0;
    }
    case "optimize": {
      const found = opportunities(records, w);
      output.emit(found, () =>
        found.length > 0
          ? found.map((o) => `- ${o.text}`).join("\n")
          : "No cheaper model is known to do as well yet (each needs 10 tasks in a class).",
      );
      return 0;
    }
    case "rankings": {
      const inClass: Records = {
        tasks: records.tasks.filter(
          (t) => (!args.area || t.area === args.area) && (!args.risk || t.risk === args.risk),
        ),
        calls: records.calls.filter(
          (c) => (!args.area || c.area === args.area) && (!args.risk || c.risk === args.risk),
        ),
      };
      const all = modelStats(inClass, w);
      const metric = args.metric ?? "success";
      const ranked = Role.options.map((role) => ({ role, models: rankModels(all, role, metric) }));
      output.emit(
        ranked,
        () =>
          ranked
            .filter((r) => r.models.length > 0)
            .map(
              (r) =>
                `${r.role} by ${metric}:\n${r.models.map((m, i) => `  ${i + 1}. ${m.model}: success ${pct(m.success)}, first-pass review ${pct(m.firstPassReview)}, cost/task ${usd(m.costPerTask)}`).join("\n")}`,
            )
            .join("\n") || "No records for that class.",
      );
      return 0;
    }
    case "model": {
      const found = modelStats(records, w).filter((s) => s.model === args.model);
      if (found.length === 0)
        throw new InvalidInputError("stats model", [
          {
            path: args.model ?? "ID",
            message:
              "no records of this model in the window (`stats` lists the models that have some)",
          },
        ]);
      const efforts = modelStats(records, w, { byEffort: true }).filter(
        (s) => s.model === args.model,
      );
      output.emit(found, () =>
        [
          ...found.map(
            (s) =>
              `${s.model} as ${s.role}: ${s.tasks} task(s), ${s.calls} call(s); success ${pct(s.success)}; first-pass review ${pct(s.firstPassReview)}, gate ${pct(s.firstPassGate)}; malformed ${pct(s.malformed)}; fell back to ${pct(s.fallback)}; merged ${pct(s.merged)}; lines kept 30 days ${pct(s.linesKept)}; cost/task ${usd(s.costPerTask)}`,
          ),
          "By effort:",
          ...efforts.map(
            (s) =>
              `  ${s.role} at ${s.effort ?? "the provider's default"}: ${s.tasks} task(s), ${s.calls} call(s); success ${pct(s.success)}; cost/task ${usd(s.costPerTask)}`,
          ),
        ].join("\n"),
      );
      return 0;
    }
    case "similar": {
      const found = similarTasks(records.tasks, { goal: args.goal ?? "", area: args.area ?? "" });
      output.emit(found, () => similarTasksText(found));
      return 0;
    }
    case "reviewers": {
      const cal = reviewerCalibration(records, w);
      output.emit(
        cal,
        () =>
          cal
            .map(
              (c) =>
                `${c.model}: ${c.reviews} review(s), approves ${pct(c.approval)}, misses ${pct(c.misses)}, its change requests kept ${pct(c.changesKept)}${c.rubberStamp ? " — approves nearly everything: its approvals say little" : ""}`,
            )
            .join("\n") || "No code reviews recorded.",
      );
      return 0;
    }
  }
}
