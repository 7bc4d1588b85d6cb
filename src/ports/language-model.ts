import type { Usage } from "../core/cost/usage.ts";
import type { Effort } from "../core/vocabulary/effort.ts";

/** Who is asking, for logs, replay cassettes and call journals. */
export interface CallTag {
  /** Task id. */
  readonly task: string;
  /** Role of the caller: planner, plan_reviewer, implementer, code_reviewer, fixer. */
  readonly role: string;
  /** Step id, or null outside a step. */
  readonly step: string | null;
  /** Attempt of the effect this call belongs to. */
  readonly attempt: number;
  /** Turn within the effect: 0 for the first call, then tool turns and repair turns. */
  readonly turn: number;
}

export type UserPart =
  | { readonly type: "text"; readonly text: string }
  | {
      readonly type: "tool_result";
      readonly toolCallId: string;
      readonly content: string;
      readonly isError: boolean;
    };

/**
 * A provider's own copy of what its model said, kept to be sent back unchanged: only the adapter
 * of `provider` reads it (and sends it exactly as received); every other one ignores it. Nothing
 * on the way back (redaction, fencing, trimming) rewrites it.
 */
export interface Verbatim {
  /** `LanguageModel.provider` of the client that received it. */
  readonly provider: string;
  /** The block, item or part as the provider's API returned it. */
  readonly data: Readonly<Record<string, unknown>>;
  /**
   * Keys inside `data` (at any depth) whose strings are opaque tokens (signatures, encrypted
   * reasoning): a credential shape in them is chance, so redaction leaves them whole.
   */
  readonly opaque?: readonly string[];
}

export type AssistantPart =
  | {
      readonly type: "text";
      readonly text: string;
      /** The provider's part, when it carries more than the text (Gemini's thought signature, an OpenAI message item's id). */
      readonly verbatim?: Verbatim;
    }
  | {
      readonly type: "tool_call";
      readonly id: string;
      readonly name: string;
      readonly input: unknown;
      /** The provider's call, when it carries more than the above (Gemini's thought signature, an OpenAI function_call item's id). */
      readonly verbatim?: Verbatim;
    }
  | {
      /**
       * The model's reasoning state, opaque and signed: an Anthropic thinking or
       * redacted_thinking block, an OpenAI reasoning item with its encrypted content, a Gemini
       * thought part. It goes back in its place, byte for byte, or the provider refuses the turn
       * (or the model continues without its reasoning).
       */
      readonly type: "reasoning";
      readonly verbatim: Verbatim;
    };

export type Message =
  | { readonly role: "user"; readonly content: readonly UserPart[] }
  | { readonly role: "assistant"; readonly content: readonly AssistantPart[] };

/** A tool the model may call. */
export interface ToolSpec {
  /** Name the model calls it by. */
  readonly name: string;
  /** What it does, for the model. */
  readonly description: string;
  /** JSON Schema of its input object. */
  readonly inputSchema: Readonly<Record<string, unknown>>;
}

export interface ModelRequest {
  /** Provider-specific model id (without the `provider/` prefix). */
  readonly model: string;
  /** Instructions: the only text the model is told to obey. */
  readonly system: string;
  readonly messages: readonly Message[];
  /** Tools for a tool loop. */
  readonly tools?: readonly ToolSpec[];
  /** Ask for one JSON object matching this schema, through the provider's native structured output. */
  readonly schema?: {
    readonly name: string;
    readonly jsonSchema: Readonly<Record<string, unknown>>;
  };
  readonly maxOutputTokens: number;
  /**
   * How hard the model reasons, for a model whose API takes it (`ModelInfo.effort`); absent, the
   * provider's default. The adapter writes its vendor's field; a level the model does not take is
   * refused by the API, not changed here.
   */
  readonly effort?: Effort;
  /** Mark the system prompt and the first user message as a stable prefix worth caching. */
  readonly cacheHint?: boolean;
  readonly tag: CallTag;
}

export type StopReason = "end" | "tool_use" | "max_tokens" | "refusal" | "other";

export interface ModelResponse {
  /** Concatenated text parts. */
  readonly text: string;
  /** The structured answer, when the request had a schema and the model gave one. */
  readonly object?: unknown;
  /** What the assistant said, reasoning included, to send back verbatim in the next turn. */
  readonly content: readonly AssistantPart[];
  readonly stopReason: StopReason;
  readonly usage: Usage;
  /** The provider did not report usage; ours is an estimate (agent CLIs). */
  readonly estimated?: boolean;
}

/** One provider's models. Errors are `ProviderError`s; the port never retries on its own. */
export interface LanguageModel {
  /** Provider name as used in model references (`anthropic` in `anthropic/claude-sonnet-5-5`). */
  readonly provider: string;
  /** One call; no retries. */
  generate(
    request: ModelRequest,
    options?: { readonly signal?: AbortSignal },
  ): Promise<ModelResponse>;
}
