import nock from "nock";
import type { LanguageModel } from "../../../src/ports/language-model.ts";

/** One answer, described once and written in each API's own wire format by its `Wire`. */
export interface CanonicalAnswer {
  readonly text?: string;
  readonly toolCalls?: readonly {
    readonly id: string;
    readonly name: string;
    readonly input: Readonly<Record<string, unknown>>;
  }[];
  /** A structured answer (sent as JSON text, or as the API's structured part). */
  readonly object?: unknown;
  readonly stop: "end" | "tool_use" | "max_tokens" | "refusal";
  readonly usage: CanonicalUsage;
  /** What the model thought first, where the API shows it (else the wire's own words, or none). */
  readonly thinking?: string;
}

/** Token counts as a bill itemises them; each wire folds them the way its API reports them. */
export interface CanonicalUsage {
  readonly uncached: number;
  readonly cacheRead: number;
  /** Only APIs that report cache writes (Anthropic) carry them. */
  readonly cacheWrite: number;
  /** Every output token, reasoning included. */
  readonly output: number;
  readonly reasoning: number;
}

export type WireError =
  | "rate_limit"
  | "overloaded"
  | "server"
  | "quota_minute"
  | "quota_exhausted"
  | "auth"
  | "context_length";

/** A provider's HTTP API as the real SDK sees it, answered by nock in that API's format. */
export interface Wire {
  readonly label: string;
  /** Provider name in model references. */
  readonly provider: string;
  readonly model: string;
  /** Whether usage reports cache writes separately (only Anthropic's does). */
  readonly reportsCacheWrites: boolean;
  /** Whether its model answers with reasoning state that must come back (thinking, reasoning items, thought signatures). */
  readonly reasons: boolean;
  client(): LanguageModel;
  /** Intercepts the next request and answers it; `seen` gets the JSON body sent. */
  answer(answer: CanonicalAnswer, seen?: (body: Record<string, unknown>) => void): void;
  /** Intercepts the next `times` requests with an error in the API's format. */
  fail(error: WireError, times?: number): void;
  /** Intercepts every request with `reply` until the returned function is called. */
  serve(reply: (body: Record<string, unknown>) => CanonicalAnswer): () => void;
  /** The raw usage object the API would send for these counts. */
  usageOf(usage: CanonicalUsage): unknown;
  /** The vendor's own bill for a raw usage object, at the given rates per million tokens. */
  bill(
    rawUsage: unknown,
    rates: { input: number; output: number; cacheRead: number; cacheWrite: number },
  ): number;
  /** Reading a sent request: the instructions, the last tool result, the tool names, the schema. */
  readonly read: {
    system(body: Record<string, unknown>): string;
    lastUserText(body: Record<string, unknown>): string;
    toolNames(body: Record<string, unknown>): string[];
    schema(body: Record<string, unknown>): unknown;
    lastToolResult(body: Record<string, unknown>): string | undefined;
    /**
     * The opaque reasoning state a request sends back, in order (thinking signatures and
     * redacted data, reasoning items' encrypted content, thought signatures).
     */
    reasoning(body: Record<string, unknown>): string[];
  };
  /** Every piece of opaque reasoning state this wire has answered with, in order. */
  readonly issued: readonly string[];
}

/** A JSON value read from a sent body, as text. */
export function textOf(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** An HTTP answer: status, JSON body, headers. */
export type Reply = readonly [number, unknown, Record<string, string>?];

/**
 * Answers POSTs to `path` on `host` with `answer(body, url)`: the next one, or every one until
 * the returned function is called (nock hands a reply function the fetch `Request`).
 */
export function serveJson(
  host: string,
  path: string | RegExp,
  answer: (body: Record<string, unknown>, url: URL) => Reply,
  options: { readonly once?: boolean } = {},
): () => void {
  const scope = nock(host);
  const interceptor = options.once ? scope.post(path) : scope.persist().post(path);
  interceptor.reply(async (request: Request) => {
    const body = (await request.json()) as Record<string, unknown>;
    const [status, json, headers] = answer(body, new URL(request.url));
    return [status, json, headers ?? {}];
  });
  return () => nock.removeInterceptor(interceptor);
}
