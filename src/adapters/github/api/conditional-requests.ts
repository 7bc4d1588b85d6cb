import type { GitHub } from "./client.ts";

interface Cached {
  readonly etag: string;
  readonly response: unknown;
}

/**
 * GET responses with their ETags, shared by a process: asked again, GitHub answers 304 Not
 * Modified when nothing changed, and a 304 does not count against the rate limit. Bounded; the
 * oldest entry goes first.
 */
export class ConditionalCache {
  readonly #entries = new Map<string, Cached>();
  readonly #max: number;
  hits = 0;

  constructor(max = 2_000) {
    this.#max = max;
  }

  get(key: string): Cached | undefined {
    const entry = this.#entries.get(key);
    if (entry) {
      // Most recently used last, so the oldest is evicted first.
      this.#entries.delete(key);
      this.#entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, entry: Cached): void {
    this.#entries.set(key, entry);
    if (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
  }
}

const WRAPPED = Symbol("conditional requests");

/**
 * Makes this client's GET requests conditional (`If-None-Match`) when the cache holds an earlier
 * answer for the same request of the same installation; a 304 returns that answer. Other
 * methods pass through. Idempotent per client.
 */
export function useConditionalRequests(
  github: GitHub,
  cache: ConditionalCache,
  installation: number,
): GitHub {
  const marked = github as GitHub & { [WRAPPED]?: true };
  if (marked[WRAPPED]) return github;
  marked[WRAPPED] = true;
  github.hook.wrap("request", async (request, options) => {
    if (options.method !== "GET") return request(options);
    const { headers: _headers, request: _request, ...rest } = options;
    const key = `${String(installation)} ${JSON.stringify(rest)}`;
    const cached = cache.get(key);
    if (cached) options.headers["if-none-match"] = cached.etag;
    try {
      const response = await request(options);
      const etag = response.headers.etag;
      // Copies in and out: callers (pagination) change the answers they are given.
      if (typeof etag === "string") cache.set(key, { etag, response: structuredClone(response) });
      return response;
    } catch (error) {
      if (cached && (error as { status?: unknown }).status === 304) {
        cache.hits += 1;
        return structuredClone(cached.response) as Awaited<ReturnType<typeof request>>;
      }
      throw error;
    }
  });
  return github;
}
