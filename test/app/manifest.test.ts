// The App's manifest (`app.yml`) against GitHub's documented rules, so that the manifest flow
// GitHub runs at registration accepts it and the registered App can do what the code asks.
//
// Sources (each rule below names its own):
// - "Registering a GitHub App from a manifest", GitHub App manifest parameters:
//   https://docs.github.com/en/apps/sharing-github-apps/registering-a-github-app-from-a-manifest#github-app-manifest-parameters
// - "Webhook events and payloads": https://docs.github.com/en/webhooks/webhook-events-and-payloads,
//   as data: the `x-webhooks` of GitHub's OpenAPI description (`@octokit/openapi`), whose
//   summaries say which permission an App needs to subscribe and which events every App gets
//   without subscribing ("All GitHub Apps receive this event by default. You cannot manually
//   subscribe to this event.").
// - Permission names and levels: the `app-permissions` schema of the same description.
// - Route → permission: `@octokit/app-permissions` (scraped from "Permissions required for
//   GitHub Apps"), completed by `ROUTES_SINCE` below where the package lags the docs.
import { readdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { EVENT_NAMES, UNSUBSCRIBED_EVENT_NAMES } from "../../src/app/events.ts";
import { PACKAGE_ROOT } from "../../src/config/package-root.ts";

const require = createRequire(import.meta.url);

type Access = "read" | "write";
interface Needed {
  readonly permission: string;
  readonly access: Access;
}

interface WebhookOperation {
  readonly summary?: string;
  readonly "x-github"?: {
    readonly subcategory?: string;
    readonly "supported-webhook-types"?: string[];
  };
}

const spec = JSON.parse(
  await readFile(require.resolve("@octokit/openapi/generated/api.github.com.json"), "utf8"),
) as {
  "x-webhooks": Record<string, { post: WebhookOperation }>;
  components: {
    schemas: { "app-permissions": { properties: Record<string, { enum?: string[] }> } };
  };
};
const appPermissions = spec.components.schemas["app-permissions"].properties;
const routePermissions = (
  require("@octokit/app-permissions") as {
    "api.github.com": { paths: Record<string, Record<string, Needed>> };
  }
)["api.github.com"].paths;

/** The manifest parameters GitHub documents (manifest docs, "GitHub App manifest parameters"). */
const MANIFEST_PARAMETERS = new Set([
  "name",
  "url",
  "hook_attributes",
  "redirect_url",
  "callback_urls",
  "setup_url",
  "description",
  "public",
  "default_events",
  "default_permissions",
  "request_oauth_on_install",
  "setup_on_update",
]);

/**
 * Routes the package has no row for, or an older answer than the docs: each from the endpoint's
 * own REST reference page, section "Fine-grained access tokens for …" (docs.github.com/en/rest/…).
 * `null`: authenticated as the App itself (a JWT) or as the installation, no permission asked.
 */
const ROUTES_SINCE: Record<string, Needed | null> = {
  // /rest/actions/workflow-runs#re-run-failed-jobs-from-a-workflow-run: "Actions" (write)
  "POST /repos/{owner}/{repo}/actions/runs/{run_id}/rerun-failed-jobs": {
    permission: "actions",
    access: "write",
  },
  // /rest/actions/workflow-jobs, /rest/actions/workflow-runs: "Actions" (read); the package
  // still has the `contents` answer from before the Actions permission existed.
  "GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs": { permission: "actions", access: "read" },
  "GET /repos/{owner}/{repo}/actions/runs/{run_id}": { permission: "actions", access: "read" },
  "GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs": { permission: "actions", access: "read" },
  "GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs": {
    permission: "actions",
    access: "read",
  },
  // /rest/checks/runs#list-check-runs-for-a-git-reference: "Checks" (read)
  "GET /repos/{owner}/{repo}/commits/{ref}/check-runs": { permission: "checks", access: "read" },
  // /rest/checks/runs#list-check-run-annotations: "Checks" (read)
  "GET /repos/{owner}/{repo}/check-runs/{check_run_id}/annotations": {
    permission: "checks",
    access: "read",
  },
  // /rest/pulls/comments#create-a-reply-for-a-review-comment: "Pull requests" (write)
  "POST /repos/{owner}/{repo}/pulls/{pull_number}/comments/{comment_id}/replies": {
    permission: "pull_requests",
    access: "write",
  },
  // /rest/collaborators/collaborators#get-repository-permissions-for-a-user: "Metadata" (read)
  "GET /repos/{owner}/{repo}/collaborators/{username}/permission": {
    permission: "metadata",
    access: "read",
  },
  // /rest/repos/contents#get-repository-content: "Contents" (read); the package says single_file
  "GET /repos/{owner}/{repo}/contents/{path}": { permission: "contents", access: "read" },
  // /rest/apps/apps: the App's own JWT
  "GET /app": null,
  "GET /app/installations": null,
  // /rest/apps/installations#list-repositories-accessible-to-the-app-installation: the
  // installation's token, "no permissions required"
  "GET /installation/repositories": null,
  // /rest/users/users#get-a-user: public data, "no permissions required"
  "GET /users/{username}": null,
};

/**
 * GraphQL has no published permission table: what each call site asks for, from the
 * objects it reads or the mutation's reference page (docs.github.com/en/graphql/reference).
 * A new `.graphql(` call site fails the test until it is listed here.
 */
const GRAPHQL_SITES: Record<string, readonly Needed[]> = {
  // Issue.timelineItems
  "src/adapters/github/sweep/label-history.ts": [{ permission: "issues", access: "read" }],
  // Commit.blame
  "src/adapters/github/sweep/line-survival.ts": [{ permission: "contents", access: "read" }],
  // createCommitOnBranch: "contents" write
  "src/adapters/github/state/commit-on-branch.ts": [{ permission: "contents", access: "write" }],
  // blobs and refs of each repository
  "src/adapters/github/sweep/sweep-snapshot.ts": [{ permission: "contents", access: "read" }],
  "src/adapters/github/state/branch-snapshot.ts": [{ permission: "contents", access: "read" }],
  // markPullRequestReadyForReview, PullRequest.reviewThreads, resolveReviewThread
  "src/adapters/github/repository/code-host.ts": [{ permission: "pull_requests", access: "write" }],
};

/** What git asks of the installation token: clone (read) and push (write) over HTTPS. */
const GIT_OVER_HTTPS: Needed = { permission: "contents", access: "write" };

interface Manifest {
  readonly [key: string]: unknown;
  readonly name?: string;
  readonly url?: string;
  readonly hook_attributes?: { readonly url?: string };
  readonly default_events?: string[];
  readonly default_permissions?: Record<string, string>;
}

const manifest = parse(await readFile(join(PACKAGE_ROOT, "app.yml"), "utf8")) as Manifest;
const granted = manifest.default_permissions ?? {};
const grants = (need: Needed): boolean =>
  granted[need.permission] === "write" || granted[need.permission] === need.access;

/** An event's webhook operations in GitHub's description (one per action). */
function webhooksOf(event: string): WebhookOperation[] {
  return Object.values(spec["x-webhooks"])
    .map((w) => w.post)
    .filter((op) => op["x-github"]?.subcategory === event);
}

/** What GitHub says an App needs to subscribe to the event ("…read-level access for the "X" … permission"). */
function neededToSubscribe(event: string): Needed[] {
  const summaries = webhooksOf(event).map((op) => op.summary ?? "");
  const needs = summaries.flatMap((text) =>
    [
      ...text.matchAll(
        /To subscribe to this event, a GitHub App must have at least (read|write)-level access for the "([^"]+)"/g,
      ),
    ].map((m) => ({
      access: m[1] as Access,
      permission: (m[2] ?? "").toLowerCase().replace(/ /g, "_"),
    })),
  );
  return needs;
}

const receivedWithoutSubscribing = (event: string): boolean =>
  webhooksOf(event).some((op) =>
    /You cannot manually subscribe to this event/.test(op.summary ?? ""),
  );

/** Every `rest.<scope>.<method>` and `request("VERB /route")` in the App's and the Action's code. */
async function restCalls(): Promise<Map<string, string[]>> {
  const octokit = new ProbotOctokit() as unknown as {
    rest: Record<
      string,
      Record<string, { endpoint: { DEFAULTS: { method: string; url: string } } }>
    >;
  };
  const calls = new Map<string, string[]>();
  const add = (route: string, file: string) =>
    calls.set(route, [...(calls.get(route) ?? []), file]);
  for (const file of await sourceFiles()) {
    const text = await readFile(join(PACKAGE_ROOT, file), "utf8");
    for (const [, scope = "", method = ""] of text.matchAll(/\brest\s*\.\s*(\w+)\s*\.\s*(\w+)/g)) {
      const endpoint = octokit.rest[scope]?.[method]?.endpoint.DEFAULTS;
      if (!endpoint) throw new Error(`${file}: rest.${scope}.${method} is not an Octokit method`);
      add(`${endpoint.method} ${endpoint.url}`, file);
    }
    for (const [, route = ""] of text.matchAll(
      /\b(?:request|paginate)\(\s*"((?:GET|POST|PATCH|PUT|DELETE) \/[^"]*)"/g,
    ))
      add(route, file);
  }
  return calls;
}

async function sourceFiles(): Promise<string[]> {
  const files = await readdir(join(PACKAGE_ROOT, "src"), { recursive: true });
  return files.filter((f) => f.endsWith(".ts")).map((f) => join("src", f));
}

describe("app.yml, as GitHub's manifest flow reads it", () => {
  it("has only documented parameters, a name GitHub takes and no webhook URL of its own", () => {
    expect(Object.keys(manifest).filter((k) => !MANIFEST_PARAMETERS.has(k))).toEqual([]);
    // "Registering a GitHub App": the name is at most 34 characters.
    expect(manifest.name?.length ?? 0).toBeGreaterThan(0);
    expect(manifest.name?.length ?? 0).toBeLessThanOrEqual(34);
    // `url` is required; an App page (github.com/apps/<slug>) is the App of that slug's, not ours.
    expect(manifest.url).toMatch(/^https:\/\//);
    expect(manifest.url).not.toMatch(/^https:\/\/github\.com\/apps\//);
    // Probot's getManifest (node_modules/probot/lib/manifest-creation.js) sets
    // hook_attributes.url to WEBHOOK_PROXY_URL or the setup page's address, then spreads the
    // manifest over it: any hook_attributes here would replace that URL.
    expect(manifest.hook_attributes).toBeUndefined();
  });

  it("grants only permissions GitHub has, at levels it has", () => {
    for (const [name, level] of Object.entries(granted)) {
      expect(appPermissions[name], `permission ${name}`).toBeDefined();
      expect(appPermissions[name]?.enum, `permission ${name}`).toContain(level);
    }
  });

  it("subscribes only to events an App may subscribe to, each with its permission granted", () => {
    for (const event of manifest.default_events ?? []) {
      const hooks = webhooksOf(event);
      expect(hooks.length, `${event} is a webhook event`).toBeGreaterThan(0);
      expect(
        hooks.some((op) => op["x-github"]?.["supported-webhook-types"]?.includes("app")),
        `${event} is delivered to Apps`,
      ).toBe(true);
      expect(receivedWithoutSubscribing(event), `${event} cannot be subscribed to`).toBe(false);
      const needs = neededToSubscribe(event);
      expect(needs.length, `GitHub names the permission ${event} needs`).toBeGreaterThan(0);
      for (const need of needs)
        expect(grants(need), `${event} needs ${need.permission}`).toBe(true);
    }
  });

  it("subscribes to exactly the events the App handles", () => {
    const handled = new Set(EVENT_NAMES.map((name) => name.split(".")[0]));
    expect(new Set(manifest.default_events)).toEqual(handled);
    for (const name of UNSUBSCRIBED_EVENT_NAMES) {
      const event = name.split(".")[0] ?? "";
      expect(receivedWithoutSubscribing(event), `${event} arrives unsubscribed`).toBe(true);
    }
  });

  it("grants the permission of every GitHub API call the code makes", async () => {
    const calls = await restCalls();
    expect(calls.size).toBeGreaterThan(20);
    const missing: string[] = [];
    for (const [route, files] of calls) {
      const [method = "", path = ""] = route.split(" ");
      const need = route in ROUTES_SINCE ? ROUTES_SINCE[route] : routePermissions[path]?.[method];
      if (need === undefined) missing.push(`${route} (${files.join(", ")}): no permission data`);
      else if (need !== null && !grants(need))
        missing.push(`${route} (${files.join(", ")}): needs ${need.permission} ${need.access}`);
    }
    const graphqlFiles: string[] = [];
    for (const file of await sourceFiles())
      if (/\.graphql\(/.test(await readFile(join(PACKAGE_ROOT, file), "utf8")))
        graphqlFiles.push(file);
    expect(graphqlFiles.sort()).toEqual(Object.keys(GRAPHQL_SITES).sort());
    for (const [file, needs] of Object.entries(GRAPHQL_SITES))
      for (const need of needs)
        if (!grants(need))
          missing.push(`GraphQL in ${file}: needs ${need.permission} ${need.access}`);
    if (!grants(GIT_OVER_HTTPS)) missing.push("git push: needs contents write");
    expect(missing).toEqual([]);
  });
});
