// The replay provider's "wire" is a cassette entry: each answer becomes one entry keyed by the
// request's tag, and the real ReplayModels answers from it.
import { entryKey, type CassetteEntry } from "../../../src/providers/replay/cassette.ts";
import { ReplayModels } from "../../../src/providers/replay/replay-model.ts";
import type {
  AssistantPart,
  LanguageModel,
  ModelRequest,
  UserPart,
} from "../../../src/ports/language-model.ts";
import type { CanonicalAnswer, CanonicalUsage, Wire, WireError } from "./types.ts";

type Pending = { kind: "answer"; answer: CanonicalAnswer } | { kind: "error"; error: WireError };

const KIND: Record<WireError, NonNullable<CassetteEntry["error"]>["kind"]> = {
  rate_limit: "rate_limit",
  quota_minute: "rate_limit",
  overloaded: "overloaded",
  server: "server",
  quota_exhausted: "quota",
  auth: "auth",
  context_length: "context_length",
};

function entryOf(pending: Pending, request: ModelRequest): CassetteEntry {
  const base = {
    role: request.tag.role,
    step: request.tag.step,
    attempt: request.tag.attempt,
    turn: request.tag.turn,
  };
  if (pending.kind === "error")
    return {
      ...base,
      text: "",
      tool_calls: [],
      error: {
        kind: KIND[pending.error],
        message: `injected ${pending.error}`,
        ...(pending.error.startsWith("rate") || pending.error === "quota_minute"
          ? { retry_after_ms: 7000 }
          : {}),
      },
    };
  const a = pending.answer;
  return {
    ...base,
    // A cassette records the opaque reasoning state the provider answered with; this one is
    // made up per turn, so that a test can see it come back.
    reasoning: [{ type: "thinking", thinking: "", signature: `sig-${entryKey(base)}` }],
    text: a.object !== undefined ? "" : (a.text ?? ""),
    ...(a.object !== undefined ? { object: a.object } : {}),
    tool_calls: (a.toolCalls ?? []).map((c) => ({ name: c.name, input: { ...c.input } })),
    stop: a.stop,
    usage: {
      input: a.usage.uncached,
      output: a.usage.output,
      cache_read: a.usage.cacheRead,
      cache_write: a.usage.cacheWrite,
      reasoning: a.usage.reasoning,
    },
  };
}

export function replayWire(): Wire {
  const queue: Pending[] = [];
  let serving: ((body: Record<string, unknown>) => CanonicalAnswer) | null = null;
  const client: LanguageModel = {
    provider: "replay",
    generate(request) {
      const body = request as unknown as Record<string, unknown>;
      const next: Pending | undefined =
        queue.shift() ?? (serving ? { kind: "answer", answer: serving(body) } : undefined);
      if (!next) return Promise.reject(new Error("no answer queued"));
      const seen = seenBy.get(next);
      seen?.(body);
      const entry = entryOf(next, request);
      for (const r of entry.reasoning ?? []) issued.push(JSON.stringify(r));
      const replay = new ReplayModels({ providers: ["replay"], calls: [entry] });
      if (entryKey(entry) !== entryKey(request.tag)) throw new Error("key mismatch");
      return Promise.resolve().then(() => replay.answer(request, "replay"));
    },
  };
  const issued: string[] = [];
  const seenBy = new WeakMap<Pending, (body: Record<string, unknown>) => void>();
  const messages = (body: Record<string, unknown>) => body["messages"] as ModelRequest["messages"];
  return {
    label: "replay (cassette)",
    provider: "replay",
    model: "any",
    reportsCacheWrites: true,
    reasons: true,
    get issued() {
      return issued;
    },
    client: () => client,
    answer(answer, seen) {
      const pending: Pending = { kind: "answer", answer };
      if (seen) seenBy.set(pending, seen);
      queue.push(pending);
    },
    fail(error, times = 1) {
      for (let i = 0; i < times; i++) queue.push({ kind: "error", error });
    },
    serve(reply) {
      serving = reply;
      return () => {
        serving = null;
      };
    },
    usageOf: (u: CanonicalUsage) => u,
    bill(raw, r) {
      const u = raw as CanonicalUsage;
      return (
        (u.uncached * r.input +
          u.cacheRead * r.cacheRead +
          u.cacheWrite * r.cacheWrite +
          u.output * r.output) /
        1e6
      );
    },
    read: {
      system: (body) => String(body["system"]),
      lastUserText: (body) =>
        messages(body)
          .filter((m) => m.role === "user")
          .at(-1)
          ?.content.flatMap((p) => (p.type === "text" ? [p.text] : []))
          .join("") ?? "",
      toolNames: (body) =>
        ((body["tools"] as { name: string }[] | undefined) ?? []).map((t) => t.name),
      schema: (body) => (body["schema"] as { jsonSchema?: unknown } | undefined)?.jsonSchema,
      lastToolResult: (body) =>
        messages(body)
          .flatMap((m): readonly (UserPart | AssistantPart)[] => m.content)
          .flatMap((p) => (p.type === "tool_result" ? [p.content] : []))
          .at(-1),
      reasoning: (body) =>
        messages(body).flatMap((m) =>
          m.content.flatMap((p) =>
            p.type === "reasoning" ? [JSON.stringify(p.verbatim.data)] : [],
          ),
        ),
    },
  };
}
