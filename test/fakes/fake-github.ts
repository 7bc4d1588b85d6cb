import { parsePatch } from "diff";
import { createHash } from "node:crypto";
import nock from "nock";
import { gitBlobSha } from "../../src/adapters/github/state/git-blob-sha.ts";
import { documentedResponse, example, graphqlProblems, requestProblems } from "./openapi.ts";

export const API = "https://api.github.com";
/** Where GitHub's redirect for a job log points (short-lived signed blob addresses). */
export const LOG_HOST = "https://productionresultssa0.blob.core.windows.net";

type Answer = [number, unknown] | [number, unknown, Record<string, string>];
/** The installed repository's id; the installation's other repositories follow it. */
export const REPOSITORY_ID = 812_345_678;

export const INSTALLATION_TOKEN = `ghs_${"T".repeat(36)}`;

interface Comment {
  id: number;
  issue: number;
  body: string;
  created_at: string;
  user: { login: string; type: string };
  performed_via_github_app: { id: number } | null;
  reactions: string[];
}
interface Pull {
  number: number;
  node_id: string;
  head: string;
  base: string;
  title: string;
  body: string;
  draft: boolean;
  state: "open" | "closed";
}
interface CheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  external_id: string | null;
  app: { slug: string };
  output: { title: string | null; summary: string | null; text: string | null };
  started_at: string;
  completed_at: string | null;
  details_url?: string;
}
interface Review {
  id: number;
  pull: number;
  user: { login: string; type: string };
  body: string;
  state: string;
  commit_id: string;
}
interface ReviewComment {
  id: number;
  pull: number;
  review: number;
  path: string;
  line: number;
  body: string;
  user: { login: string; type: string };
  in_reply_to_id: number | null;
}
/** A GitHub Actions workflow run and its jobs (a job's id is its check run's id). */
interface WorkflowRun {
  id: number;
  workflow_id: number;
  name: string;
  head_sha: string;
  head_branch: string;
  run_attempt: number;
  jobs: number[];
}
interface Commit {
  tree: string;
  parents: string[];
  message: string;
}

interface CommitInput {
  branch: { repositoryNameWithOwner: string; branchName: string };
  expectedHeadOid: string;
  message: { headline: string };
  fileChanges: {
    additions?: { path: string; contents: string }[];
    deletions?: { path: string }[];
  };
}

export interface Recorded {
  readonly method: string;
  readonly path: string;
  /** The query string, with its `?`, or "". */
  readonly query: string;
  /** For GraphQL: the operation (`createCommitOnBranch`, `repository`, …). */
  readonly operation?: string;
  /** Whether it changes anything: every method but GET, except GraphQL queries. */
  readonly write: boolean;
}

/** The first field a GraphQL document selects: the operation a request performs. */
function graphqlOperation(body: Record<string, unknown>): string {
  const query = typeof body["query"] === "string" ? body["query"] : "";
  // A named operation by its name, otherwise by its first field.
  return (
    /^\s*(?:query|mutation)\s+([A-Za-z]+)/.exec(query)?.[1] ??
    /\{\s*([A-Za-z]+)/.exec(query)?.[1] ??
    "unknown"
  );
}

/** A string field of a request body, or the fallback. */
const text = (value: unknown, fallback = ""): string =>
  typeof value === "string" ? value : fallback;

const sha1 = (value: unknown): string =>
  createHash("sha1").update(JSON.stringify(value)).digest("hex");

/**
 * A stateful GitHub on nock for one repository: issues, comments, reactions, labels, refs and git
 * data (for the state branch), contents, pulls, check runs, permissions, installation tokens,
 * GraphQL's ready-for-review. Every request is recorded; anything it does not know fails the test.
 */
export class FakeGitHub {
  readonly owner: string;
  readonly repo: string;
  readonly defaultBranch = "main";
  /** The App's slug (`GET /app`) and its bot user's id (`GET /users/<slug>[bot]`). */
  readonly appSlug = "orchestrator-test";
  readonly botUserId = 41_000_001;
  readonly requests: Recorded[] = [];
  readonly unknown: string[] = [];
  readonly files = new Map<string, string>();
  readonly permissions = new Map<string, string>();
  readonly issues = new Map<
    number,
    {
      title: string;
      body: string;
      labels: Set<string>;
      events: {
        event: string;
        label: { name: string };
        actor: { login: string; type: string };
        created_at?: string;
      }[];
      /** When the body was last edited (GraphQL `lastEditedAt`). */
      lastEditedAt?: string | null;
    }
  >();
  readonly comments: Comment[] = [];
  readonly pulls: Pull[] = [];
  readonly checkRuns: CheckRun[] = [];
  readonly workflowRuns: WorkflowRun[] = [];
  readonly reviews: Review[] = [];
  /** Other repositories of the installation: listed, and their state branches' files readable through GraphQL. */
  readonly otherRepositories: { name: string; files: Map<string, string> }[] = [];
  readonly reviewComments: ReviewComment[] = [];
  readonly threads: { id: string; pull: number; comments: number[]; resolved: boolean }[] = [];
  /** Job logs by job id, as the runner wrote them. */
  readonly jobLogs = new Map<number, string>();
  /** Workflow runs whose failed jobs were asked to run again, in order. */
  readonly reruns: number[] = [];
  /** Where a branch of the repository's git points (the test's bare repository), for pull request heads. */
  branchHead: (branch: string) => Promise<string | null> = () => Promise.resolve(null);
  /** Runs git in the test's bare repository (pull request files, blame); none: those are empty. */
  git: ((args: readonly string[]) => Promise<string>) | null = null;
  /** Merge commits of merged pull requests, by number (set by the test that merges). */
  readonly merges = new Map<number, string>();
  /** When set, listing a pull request's files fails with this status (GitHub having a bad day). */
  pullFilesFailure: number | null = null;
  /** Whether the installation granted Actions (write); without it re-runs are refused. */
  actionsWrite = true;
  /** The Authorization header of each log download at the log host (there should be none). */
  readonly logHostAuthorization: (string | null)[] = [];
  readonly trees = new Map<string, Map<string, string>>();
  readonly commits = new Map<string, Commit>();
  readonly refs = new Map<string, string>();
  /** Called before a `PATCH git/refs` is applied, to let a test move the ref first. */
  beforeRefUpdate: (() => void) | null = null;
  /** Writes left before the worker "dies": later requests fail until `revive()`. */
  writesLeft: number | null = null;
  dead = false;
  /** GETs answered 304 Not Modified (they do not count against the rate limit). */
  notModified = 0;
  /** Requests or answers that do not match GitHub's published API description. */
  readonly violations: string[] = [];
  #started = false;
  #ids = 100;
  #clock = Date.parse("2026-02-03T04:05:06Z");

  constructor(options: { owner?: string; repo?: string } = {}) {
    this.owner = options.owner ?? "octo-org";
    this.repo = options.repo ?? "textkit";
  }

  /** Starts answering; call `stop()` after the test. */
  start(): this {
    if (this.#started) return this;
    this.#started = true;
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
    for (const method of ["GET", "POST", "PATCH", "PUT", "DELETE"]) {
      nock(API)
        .persist()
        .intercept(/.*/, method)
        .reply(async (request: Request) => {
          const url = new URL(request.url);
          const text = method === "GET" || method === "DELETE" ? "" : await request.text();
          const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
          if (this.dead) return [503, { message: "the worker is gone" }];
          const graphql = url.pathname === "/graphql";
          const write = graphql ? /^\s*mutation\b/.test(String(body["query"])) : method !== "GET";
          this.requests.push({
            method,
            path: url.pathname,
            query: url.search,
            write,
            ...(graphql ? { operation: graphqlOperation(body) } : {}),
          });
          const checked = graphql
            ? {
                operation: null,
                problems: graphqlProblems(typeof body["query"] === "string" ? body["query"] : ""),
              }
            : requestProblems(method, url, text ? body : undefined);
          this.violations.push(...checked.problems);
          let answer =
            method === "GET" && /\/pulls\/\d+$/.test(url.pathname)
              ? await this.#pullRead(url.pathname)
              : method === "GET" &&
                  url.pathname.startsWith(`/repos/${this.owner}/${this.repo}/git/ref/`)
                ? await this.#ref(url.pathname)
                : method === "GET" && /\/pulls\/\d+\/files$/.test(url.pathname)
                  ? await this.#pullFiles(url.pathname)
                  : method === "POST" &&
                      /\/pulls\/\d+\/reviews$/.test(url.pathname) &&
                      Array.isArray(body["comments"])
                    ? await this.#reviewWithComments(url.pathname, body)
                    : graphql && String(body["query"]).includes("blame(")
                      ? await this.#blame(body)
                      : this.#route(method, url, body, request.headers.get("authorization") ?? "");
          // GitHub's errors say where to read more.
          if (answer && answer[0] >= 400 && typeof answer[1] === "object" && answer[1] !== null)
            answer = [
              answer[0],
              { documentation_url: "https://docs.github.com/rest", ...answer[1] },
            ];
          // GitHub answers any operation this way when the installation lacks the permission it
          // needs ("Resource not accessible by integration"); the description lists it for few.
          const missingPermission =
            answer?.[0] === 403 &&
            JSON.stringify(answer[1]).includes("not accessible by integration");
          if (answer && checked.operation && !missingPermission) {
            const documented = documentedResponse(checked.operation, answer[0], answer[1]);
            this.violations.push(...documented.problems);
            answer = answer[2]
              ? [answer[0], documented.body, answer[2]]
              : [answer[0], documented.body];
          }
          if (
            answer &&
            write &&
            answer[0] < 300 &&
            this.writesLeft !== null &&
            --this.writesLeft <= 0
          )
            this.dead = true;
          if (!answer) {
            this.unknown.push(`${method} ${url.pathname}${url.search}`);
            return [501, { message: `fake GitHub has no route for ${method} ${url.pathname}` }];
          }
          // Like GitHub: GET answers carry an ETag, and a matching If-None-Match gets 304.
          if (method === "GET" && answer[0] === 200) {
            const etag = `W/"${sha1(answer[1])}"`;
            if (request.headers.get("if-none-match") === etag) {
              this.notModified += 1;
              return [304, ""];
            }
            return [200, answer[1], { etag }];
          }
          return answer;
        });
    }
    nock(LOG_HOST)
      .persist()
      .get(/^\/logs\/\d+/)
      .reply((request: Request) => {
        this.logHostAuthorization.push(request.headers.get("authorization"));
        const id = Number(/\/logs\/(\d+)/.exec(new URL(request.url).pathname)?.[1]);
        const log = this.jobLogs.get(id);
        return log === undefined
          ? [404, "BlobNotFound"]
          : [200, log, { "content-type": "text/plain; charset=utf-8" }];
      });
    return this;
  }

  /** A fresh id, larger than every id given before (GitHub's ids grow with time). */
  nextId(): number {
    return ++this.#ids;
  }

  /** GitHub's clock: one second later at each call, so creation times are ordered. */
  tick(): string {
    this.#clock += 1_000;
    return new Date(this.#clock).toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  /** The next worker starts with a healthy API. */
  revive(): void {
    this.dead = false;
    this.writesLeft = null;
  }

  /** Stops answering; fails when anything the app sent (or the fake answered) is not as documented. */
  stop(): void {
    this.#started = false;
    nock.cleanAll();
    nock.enableNetConnect();
    const problems = [...new Set(this.violations)];
    this.violations.length = 0;
    if (problems.length > 0)
      throw new Error(
        `requests or answers not as GitHub documents them:\n${problems.slice(0, 20).join("\n")}`,
      );
  }

  /** Requests counted by `METHOD /path` with ids and shas folded, for reports. */
  byEndpoint(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const r of this.requests) {
      const path = r.path
        .replace(/\/[0-9a-f]{40}\b/g, "/:sha")
        .replace(/\/\d+(?=\/|$)/g, "/:n")
        .replace(/contents\/.*$/, "contents/:path")
        .replace(/git\/(refs?)\/.*$/, "git/$1/:ref")
        .replace(/labels\/[^/]+$/, "labels/:name");
      const key = `${r.method} ${path}${r.operation ? ` ${r.operation}` : ""}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  }

  /**
   * CI reports on a commit, as GitHub Actions would: a job of the commit's workflow run (made on
   * first use), its check run, and its log. A job asked to run again is completed in place.
   */
  completeCheck(options: {
    sha: string;
    name?: string;
    conclusion: string;
    summary?: string;
    /** The job's log as the runner writes it; by default the summary and the exit line. */
    log?: string;
    /** The branch the commit was pushed to (for runs of the base branch). */
    branch?: string;
  }): CheckRun {
    const name = options.name ?? "test";
    let run = this.workflowRuns.find((r) => r.head_sha === options.sha);
    if (!run) {
      run = {
        id: ++this.#ids,
        workflow_id: 7,
        name: "CI",
        head_sha: options.sha,
        head_branch: options.branch ?? "",
        run_attempt: 1,
        jobs: [],
      };
      this.workflowRuns.push(run);
    }
    const requeued = this.checkRuns.find(
      (r) => r.head_sha === options.sha && r.name === name && r.status !== "completed",
    );
    const check: CheckRun = requeued ?? {
      id: ++this.#ids,
      name,
      head_sha: options.sha,
      status: "completed",
      conclusion: null,
      external_id: null,
      app: { slug: "github-actions" },
      output: { title: null, summary: null, text: null },
      started_at: "2026-02-03T04:05:06Z",
      completed_at: null,
    };
    Object.assign(check, {
      status: "completed",
      conclusion: options.conclusion,
      output: { title: options.conclusion, summary: options.summary ?? "", text: null },
      completed_at: "2026-02-03T04:06:06Z",
      details_url: `https://github.com/${this.owner}/${this.repo}/actions/runs/${run.id}/job/${check.id}`,
    });
    if (!requeued) {
      this.checkRuns.push(check);
      run.jobs.push(check.id);
    }
    this.jobLogs.set(
      check.id,
      options.log ??
        [
          "2026-02-03T04:05:07.0000000Z ##[group]Run npm test",
          "2026-02-03T04:05:07.1000000Z npm test",
          "2026-02-03T04:05:07.2000000Z ##[endgroup]",
          ...(options.summary ?? "").split("\n").map((l) => `2026-02-03T04:05:08.0000000Z ${l}`),
          ...(options.conclusion === "success"
            ? []
            : ["2026-02-03T04:05:09.0000000Z ##[error]Process completed with exit code 1."]),
        ].join("\n"),
    );
    return check;
  }

  #job(id: number): CheckRun | undefined {
    return this.checkRuns.find(
      (r) => r.id === id && this.workflowRuns.some((w) => w.jobs.includes(id)),
    );
  }

  #runJson(run: WorkflowRun): Record<string, unknown> {
    const jobs = run.jobs.map((id) => this.checkRuns.find((r) => r.id === id));
    const latest = jobs.filter(
      (j) => j && !jobs.some((o) => o && o.name === j.name && o.id > j.id),
    );
    const done = latest.every((j) => j?.status === "completed");
    return {
      ...example("workflow-run"),
      id: run.id,
      workflow_id: run.workflow_id,
      name: run.name,
      head_sha: run.head_sha,
      head_branch: run.head_branch,
      run_attempt: run.run_attempt,
      status: done ? "completed" : "queued",
      conclusion: done
        ? latest.every((j) => j?.conclusion === "success")
          ? "success"
          : "failure"
        : null,
    };
  }

  #jobJson(check: CheckRun): Record<string, unknown> {
    const run = this.workflowRuns.find((w) => w.jobs.includes(check.id));
    return {
      ...example("job"),
      created_at: check.started_at,
      id: check.id,
      run_id: run?.id,
      name: check.name,
      head_sha: check.head_sha,
      status: check.status,
      conclusion: check.conclusion,
    };
  }

  /** GitHub Actions: runs, jobs, logs (a redirect to the log host), and running failed jobs again. */
  #actions(method: string, rest: string, url: URL): Answer | null {
    let m: RegExpExecArray | null;
    if (method === "GET" && (m = /^\/actions\/jobs\/(\d+)$/.exec(rest))) {
      const job = this.#job(Number(m[1]));
      return job ? [200, this.#jobJson(job)] : [404, { message: "Not Found" }];
    }
    if (method === "GET" && (m = /^\/actions\/jobs\/(\d+)\/logs$/.exec(rest))) {
      const job = this.#job(Number(m[1]));
      if (!job) return [404, { message: "Not Found" }];
      return [302, "", { location: `${LOG_HOST}/logs/${job.id}?sv=2025-01-05&sig=signed` }];
    }
    if (method === "GET" && (m = /^\/actions\/runs\/(\d+)$/.exec(rest))) {
      const run = this.workflowRuns.find((w) => w.id === Number(m?.[1]));
      return run ? [200, this.#runJson(run)] : [404, { message: "Not Found" }];
    }
    if (method === "GET" && (m = /^\/actions\/runs\/(\d+)\/jobs$/.exec(rest))) {
      const run = this.workflowRuns.find((w) => w.id === Number(m?.[1]));
      if (!run) return [404, { message: "Not Found" }];
      const jobs = run.jobs
        .map((id) => this.checkRuns.find((r) => r.id === id))
        .filter((j) => j !== undefined);
      const latest = jobs.filter((j) => !jobs.some((o) => o.name === j.name && o.id > j.id));
      return [200, { total_count: latest.length, jobs: latest.map((j) => this.#jobJson(j)) }];
    }
    if (method === "GET" && (m = /^\/actions\/workflows\/(\d+)\/runs$/.exec(rest))) {
      const branch = url.searchParams.get("branch");
      const runs = this.workflowRuns
        .filter((w) => w.workflow_id === Number(m?.[1]) && (!branch || w.head_branch === branch))
        .map((w) => this.#runJson(w))
        .filter(
          (w) => url.searchParams.get("status") !== "completed" || w["status"] === "completed",
        )
        .reverse()
        .slice(0, Number(url.searchParams.get("per_page") ?? 30));
      return [200, { total_count: runs.length, workflow_runs: runs }];
    }
    if (method === "POST" && (m = /^\/actions\/runs\/(\d+)\/rerun-failed-jobs$/.exec(rest))) {
      const run = this.workflowRuns.find((w) => w.id === Number(m?.[1]));
      if (!run) return [404, { message: "Not Found" }];
      if (!this.actionsWrite) return [403, { message: "Resource not accessible by integration" }];
      const jobs = run.jobs
        .map((id) => this.checkRuns.find((r) => r.id === id))
        .filter((j) => j !== undefined);
      const failed = jobs.filter(
        (j) => j.conclusion !== "success" && !jobs.some((o) => o.name === j.name && o.id > j.id),
      );
      run.run_attempt += 1;
      this.reruns.push(run.id);
      for (const job of failed) {
        const again: CheckRun = {
          ...job,
          id: ++this.#ids,
          status: "queued",
          conclusion: null,
          completed_at: null,
        };
        this.checkRuns.push(again);
        run.jobs.push(again.id);
      }
      return [201, {}];
    }
    return null;
  }

  /** A file of the state branch (or any ref), or undefined. */
  stateFile(path: string, ref = "orchestrator/state"): string | undefined {
    const sha = this.refs.get(`heads/${ref}`);
    const commit = sha ? this.commits.get(sha) : undefined;
    return commit ? this.trees.get(commit.tree)?.get(path) : undefined;
  }

  /** The state branch's files under a folder, by path. */
  stateFiles(prefix: string, ref = "orchestrator/state"): Map<string, string> {
    const sha = this.refs.get(`heads/${ref}`);
    const tree = this.trees.get((sha ? this.commits.get(sha)?.tree : undefined) ?? "");
    return new Map([...(tree ?? [])].filter(([path]) => path.startsWith(prefix)));
  }

  /** Someone else commits a file to a branch (moving its head forward). */
  commitFile(branch: string, path: string, content: string): void {
    const parent = this.refs.get(`heads/${branch}`) ?? "";
    const tree = new Map(this.trees.get(this.commits.get(parent)?.tree ?? "") ?? []);
    tree.set(path, content);
    const treeSha = sha1([...tree.entries()].sort());
    this.trees.set(treeSha, tree);
    const sha = sha1([{ tree: treeSha, parents: [parent] }, this.commits.size, "external"]);
    this.commits.set(sha, { tree: treeSha, parents: [parent], message: `external ${path}` });
    this.refs.set(`heads/${branch}`, sha);
  }

  issueComments(issue: number): Comment[] {
    return this.comments.filter((c) => c.issue === issue);
  }

  #route(
    method: string,
    url: URL,
    body: Record<string, unknown>,
    authorization: string,
  ): Answer | null {
    const p = url.pathname;
    const base = `/repos/${this.owner}/${this.repo}`;
    let m: RegExpExecArray | null;
    // "Get the authenticated app": "You must use a JWT to access this endpoint" (REST docs,
    // apps/apps); an installation token gets 401.
    if (method === "GET" && p === "/app")
      return /^bearer [\w-]+\.[\w-]+\.[\w-]+$/i.test(authorization)
        ? [200, { id: 1, slug: this.appSlug, name: this.appSlug }]
        : [401, { message: "A JSON web token could not be decoded" }];
    if (method === "GET" && (m = /^\/users\/([^/]+)$/.exec(p))) {
      const login = decodeURIComponent(m[1] ?? "");
      return login === `${this.appSlug}[bot]`
        ? [200, { login, id: this.botUserId, type: "Bot" }]
        : [404, { message: "Not Found" }];
    }
    if (method === "GET" && p === "/app/installations")
      return [
        200,
        [
          {
            ...example("installation"),
            id: 1,
            // The description asks for a user and an enterprise at once (allOf): give both.
            account: {
              ...example("simple-user"),
              login: this.owner,
              name: this.owner,
              slug: this.owner,
              created_at: "2026-01-01T00:00:00Z",
              updated_at: "2026-01-01T00:00:00Z",
            },
          },
        ],
      ];
    if (method === "POST" && /^\/app\/installations\/\d+\/access_tokens$/.test(p))
      return [
        201,
        {
          token: INSTALLATION_TOKEN,
          expires_at: "2099-01-01T00:00:00Z",
          permissions: {},
          repository_selection: "all",
        },
      ];
    if (method === "GET" && p === "/installation/repositories")
      return [
        200,
        {
          total_count: 1 + this.otherRepositories.length,
          repositories: [
            {
              id: REPOSITORY_ID,
              name: this.repo,
              owner: { login: this.owner },
              default_branch: this.defaultBranch,
            },
            ...this.otherRepositories.map((r, i) => ({
              id: REPOSITORY_ID + 1 + i,
              name: r.name,
              owner: { login: this.owner },
              default_branch: "main",
            })),
          ],
        },
      ];
    if (method === "POST" && p === "/graphql") return this.#graphql(body);
    if (method === "GET" && p === base)
      return [
        200,
        {
          ...example("full-repository"),
          name: this.repo,
          full_name: `${this.owner}/${this.repo}`,
          default_branch: this.defaultBranch,
          owner: { ...example("simple-user"), login: this.owner },
        },
      ];
    const other = this.otherRepositories.find((r) =>
      p.startsWith(`/repos/${this.owner}/${r.name}/`),
    );
    if (other)
      return this.#otherRepository(method, p.slice(`/repos/${this.owner}/${other.name}`.length));
    if (!p.startsWith(`${base}/`)) return null;
    const rest = p.slice(base.length);
    if (rest.startsWith("/actions/")) return this.#actions(method, rest, url);
    if (method === "GET" && (m = /^\/collaborators\/([^/]+)\/permission$/.exec(rest))) {
      const role = this.permissions.get(decodeURIComponent(m[1] ?? "")) ?? "read";
      return [
        200,
        {
          permission: role === "maintain" ? "write" : role === "triage" ? "read" : role,
          role_name: role,
          user: { login: m[1], role_name: role },
        },
      ];
    }
    if (method === "GET" && (m = /^\/contents\/(.+)$/.exec(rest)))
      return this.#contents(
        decodeURIComponent(m[1] ?? ""),
        url.searchParams.get("ref") ?? this.defaultBranch,
      );
    if (method === "GET" && (m = /^\/git\/commits\/([0-9a-f]+)$/.exec(rest))) {
      const c = this.commits.get(m[1] ?? "");
      return c
        ? [
            200,
            {
              sha: m[1],
              tree: { sha: c.tree },
              parents: c.parents.map((sha) => ({ sha })),
              message: c.message,
            },
          ]
        : [404, { message: "Not Found" }];
    }
    if (method === "POST" && rest === "/git/trees") {
      const baseTree =
        typeof body["base_tree"] === "string" ? this.trees.get(body["base_tree"]) : undefined;
      const tree = new Map(baseTree ?? []);
      for (const e of body["tree"] as { path: string; content?: string }[])
        tree.set(e.path, e.content ?? "");
      const sha = sha1([...tree.entries()].sort());
      this.trees.set(sha, tree);
      return [201, { sha, tree: [...tree.keys()].map((path) => ({ path, type: "blob" })) }];
    }
    if (method === "POST" && rest === "/git/commits") {
      const commit = {
        tree: String(body["tree"]),
        parents: (body["parents"] as string[] | undefined) ?? [],
        message: String(body["message"]),
      };
      const sha = sha1([commit, this.commits.size]);
      this.commits.set(sha, commit);
      return [
        201,
        { sha, tree: { sha: commit.tree }, parents: commit.parents.map((s) => ({ sha: s })) },
      ];
    }
    if (method === "GET" && (m = /^\/git\/matching-refs\/(.+)$/.exec(rest))) {
      const prefix = decodeURIComponent(m[1] ?? "");
      return [
        200,
        [...this.refs.entries()]
          .filter(([ref]) => ref.startsWith(prefix))
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([ref, sha]) => ({ ref: `refs/${ref}`, object: { sha, type: "commit" } })),
      ];
    }
    if (method === "DELETE" && (m = /^\/git\/refs\/(.+)$/.exec(rest))) {
      const ref = decodeURIComponent(m[1] ?? "");
      if (!this.refs.delete(ref)) return [422, { message: "Reference does not exist" }];
      return [204, null];
    }
    if (method === "POST" && rest === "/git/refs") {
      const ref = String(body["ref"]).replace(/^refs\//, "");
      if (this.refs.has(ref)) return [422, { message: "Reference already exists" }];
      this.refs.set(ref, String(body["sha"]));
      return [201, { ref: `refs/${ref}`, object: { sha: body["sha"] } }];
    }
    if (method === "PATCH" && (m = /^\/git\/refs\/(.+)$/.exec(rest))) {
      this.beforeRefUpdate?.();
      const ref = decodeURIComponent(m[1] ?? "");
      const current = this.refs.get(ref);
      const next = String(body["sha"]);
      if (!current) return [422, { message: "Reference does not exist" }];
      if (body["force"] !== false && body["force"] !== undefined)
        return [400, { message: "the app must never force" }];
      if (!this.#descends(next, current)) return [422, { message: "Update is not a fast forward" }];
      this.refs.set(ref, next);
      return [200, { ref: `refs/${ref}`, object: { sha: next } }];
    }
    if (rest === "/issues" && method === "GET") {
      const label = url.searchParams.get("labels");
      const open = [...this.issues.entries()].filter(([, i]) => !label || i.labels.has(label));
      return [
        200,
        open.map(([number, i]) => ({
          number,
          title: i.title,
          body: i.body,
          state: "open",
          labels: [...i.labels].map((name) => ({ name })),
        })),
      ];
    }
    if ((m = /^\/issues\/(\d+)\/events$/.exec(rest)) && method === "GET")
      return [200, this.issues.get(Number(m[1]))?.events ?? []];
    if ((m = /^\/issues\/(\d+)\/comments$/.exec(rest))) {
      const issue = Number(m[1]);
      if (method === "GET") return [200, this.issueComments(issue).map((c) => this.#comment(c))];
      if (method === "POST") {
        const c: Comment = {
          id: ++this.#ids,
          issue,
          body: String(body["body"]),
          created_at: this.tick(),
          user: { login: `${this.appSlug}[bot]`, type: "Bot" },
          performed_via_github_app: { id: 1 },
          reactions: [],
        };
        this.comments.push(c);
        return [201, this.#comment(c)];
      }
    }
    if ((m = /^\/issues\/comments\/(\d+)(\/reactions)?$/.exec(rest))) {
      const c = this.comments.find((x) => x.id === Number(m?.[1]));
      if (!c) return [404, { message: "Not Found" }];
      if (method === "PATCH" && !m[2]) {
        c.body = String(body["body"]);
        return [200, this.#comment(c)];
      }
      if (method === "POST" && m[2]) {
        if (!c.reactions.includes(String(body["content"])))
          c.reactions.push(String(body["content"]));
        return [201, { id: ++this.#ids, content: body["content"] }];
      }
    }
    if ((m = /^\/issues\/(\d+)\/labels(?:\/(.+))?$/.exec(rest))) {
      const issue = this.issues.get(Number(m[1]));
      if (!issue) return [404, { message: "Not Found" }];
      const list = (): unknown[] => [...issue.labels].map((name) => ({ name }));
      if (method === "GET") return [200, list()];
      if (method === "POST") {
        for (const l of body["labels"] as string[]) issue.labels.add(l);
        return [200, list()];
      }
      if (method === "DELETE" && m[2])
        return issue.labels.delete(decodeURIComponent(m[2]))
          ? [200, list()]
          : [404, { message: "Label does not exist" }];
    }
    if (rest === "/pulls" && method === "GET") {
      const head = url.searchParams.get("head")?.split(":")[1];
      return [
        200,
        this.pulls
          .filter((x) => (!head || x.head === head) && x.state === "open")
          .map((x) => this.#pull(x)),
      ];
    }
    if (rest === "/pulls" && method === "POST") {
      if (this.pulls.some((x) => x.head === body["head"] && x.state === "open"))
        return [422, { message: "A pull request already exists" }];
      const pull: Pull = {
        number: ++this.#ids,
        node_id: `PR_${this.#ids}`,
        head: String(body["head"]),
        base: String(body["base"]),
        title: String(body["title"]),
        body: typeof body["body"] === "string" ? body["body"] : "",
        draft: body["draft"] === true,
        state: "open",
      };
      this.pulls.push(pull);
      return [201, this.#pull(pull)];
    }
    if (
      (m = /^\/pulls\/(\d+)\/(reviews|comments)(?:\/(\d+))?(?:\/(comments|replies))?$/.exec(rest))
    )
      return this.#reviewRoute(
        method,
        Number(m[1]),
        m[2] ?? "",
        m[3] ? Number(m[3]) : null,
        m[4] ?? null,
        body,
      );
    if ((m = /^\/pulls\/(\d+)$/.exec(rest)) && method === "PATCH") {
      const pull = this.pulls.find((x) => x.number === Number(m?.[1]));
      if (!pull) return [404, { message: "Not Found" }];
      if (typeof body["title"] === "string") pull.title = body["title"];
      if (typeof body["body"] === "string") pull.body = body["body"];
      return [200, this.#pull(pull)];
    }
    if ((m = /^\/commits\/([^/]+)\/check-runs$/.exec(rest)) && method === "GET") {
      const name = url.searchParams.get("check_name");
      let runs = this.checkRuns.filter((r) => r.head_sha === m?.[1] && (!name || r.name === name));
      // Like GitHub: unless `filter=all`, only the newest run of each name.
      if (url.searchParams.get("filter") !== "all")
        runs = runs.filter((r) => !runs.some((o) => o.name === r.name && o.id > r.id));
      return [200, { total_count: runs.length, check_runs: runs }];
    }
    if (rest === "/check-runs" && method === "POST") {
      const run: CheckRun = {
        id: ++this.#ids,
        name: String(body["name"]),
        head_sha: String(body["head_sha"]),
        status: typeof body["status"] === "string" ? body["status"] : "queued",
        conclusion: (body["conclusion"] as string | undefined) ?? null,
        external_id: (body["external_id"] as string | undefined) ?? null,
        app: { slug: "orchestrator" },
        output: { title: null, summary: null, text: null, ...(body["output"] as object) },
        started_at: "2026-02-03T04:05:06Z",
        completed_at: null,
        ...(typeof body["details_url"] === "string" ? { details_url: body["details_url"] } : {}),
      };
      this.checkRuns.push(run);
      return [201, run];
    }
    if (/^\/check-runs\/\d+\/annotations$/.test(rest) && method === "GET") return [200, []];
    return null;
  }

  #contents(path: string, ref: string): [number, unknown] {
    const stateSha = this.refs.get(`heads/${ref}`) ?? (this.commits.has(ref) ? ref : undefined);
    const files = stateSha
      ? (this.trees.get(this.commits.get(stateSha)?.tree ?? "") ?? new Map<string, string>())
      : ref === this.defaultBranch
        ? this.files
        : new Map<string, string>();
    const file = files.get(path);
    if (file !== undefined) {
      // Like GitHub: files over 1 MB come without their content.
      const size = Buffer.byteLength(file);
      const large = size > 1024 * 1024;
      return [
        200,
        {
          type: "file",
          name: path.split("/").pop(),
          path,
          size,
          sha: gitBlobSha(file),
          encoding: large ? "none" : "base64",
          content: large ? "" : Buffer.from(file).toString("base64"),
        },
      ];
    }
    const children = [...files.keys()].filter((f) => f.startsWith(`${path}/`));
    if (children.length === 0) return [404, { message: "Not Found" }];
    const names = [...new Set(children.map((f) => f.slice(path.length + 1).split("/")[0] ?? ""))];
    return [
      200,
      names.map((name) => ({
        name,
        path: `${path}/${name}`,
        type: files.has(`${path}/${name}`) ? "file" : "dir",
        sha: sha1(name),
      })),
    ];
  }

  #descends(sha: string, ancestor: string): boolean {
    const seen = new Set<string>();
    const queue = [sha];
    while (queue.length > 0) {
      const next = queue.shift() ?? "";
      if (next === ancestor) return true;
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(...(this.commits.get(next)?.parents ?? []));
    }
    return false;
  }

  /** The sweep's batched look at repositories: each alias's config file, state branch and open/ folder. */
  #sweepSnapshot(body: Record<string, unknown>): [number, unknown] {
    const v = body["variables"] as Record<string, string>;
    const [branch = ""] = String(v["open"]).split(":");
    const data: Record<string, unknown> = {};
    for (let i = 0; v[`n${String(i)}`] !== undefined; i++) {
      const name = v[`n${String(i)}`];
      const other = this.otherRepositories.find((r) => r.name === name);
      if (!other && name !== this.repo) {
        data[`r${String(i)}`] = null;
        continue;
      }
      const head = other ? undefined : this.refs.get(`heads/${branch}`);
      const state = other ? other.files : this.trees.get(this.commits.get(head ?? "")?.tree ?? "");
      const [, configPath = ""] = String(v[`c${String(i)}`]).split(":");
      const config = other ? undefined : this.files.get(configPath);
      const open = [...(state?.keys() ?? [])]
        .filter((p) => p.startsWith("open/"))
        .map((p) => ({ name: p.slice("open/".length) }));
      data[`r${String(i)}`] = {
        config:
          config === undefined
            ? null
            : { text: config, isTruncated: false, byteSize: Buffer.byteLength(config) },
        state: (other ? other.files.size > 0 : head !== undefined)
          ? { target: { oid: head ?? "0".repeat(40) } }
          : null,
        open: open.length > 0 ? { entries: open } : null,
        later: ((entries) => (entries.length > 0 ? { entries } : null))(
          [...(state?.entries() ?? [])]
            .filter(([p]) => p.startsWith("later/"))
            .map(([p, text]) => ({ name: p.slice("later/".length), object: { text } })),
        ),
      };
    }
    return [200, { data }];
  }

  /** Another repository of the installation: no config file, no issues; its state branch is read through GraphQL. */
  #otherRepository(method: string, rest: string): Answer | null {
    const notFound: Answer = [404, { message: "Not Found" }];
    if (method === "GET" && rest.startsWith("/contents/")) return notFound;
    if (method === "GET" && rest === "/issues") return [200, []];
    if (method === "GET" && rest.startsWith("/git/ref/")) return notFound;
    return null;
  }

  #graphql(body: Record<string, unknown>): [number, unknown] {
    const query = String(body["query"]);
    if (query.includes("query sweepSnapshot")) return this.#sweepSnapshot(body);
    if (query.includes("object(expression")) {
      const variables = body["variables"] as { expression?: string; repo?: string };
      const [branch = "", folder = ""] = String(variables.expression).split(":");
      const other = this.otherRepositories.find((r) => r.name === variables.repo);
      const head = this.refs.get(`heads/${branch}`);
      const tree = other ? other.files : this.trees.get(this.commits.get(head ?? "")?.tree ?? "");
      const prefix = `${folder}/`;
      const entries = [...(tree?.entries() ?? [])]
        .filter(([path]) => path.startsWith(prefix) && !path.slice(prefix.length).includes("/"))
        .map(([path, text]) => ({
          name: path.slice(prefix.length),
          path,
          object: { text, isTruncated: false },
        }));
      return [
        200,
        { data: { repository: { object: tree && entries.length > 0 ? { entries } : null } } },
      ];
    }
    if (query.includes("reviewThreads")) {
      const number = Number((body["variables"] as { number?: number }).number);
      const nodes = this.threads
        .filter((t) => t.pull === number)
        .map((t) => ({
          id: t.id,
          isResolved: t.resolved,
          comments: { nodes: [{ databaseId: t.comments[0] ?? null }] },
        }));
      return [200, { data: { repository: { pullRequest: { reviewThreads: { nodes } } } } }];
    }
    if (query.includes("resolveReviewThread")) {
      const thread = this.threads.find((t) => t.id === (body["variables"] as { id?: string }).id);
      if (!thread) return [200, { errors: [{ message: "Could not resolve to a node" }] }];
      thread.resolved = true;
      return [200, { data: { resolveReviewThread: { thread: { isResolved: true } } } }];
    }
    if (query.includes("timelineItems")) return this.#timeline(body);
    if (query.includes("createCommitOnBranch")) return this.#commitOnBranch(body);
    if (query.includes("ref(qualifiedName")) return this.#branchFiles(body);
    const id = (body["variables"] as { id?: string } | undefined)?.id;
    const pull = this.pulls.find((x) => x.node_id === id);
    if (!String(body["query"]).includes("markPullRequestReadyForReview") || !pull)
      return [200, { errors: [{ message: "unknown" }] }];
    pull.draft = false;
    return [200, { data: { markPullRequestReadyForReview: { pullRequest: { isDraft: false } } } }];
  }

  /** A branch head and files in that commit (`ref { target { ... on Commit { file(path) } } }`). */
  #branchFiles(body: Record<string, unknown>): [number, unknown] {
    const variables = body["variables"] as Record<string, string>;
    const head = this.refs.get(String(variables["ref"]).replace(/^refs\//, ""));
    if (!head) return [200, { data: { repository: { ref: null } } }];
    const tree = this.trees.get(this.commits.get(head)?.tree ?? "") ?? new Map<string, string>();
    const target: Record<string, unknown> = { oid: head };
    for (const [name, path] of Object.entries(variables)) {
      const match = /^path(\d+)$/.exec(name);
      if (!match) continue;
      const text = tree.get(path);
      target[`file${match[1] ?? ""}`] =
        text === undefined ? null : { oid: gitBlobSha(text), object: { text, isTruncated: false } };
    }
    return [200, { data: { repository: { ref: { target } } } }];
  }

  /** `createCommitOnBranch`: a commit on an existing branch, only if it still points where expected. */
  #commitOnBranch(body: Record<string, unknown>): [number, unknown] {
    const input = (body["variables"] as { input: CommitInput }).input;
    const ref = `heads/${input.branch.branchName}`;
    const head = this.refs.get(ref);
    if (!head)
      return [
        200,
        {
          data: { createCommitOnBranch: null },
          errors: [{ type: "NOT_FOUND", message: `A ref named "${ref}" does not exist` }],
        },
      ];
    this.beforeRefUpdate?.();
    const current = this.refs.get(ref) ?? head;
    if (current !== input.expectedHeadOid)
      return [
        200,
        {
          data: { createCommitOnBranch: null },
          errors: [
            {
              type: "STALE_DATA",
              path: ["createCommitOnBranch"],
              message: `Expected branch to point to "${input.expectedHeadOid}" but it did not.  Pull and try again.`,
            },
          ],
        },
      ];
    const tree = new Map(this.trees.get(this.commits.get(current)?.tree ?? "") ?? []);
    for (const f of input.fileChanges.additions ?? [])
      tree.set(f.path, Buffer.from(f.contents, "base64").toString("utf8"));
    for (const f of input.fileChanges.deletions ?? []) tree.delete(f.path);
    const treeSha = sha1([...tree.entries()].sort());
    this.trees.set(treeSha, tree);
    const commit = { tree: treeSha, parents: [current], message: input.message.headline };
    const sha = sha1([commit, this.commits.size]);
    this.commits.set(sha, commit);
    this.refs.set(ref, sha);
    return [200, { data: { createCommitOnBranch: { commit: { oid: sha } } } }];
  }

  /** An issue's text and its labelled and renamed events, as GraphQL's `timelineItems` gives them. */
  #timeline(body: Record<string, unknown>): [number, unknown] {
    const number = (body["variables"] as { number?: number } | undefined)?.number;
    const issue = number === undefined ? undefined : this.issues.get(number);
    if (!issue) return [200, { data: { repository: { issue: null } } }];
    const nodes = issue.events
      .filter((e) => e.event === "labeled" || e.event === "renamed")
      .map((e) =>
        e.event === "labeled"
          ? {
              __typename: "LabeledEvent",
              createdAt: e.created_at ?? "2026-02-03T04:05:06Z",
              label: { name: e.label.name },
              actor: { __typename: e.actor.type === "Bot" ? "Bot" : "User", login: e.actor.login },
            }
          : { __typename: "RenamedTitleEvent", createdAt: e.created_at ?? "2026-02-03T04:05:06Z" },
      );
    return [
      200,
      {
        data: {
          repository: {
            issue: {
              title: issue.title,
              body: issue.body,
              lastEditedAt: issue.lastEditedAt ?? null,
              timelineItems: { nodes },
            },
          },
        },
      },
    ];
  }

  #comment(c: Comment): unknown {
    return {
      id: c.id,
      body: c.body,
      user: c.user,
      performed_via_github_app: c.performed_via_github_app
        ? { ...example("integration"), id: c.performed_via_github_app.id }
        : null,
      created_at: c.created_at,
    };
  }

  /**
   * A person reviews a pull request, as the GitHub UI does: one review, its comments on lines of
   * the diff, one thread per comment.
   */
  submitReview(
    pull: number,
    options: {
      by: string;
      state: "CHANGES_REQUESTED" | "COMMENTED" | "APPROVED";
      body?: string;
      comments?: { path: string; line: number; body: string }[];
    },
  ): Review {
    const user = { login: options.by, type: "User" };
    const review: Review = {
      id: ++this.#ids,
      pull,
      user,
      body: options.body ?? "",
      state: options.state,
      commit_id: "0".repeat(40),
    };
    this.reviews.push(review);
    for (const c of options.comments ?? []) {
      const comment: ReviewComment = {
        id: ++this.#ids,
        pull,
        review: review.id,
        user,
        in_reply_to_id: null,
        ...c,
      };
      this.reviewComments.push(comment);
      this.threads.push({
        id: `PRRT_${comment.id}`,
        pull,
        comments: [comment.id],
        resolved: false,
      });
    }
    return review;
  }

  #reviewJson(r: Review): Record<string, unknown> {
    return {
      ...example("pull-request-review"),
      id: r.id,
      user: { ...example("simple-user"), ...r.user },
      body: r.body,
      state: r.state,
      commit_id: r.commit_id,
    };
  }

  #reviewCommentJson(c: ReviewComment): Record<string, unknown> {
    return {
      ...example("pull-request-review-comment"),
      id: c.id,
      pull_request_review_id: c.review,
      path: c.path,
      line: c.line,
      original_line: c.line,
      body: c.body,
      in_reply_to_id: c.in_reply_to_id ?? undefined,
      user: { ...example("simple-user"), ...c.user },
    };
  }

  /** Reviews of a pull request, their comments, replies in threads. */
  #reviewRoute(
    method: string,
    pull: number,
    kind: string,
    id: number | null,
    sub: string | null,
    body: Record<string, unknown>,
  ): Answer | null {
    if (!this.pulls.some((p) => p.number === pull)) return [404, { message: "Not Found" }];
    if (kind === "reviews" && id === null && method === "GET")
      return [200, this.reviews.filter((r) => r.pull === pull).map((r) => this.#reviewJson(r))];
    if (kind === "reviews" && id === null && method === "POST") {
      const review: Review = {
        id: ++this.#ids,
        pull,
        user: { login: `${this.appSlug}[bot]`, type: "Bot" },
        body: text(body["body"]),
        state: body["event"] === "COMMENT" ? "COMMENTED" : text(body["event"], "PENDING"),
        commit_id: text(body["commit_id"]),
      };
      this.reviews.push(review);
      return [200, this.#reviewJson(review)];
    }
    if (kind === "reviews" && id !== null && method === "GET") {
      const review = this.reviews.find((r) => r.id === id && r.pull === pull);
      if (!review) return [404, { message: "Not Found" }];
      if (sub === null) return [200, this.#reviewJson(review)];
      if (sub === "comments")
        return [
          200,
          this.reviewComments
            .filter((c) => c.review === id)
            .map((c) => ({ ...this.#reviewCommentJson(c), in_reply_to_id: undefined })),
        ];
    }
    if (kind === "comments" && id === null && method === "GET")
      return [
        200,
        this.reviewComments.filter((c) => c.pull === pull).map((c) => this.#reviewCommentJson(c)),
      ];
    if (kind === "comments" && id !== null && sub === "replies" && method === "POST") {
      const parent = this.reviewComments.find((c) => c.id === id && c.pull === pull);
      if (!parent) return [404, { message: "Not Found" }];
      const reply: ReviewComment = {
        ...parent,
        id: ++this.#ids,
        review: ++this.#ids,
        body: text(body["body"]),
        user: { login: `${this.appSlug}[bot]`, type: "Bot" },
        in_reply_to_id: id,
      };
      this.reviewComments.push(reply);
      this.threads.find((t) => t.comments[0] === id)?.comments.push(reply.id);
      return [201, this.#reviewCommentJson(reply)];
    }
    return null;
  }

  /** A ref: one the API made, else a branch of the bare repository (where git pushes go). */
  async #ref(path: string): Promise<Answer> {
    const name = decodeURIComponent(
      path.slice(`/repos/${this.owner}/${this.repo}/git/ref/`.length),
    );
    const sha =
      this.refs.get(name) ??
      (name.startsWith("heads/") ? await this.branchHead(name.slice("heads/".length)) : null);
    return sha
      ? [200, { ref: `refs/${name}`, object: { sha, type: "commit" } }]
      : [404, { message: "Not Found" }];
  }

  /** `GET /pulls/{n}`: the pull request with its head where the branch is now. */
  async #pullRead(path: string): Promise<Answer> {
    const number = Number(/\/pulls\/(\d+)$/.exec(path)?.[1]);
    const pull = this.pulls.find((x) => x.number === number);
    if (!pull) return [404, { message: "Not Found" }];
    const sha = await this.branchHead(pull.head);
    const answer = this.#pull(pull) as { head: object };
    return [200, { ...answer, head: { ...answer.head, sha: sha ?? "0".repeat(40) } }];
  }

  /** The files a pull request changed: from the merge's first parent (else the base branch) to its head. */
  async #pullFiles(path: string): Promise<Answer> {
    const number = Number(/\/pulls\/(\d+)\/files$/.exec(path)?.[1]);
    const pull = this.pulls.find((x) => x.number === number);
    if (this.pullFilesFailure !== null) return [this.pullFilesFailure, { message: "Server Error" }];
    if (!pull) return [404, { message: "Not Found" }];
    const merge = this.merges.get(number);
    const base = merge ? `${merge}^1` : `refs/heads/${pull.base}`;
    const out = this.git
      ? await this.git(["diff", "--numstat", `${base}...refs/heads/${pull.head}`])
      : "";
    const files = out
      .trim()
      .split("\n")
      .filter(Boolean)
      .map((line) => {
        const [added = "0", removed = "0", filename = ""] = line.split("\t");
        return {
          filename,
          status: "modified",
          additions: Number(added),
          deletions: Number(removed),
          changes: Number(added) + Number(removed),
        };
      });
    return [200, files];
  }

  /**
   * A review with comments on lines of the diff, as GitHub takes it: each comment's `line` must
   * fall inside a hunk of the pull request's diff (base...`commit_id`) on its `side`, else the
   * whole review is refused with 422 and nothing is created (the REST reference, "Create a review
   * for a pull request", and the error integrations report: "Pull request review thread line
   * must be part of the diff").
   */
  async #reviewWithComments(path: string, body: Record<string, unknown>): Promise<Answer> {
    const number = Number(/\/pulls\/(\d+)\/reviews$/.exec(path)?.[1]);
    const pull = this.pulls.find((x) => x.number === number);
    if (!pull) return [404, { message: "Not Found" }];
    const commit = text(body["commit_id"]) || `refs/heads/${pull.head}`;
    const diff = this.git
      ? await this.git(["diff", `refs/heads/${pull.base}...${commit}`]).catch(() => "")
      : "";
    const hunks = new Map<string, { old: [number, number]; new: [number, number] }[]>();
    for (const file of parsePatch(diff))
      hunks.set(
        (file.newFileName ?? "").replace(/^b\//, ""),
        file.hunks.map((h) => ({
          old: [h.oldStart, h.oldStart + h.oldLines - 1],
          new: [h.newStart, h.newStart + h.newLines - 1],
        })),
      );
    const comments = body["comments"] as Record<string, unknown>[];
    const placed = comments.every((c) => {
      const line = c["line"];
      const side = c["side"] === "LEFT" ? "old" : "new";
      return (
        typeof line === "number" &&
        (hunks.get(text(c["path"])) ?? []).some((h) => h[side][0] <= line && line <= h[side][1])
      );
    });
    if (!placed)
      return [
        422,
        {
          message: "Unprocessable Entity",
          errors: [
            "Pull request review thread line must be part of the diff and Pull request review thread diff hunk can't be blank",
          ],
        },
      ];
    const user = { login: `${this.appSlug}[bot]`, type: "Bot" };
    const review: Review = {
      id: ++this.#ids,
      pull: number,
      user,
      body: text(body["body"]),
      state: body["event"] === "COMMENT" ? "COMMENTED" : text(body["event"], "PENDING"),
      commit_id: text(body["commit_id"]),
    };
    this.reviews.push(review);
    for (const c of comments) {
      const comment: ReviewComment = {
        id: ++this.#ids,
        pull: number,
        review: review.id,
        user,
        in_reply_to_id: null,
        path: text(c["path"]),
        line: Number(c["line"]),
        body: text(c["body"]),
      };
      this.reviewComments.push(comment);
      this.threads.push({
        id: `PRRT_${comment.id}`,
        pull: number,
        comments: [comment.id],
        resolved: false,
      });
    }
    return [200, this.#reviewJson(review)];
  }

  /** `Commit.blame` for each aliased `object(oid:)` / `object(expression:)`, from git blame. */
  async #blame(body: Record<string, unknown>): Promise<Answer> {
    const query = String(body["query"]);
    const variables = body["variables"] as Record<string, string>;
    const data: Record<string, unknown> = {};
    for (const m of query.matchAll(
      /(\w+): object\((oid|expression): \$(\w+)\) \{ \.\.\. on Commit \{ blame\(path: \$(\w+)\)/g,
    )) {
      const [, alias = "", , rev = "", path = ""] = m;
      const out = this.git
        ? await this.git([
            "blame",
            "--porcelain",
            variables[rev] ?? "",
            "--",
            variables[path] ?? "",
          ]).catch(() => null)
        : null;
      if (out === null) {
        data[alias] = null;
        continue;
      }
      const ranges: { startingLine: number; endingLine: number; commit: { oid: string } }[] = [];
      for (const header of out.matchAll(/^([0-9a-f]{40}) \d+ (\d+)/gm)) {
        const [, oid = "", line = "0"] = header;
        const last = ranges.at(-1);
        if (last && last.commit.oid === oid && last.endingLine === Number(line) - 1)
          last.endingLine = Number(line);
        else ranges.push({ startingLine: Number(line), endingLine: Number(line), commit: { oid } });
      }
      data[alias] = { blame: { ranges } };
    }
    return [200, { data: { repository: data } }];
  }

  #pull(x: Pull): unknown {
    return {
      number: x.number,
      node_id: x.node_id,
      title: x.title,
      body: x.body,
      draft: x.draft,
      state: x.state,
      head: { ref: x.head, repo: { full_name: `${this.owner}/${this.repo}` } },
      base: { ref: x.base },
      requested_reviewers: [],
      requested_teams: [],
    };
  }
}
