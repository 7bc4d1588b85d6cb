import { generateKeyPairSync } from "node:crypto";
import { mkdtemp } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Probot, ProbotOctokit } from "probot";
import { pino } from "pino";
import { Git } from "../../src/adapters/git/git.ts";
import { loadPrompts, PROMPTS_DIR } from "../../src/adapters/local/prompt-files.ts";
import { createApp, type OrchestratorApp } from "../../src/app/app.ts";
import type { AppOptions } from "../../src/app/options.ts";
import { createSampleRepo } from "../../src/cli/sample-repo.ts";
import { shippedModels } from "../../src/config/models.ts";
import { appPrivateKey } from "../../src/config/private-key.ts";
import type { Cassette } from "../../src/providers/replay/cassette.ts";
import { ReplayModels } from "../../src/providers/replay/replay-model.ts";
import { FakeGitHub } from "./fake-github.ts";
import { demoCassette, FIXED_NOW, silentLogger } from "./harness.ts";
import { metrics, trace } from "@opentelemetry/api";

const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as {
  name: string;
  examples: Record<string, unknown>[];
}[];

/** A real payload from `@octokit/webhooks-examples`, with our repository and the given fields. */
export function example(
  name: string,
  action: string,
  github: FakeGitHub,
  patch: Record<string, unknown>,
): Record<string, unknown> {
  const found = examples.find((e) => e.name === name)?.examples.find((e) => e["action"] === action);
  if (!found) throw new Error(`no example for ${name}.${action}`);
  const payload = structuredClone(found);
  const repository = payload["repository"] as Record<string, unknown>;
  payload["repository"] = {
    ...repository,
    name: github.repo,
    full_name: `${github.owner}/${github.repo}`,
    default_branch: github.defaultBranch,
    owner: { ...(repository["owner"] as object), login: github.owner },
  };
  payload["installation"] = { id: 1, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==" };
  return { ...payload, ...patch };
}

export const TEXT_ISSUE = {
  number: 42,
  title: "Add a truncate helper",
  body: [
    "### Goal",
    "",
    'Add a truncate(text, max) helper that shortens text to at most max characters, ending with "…" when it cuts. Export it from src/index.js, test it, and document it in the README.',
    "",
    "### Risk",
    "",
    "medium",
    "",
    "### Area",
    "",
    "core",
    "",
    "### Complexity",
    "",
    "small",
    "",
    "### Context files",
    "",
    "src/index.js",
    "src/slugify.js",
    "README.md",
    "",
    "### Constraints",
    "",
    "- ZERO-WARNINGS",
    "- No new dependencies",
  ].join("\n"),
};

export interface AppHarness {
  readonly workDir: string;
  readonly github: FakeGitHub;
  readonly bare: string;
  readonly replay: ReplayModels;
  readonly probot: Probot;
  readonly app: OrchestratorApp;
  /** Delivers a webhook and waits until its work is done. */
  deliver(name: string, payload: Record<string, unknown>, id?: string): Promise<void>;
  labeled(sender?: string, label?: string): Record<string, unknown>;
  comment(body: string, sender?: string): Record<string, unknown>;
  checkSuite(sha: string, branch: string): Record<string, unknown>;
  /** `workflow_run.completed` for a run on a head. */
  workflowRun(sha: string, branch: string): Record<string, unknown>;
  /** `pull_request.closed` for a pull request of the fake, merged or not. */
  pullClosed(
    pull: number,
    branch: string,
    merge: { merged: boolean; merge_commit_sha?: string },
  ): Record<string, unknown>;
  /** `pull_request_review_comment.created` for a comment of a review made with `github.submitReview`. */
  reviewComment(
    comment: { id: number; review: number; pull: number; user: { login: string } },
    branch: string,
  ): Record<string, unknown>;
  /** `pull_request_review.submitted` for a review made with `github.submitReview`. */
  reviewed(
    review: { id: number; pull: number; user: { login: string } },
    branch: string,
  ): Record<string, unknown>;
  /** The head of a branch in the bare repository, or null. */
  head(branch: string): Promise<string | null>;
  stop(): void;
}

let deliveries = 0;
let key: string | undefined;

/**
 * The App's private key: a PKCS#1 PEM as GitHub hands out, read as the App's start reads it. Made
 * once per worker (2048-bit RSA takes ~70 ms, and crash proofs start hundreds of workers).
 */
function appKey(): string {
  key ??=
    appPrivateKey(
      {
        PRIVATE_KEY: generateKeyPairSync("rsa", {
          modulusLength: 2048,
          privateKeyEncoding: { type: "pkcs1", format: "pem" },
          publicKeyEncoding: { type: "spki", format: "pem" },
        }).privateKey,
      },
      tmpdir(),
    ) ?? undefined;
  if (key === undefined) throw new Error("no App key");
  return key;
}

/** A fake GitHub with the demo issue and a bare repository holding the sample code. */
export async function githubWorld(): Promise<{ github: FakeGitHub; bare: string }> {
  const github = new FakeGitHub().start();
  github.permissions.set("maintainer", "maintain");
  github.permissions.set("triager", "triage");
  github.issues.set(TEXT_ISSUE.number, {
    title: TEXT_ISSUE.title,
    body: TEXT_ISSUE.body,
    labels: new Set(),
    events: [],
  });
  const sample = await createSampleRepo("app-sample-");
  const bare = join(await mkdtemp(join(tmpdir(), "app-bare-")), "textkit.git");
  await new Git({ cwd: tmpdir(), protocols: ["file"] }).run([
    "clone",
    "--quiet",
    "--bare",
    sample,
    bare,
  ]);
  github.git = (args) => new Git({ cwd: tmpdir(), gitDir: bare }).output([...args]);
  github.branchHead = (branch) =>
    new Git({ cwd: tmpdir(), gitDir: bare })
      .output(["rev-parse", "--verify", "--quiet", `refs/heads/${branch}`])
      .then((out) => out.trim() || null)
      .catch(() => null);
  return { github, bare };
}

/** The options a test worker runs with: replay models, a fixed clock, no waiting. */
export async function testAppOptions(options: {
  replay: ReplayModels;
  workDir: string;
  bare: string;
}): Promise<AppOptions> {
  return {
    appId: 1,
    clients: options.replay.providers.map((p) => options.replay.client(p)),
    secrets: [],
    webHost: "github.com",
    prompts: await loadPrompts(PROMPTS_DIR),
    models: shippedModels(),
    clock: { now: () => FIXED_NOW },
    logger: silentLogger,
    tracer: trace.getTracer("test"),
    meter: metrics.getMeter("test"),
    sleep: () => Promise.resolve(),
    random: () => 0.5,
    workDir: options.workDir,
    cloneUrl: () => options.bare,
    owner: "worker-1",
    leaseMs: 60_000,
    queue: { perInstallation: 2, overall: 4 },
    statusDebounceMs: 10_000,
    sweepIntervalMs: 0,
    takeTurns: false,
  };
}

/** One app worker (a Probot process) over a shared world; a new one stands for a restart. */
export async function appHarness(
  options: {
    cassette?: Cassette;
    world?: { github: FakeGitHub; bare: string };
    overrides?: Partial<AppOptions>;
    replay?: ReplayModels;
    /** How this worker's GitHub requests are sent (a test can cut one worker off). */
    fetch?: typeof fetch;
  } = {},
): Promise<AppHarness> {
  const { github, bare } = options.world ?? (await githubWorld());
  const replay = options.replay ?? new ReplayModels(options.cassette ?? (await demoCassette()));
  const workDir = await mkdtemp(join(tmpdir(), "app-work-"));
  const privateKey = appKey();
  const probot = new Probot({
    appId: 1,
    privateKey,
    secret: "webhook-secret",
    log: pino({ level: "silent" }),
    // A function default is applied last, after Probot's own throttle options.
    Octokit: ProbotOctokit.defaults((defaults: { request?: object }) => ({
      ...defaults,
      retry: { enabled: false },
      throttle: { enabled: false },
      ...(options.fetch ? { request: { ...defaults.request, fetch: options.fetch } } : {}),
    })),
  });
  const app = createApp({
    ...(await testAppOptions({ replay, workDir, bare })),
    ...options.overrides,
  });
  await probot.load(app.appFn);
  await app.queue.idle();
  return {
    workDir,
    github,
    bare,
    replay,
    probot,
    app,
    async deliver(name, payload, id) {
      await probot.receive({ id: id ?? `delivery-${++deliveries}`, name, payload } as never);
      await app.queue.idle();
    },
    labeled: (sender = "maintainer", label = "orchestrate") => {
      const issue = github.issues.get(TEXT_ISSUE.number);
      if (issue && !issue.labels.has(label)) {
        issue.labels.add(label);
        issue.events.push({
          event: "labeled",
          label: { name: label },
          actor: { login: sender, type: "User" },
          created_at: github.tick(),
        });
      }
      return example("issues", "labeled", github, {
        label: {
          id: 1,
          name: label,
          color: "ededed",
          default: false,
          description: null,
          node_id: "L",
          url: "",
        },
        issue: {
          ...(example("issues", "labeled", github, {})["issue"] as object),
          number: TEXT_ISSUE.number,
          title: TEXT_ISSUE.title,
          body: TEXT_ISSUE.body,
          labels: [{ name: label }],
          pull_request: undefined,
        },
        sender: { login: sender, type: "User", id: 7 },
      });
    },
    comment: (body, sender = "maintainer") => {
      const base = example("issue_comment", "created", github, {});
      // Written now, on GitHub's clock, as GitHub would number and date it.
      const comment = {
        id: github.nextId(),
        issue: TEXT_ISSUE.number,
        body,
        created_at: github.tick(),
        user: { login: sender, type: "User" },
        performed_via_github_app: null,
        reactions: [],
      };
      github.comments.push(comment);
      return {
        ...base,
        issue: { ...(base["issue"] as object), number: TEXT_ISSUE.number, pull_request: undefined },
        comment: {
          ...(base["comment"] as object),
          id: comment.id,
          body,
          created_at: comment.created_at,
          user: comment.user,
          performed_via_github_app: null,
        },
        sender: { login: sender, type: "User", id: 7 },
      };
    },
    reviewComment: (comment, branch) => {
      const base = example("pull_request_review_comment", "created", github, {});
      return {
        ...base,
        comment: {
          ...(base["comment"] as object),
          id: comment.id,
          pull_request_review_id: comment.review,
          user: { ...(base["comment"] as { user: object }).user, login: comment.user.login },
        },
        pull_request: {
          ...(base["pull_request"] as object),
          number: comment.pull,
          head: { ...(base["pull_request"] as { head: object }).head, ref: branch },
        },
        sender: { ...(base["sender"] as object), login: comment.user.login, type: "User" },
      };
    },
    reviewed: (review, branch) => {
      const base = example("pull_request_review", "submitted", github, {});
      return {
        ...base,
        review: {
          ...(base["review"] as object),
          id: review.id,
          user: { ...(base["review"] as { user: object }).user, login: review.user.login },
        },
        pull_request: {
          ...(base["pull_request"] as object),
          number: review.pull,
          head: { ...(base["pull_request"] as { head: object }).head, ref: branch },
        },
        sender: { ...(base["sender"] as object), login: review.user.login, type: "User" },
      };
    },
    checkSuite: (sha, branch) => {
      const base = example("check_suite", "completed", github, {});
      return {
        ...base,
        check_suite: {
          ...(base["check_suite"] as object),
          head_sha: sha,
          head_branch: branch,
          status: "completed",
        },
      };
    },
    workflowRun: (sha, branch) => {
      const base = example("workflow_run", "completed", github, {});
      return {
        ...base,
        workflow_run: {
          ...(base["workflow_run"] as object),
          head_sha: sha,
          head_branch: branch,
          conclusion: "success",
        },
      };
    },
    pullClosed: (pull, branch, merge) => {
      const base = example("pull_request", "closed", github, {});
      return {
        ...base,
        pull_request: {
          ...(base["pull_request"] as object),
          number: pull,
          merge_commit_sha: null,
          ...merge,
          head: { ...(base["pull_request"] as { head: object }).head, ref: branch },
        },
      };
    },
    async head(branch) {
      const out = await new Git({ cwd: tmpdir(), gitDir: bare })
        .output(["rev-parse", "--verify", "--quiet", `refs/heads/${branch}`])
        .catch(() => "");
      return out.split(/\s/)[0] || null;
    },
    stop: () => {
      github.stop();
    },
  };
}
