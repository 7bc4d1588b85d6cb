import { OrchestratorError } from "../../../core/errors.ts";
import type { GitHub } from "./client.ts";

/**
 * A GitHub API call that failed: its status, GitHub's request id (to quote to GitHub support),
 * and whether trying again later can help (server errors, rate limits).
 */
export class GitHubApiError extends OrchestratorError {
  override readonly name = "GitHubApiError";
  readonly fault = "system";
  readonly status: number;
  readonly requestId: string | undefined;
  readonly retryable: boolean;
  /** How long GitHub asked us to wait, when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(options: {
    status: number;
    requestId: string | undefined;
    method: string;
    url: string;
    message: string;
    retryAfterMs?: number | undefined;
    cause?: unknown;
  }) {
    super(
      `GitHub ${options.method} ${options.url} failed with ${String(options.status)}: ${options.message}${options.requestId ? ` (request ${options.requestId})` : ""}`,
      { cause: options.cause },
    );
    this.status = options.status;
    this.requestId = options.requestId;
    this.retryAfterMs = options.retryAfterMs;
    // Secondary rate limits answer 403 with retry-after; 429 and 5xx may pass later.
    this.retryable =
      options.status >= 500 ||
      options.status === 429 ||
      (options.status === 403 && options.retryAfterMs !== undefined);
  }
}

const WRAPPED = Symbol("GitHub errors");

/**
 * Makes this client's failures `GitHubApiError`s (statuses 400 and above; a 304 is left to the
 * conditional-request layer). Idempotent per client.
 */
export function useGitHubErrors(github: GitHub): GitHub {
  const marked = github as GitHub & { [WRAPPED]?: true };
  if (marked[WRAPPED]) return github;
  marked[WRAPPED] = true;
  github.hook.wrap("request", async (request, options) => {
    try {
      try {
        return await request(options);
      } catch (error) {
        // Signing the App's token failed in OpenSSL before anything was sent: Node's crypto
        // can report an error an earlier operation left on OpenSSL's error queue (reproduced in
        // the test suite: a valid key read as "asn1 … too long"). The failed call clears the
        // queue, so one more try is safe and signs.
        if (!signingHiccup(error)) throw error;
        return await request(options);
      }
    } catch (error) {
      const e = error as {
        status?: unknown;
        message?: unknown;
        response?: { headers?: Record<string, string | undefined> };
      };
      if (typeof e.status !== "number" || e.status < 400) throw error;
      const headers = e.response?.headers ?? {};
      const retryAfter = Number(headers["retry-after"]);
      throw new GitHubApiError({
        status: e.status,
        requestId: headers["x-github-request-id"],
        method: options.method,
        url: options.url,
        message: typeof e.message === "string" ? e.message : "",
        retryAfterMs: Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined,
        cause: error,
      });
    }
  });
  return github;
}

/** An OpenSSL error while the request was signed (no answer from GitHub): `ERR_OSSL_*`, also as a WebCrypto `DataError`'s cause. */
export function signingHiccup(error: unknown): boolean {
  const code = (e: unknown): string =>
    typeof e === "object" && e !== null && typeof (e as { code?: unknown }).code === "string"
      ? (e as { code: string }).code
      : "";
  if (typeof error !== "object" || error === null || "status" in error) return false;
  return (
    code(error).startsWith("ERR_OSSL_") ||
    code((error as { cause?: unknown }).cause).startsWith("ERR_OSSL_")
  );
}
