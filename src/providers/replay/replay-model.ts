import type {
  AssistantPart,
  LanguageModel,
  ModelRequest,
  ModelResponse,
} from "../../ports/language-model.ts";
import { ProviderError } from "../../core/errors.ts";
import { entryKey, type Cassette, type CassetteEntry } from "./cassette.ts";

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

  answer(request: ModelRequest, provider = "replay"): ModelResponse {
    this.requests.push(request);
    const key = entryKey(request.tag);
    const entry = this.#entries.get(key);
    if (!entry)
      throw new CassetteMissError(
        `the cassette has no answer for ${key} (task ${request.tag.task}, model ${request.model})`,
      );
    if (entry.error)
      throw new ProviderError({
        provider,
        kind: entry.error.kind,
        message: entry.error.message,
        retryAfterMs: entry.error.retry_after_ms,
      });
    const content: AssistantPart[] = [
      ...(entry.text ? [{ type: "text" as const, text: entry.text }] : []),
      ...entry.tool_calls.map((c, i) => ({
        type: "tool_call" as const,
        id: `toolu_${request.tag.turn}_${i}`,
        name: c.name,
        input: c.input,
      })),
    ];
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
