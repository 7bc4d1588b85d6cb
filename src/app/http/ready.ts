import type { Probot } from "probot";
import type { AppOptions } from "../options.ts";
/** One readiness check: true when fine, otherwise what is wrong. */
export type ReadyCheck = () => Promise<true | string>;

export interface Readiness {
  readonly ready: boolean;
  /** Each check's answer: "ok" or what is wrong. */
  readonly checks: Readonly<Record<string, string>>;
}

/**
 * Runs the checks at most once per `cacheMs` (a load balancer asks every few seconds; GitHub's
 * API need not be asked as often), each bounded by `timeoutMs`.
 */
export function readiness(
  checks: Readonly<Record<string, ReadyCheck>>,
  options: { readonly now: () => number; readonly cacheMs: number; readonly timeoutMs: number },
): () => Promise<Readiness> {
  let last: { at: number; answer: Promise<Readiness> } | null = null;
  const run = async (): Promise<Readiness> => {
    const entries = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<string>((resolve) => {
          timer = setTimeout(() => {
            resolve(`no answer within ${String(options.timeoutMs)} ms`);
          }, options.timeoutMs);
        });
        const answer = await Promise.race([
          check().catch((error: unknown) =>
            error instanceof Error ? error.message : String(error),
          ),
          timeout,
        ]).finally(() => {
          clearTimeout(timer);
        });
        return [name, answer === true ? "ok" : answer] as const;
      }),
    );
    return { ready: entries.every(([, a]) => a === "ok"), checks: Object.fromEntries(entries) };
  };
  return () => {
    const now = options.now();
    if (!last || now - last.at >= options.cacheMs) last = { at: now, answer: run() };
    return last.answer;
  };
}

/** The App's readiness: a model provider configured, prompts loaded, GitHub's API answering the App. */
export function appReadiness(app: AppOptions, probot: Probot): () => Promise<Readiness> {
  return readiness(
    {
      providers: () =>
        Promise.resolve(
          app.clients.length > 0 || "no model provider is configured: set a provider's key",
        ),
      prompts: () => Promise.resolve(Object.keys(app.prompts).length > 0 || "no prompts loaded"),
      github: async () => {
        // One try: readiness is asked again in 30 s, and a retrying check would hold the answer.
        await (await probot.auth()).request("GET /app", { request: { retries: 0 } });
        return true;
      },
    },
    { now: () => Date.now(), cacheMs: 30_000, timeoutMs: 5_000 },
  );
}
