import type {
  AssistantPart,
  LanguageModel,
  ModelRequest,
  ModelResponse,
} from "../../ports/language-model.ts";
import { isDeepStrictEqual } from "node:util";
import { ProviderError } from "../../core/errors.ts";
import { entryKey, type Cassette, type CassetteEntry } from "./cassette.ts";

/** The vendors' opaque token fields, since a cassette's reasoning may stand in for any of them. */
const OPAQUE = ["signature", "data", "encrypted_content", "thoughtSignature"];

/** What the assistant said for an entry, reasoning first, as the provider stood in for sends it. */
function contentOf(entry: CassetteEntry, provider: string): AssistantPart[] {
  return [
    ...(entry.reasoning ?? []).map((data) => ({
      type: "reasoning" as const,
      verbatim: { provider, data, opaque: OPAQUE },
    })),
    ...(entry.text ? [{ type: "text" as const, text: entry.text }] : []),
    ...entry.tool_calls.map((c, i) => ({
      type: "tool_call" as const,
      id: `toolu_${entry.turn}_${i}`,
      name: c.name,
      input: c.input,
    })),
  ];
}

/** A request the cassette has no answer for: the run stops loudly rather than guess. */
export class CassetteMissError extends Error {
  override readonly name = "CassetteMissError";
}

/**
 * Answers from a cassette keyed by role, step, attempt and turn, and records every request.
 * One `ReplayModels` stands in for each provider the cassette names.
 */
export class ReplayModels {
  readonly requests: ModelRequest[] = [];
  readonly #entries: Map<string, CassetteEntry>;
  readonly #cassette: Cassette;

  constructor(cassette: Cassette) {
    this.#cassette = cassette;
    this.#entries = new Map(cassette.calls.map((e) => [entryKey(e), e]));
  }

  get providers(): readonly string[] {
    return this.#cassette.providers;
  }

  /** The stand-in client for one provider. */
  client(provider: string): LanguageModel {
    return {
      provider,
      generate: (request) => Promise.resolve().then(() => this.answer(request, provider)),
    };
  }

  /**
   * Like the vendors' APIs, the replay refuses a conversation whose earlier assistant turns
   * (turn j of this role, step and attempt is the j-th assistant message) came back changed.
   */
  #checkEarlierTurns(request: ModelRequest, provider: string): void {
    let turn = 0;
    for (const message of request.messages) {
      if (message.role !== "assistant") continue;
      const earlier = this.#entries.get(entryKey({ ...request.tag, turn }));
      if (earlier && !isDeepStrictEqual(message.content, contentOf(earlier, provider)))
        throw new ProviderError({
          provider,
          kind: "invalid_request",
          message: `the assistant's turn ${turn} came back changed (task ${request.tag.task}, ${entryKey(request.tag)})`,
        });
      turn += 1;
    }
  }

  answer(request: ModelRequest, provider = "replay"): ModelResponse {
    this.requests.push(request);
    const key = entryKey(request.tag);
    const entry = this.#entries.get(key);
    if (!entry)
      throw new CassetteMissError(
        `the cassette has no answer for ${key} (task ${request.tag.task}, model ${request.model})`,
      );
    this.#checkEarlierTurns(request, provider);
    if (entry.error)
      throw new ProviderError({
        provider,
        kind: entry.error.kind,
        message: entry.error.message,
        retryAfterMs: entry.error.retry_after_ms,
      });
    const content = contentOf(entry, provider);
    const outputChars = entry.text.length + JSON.stringify(entry.object ?? entry.tool_calls).length;
    const inputChars = request.system.length + JSON.stringify(request.messages).length;
    return {
      text: entry.text,
      ...(entry.object === undefined ? {} : { object: entry.object }),
      content,
      stopReason: entry.stop ?? (entry.tool_calls.length > 0 ? "tool_use" : "end"),
      usage: entry.usage
        ? {
            input: {
              noCache: entry.usage.input,
              cacheRead: entry.usage.cache_read,
              cacheWrite: entry.usage.cache_write,
            },
            output: entry.usage.output,
            ...(entry.usage.reasoning > 0 ? { reasoning: entry.usage.reasoning } : {}),
          }
        : {
            input: { noCache: Math.ceil(inputChars / 4), cacheRead: 0, cacheWrite: 0 },
            output: Math.ceil(outputChars / 4),
          },
    };
  }
}
