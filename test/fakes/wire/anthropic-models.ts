// What each Claude model of models.yaml does with thinking, as Anthropic documents it. Sources
// (platform.claude.com/docs/en/…): build-with-claude/thinking-troubleshooting ("Thinking
// support, defaults, and rejected configurations by model"), models/sonnet-5-5/whats-new-sonnet-5-5,
// models/opus-5-5/whats-new-opus-5-5, build-with-claude/thinking-tool-workflows,
// build-with-claude/preserved-thinking (+ /prefix-checks). Rows or fields marked "assumed" are
// not stated on those pages; see test/fakes/wire/README.md.

export interface ClaudeModel {
  readonly maxOutput: number;
  /** Thinking runs when the request has no `thinking` field (adaptive on by default). */
  readonly thinksByDefault: boolean;
  /** `thinking.type` values refused with a 400, with the API's message. */
  readonly refusesThinking: Readonly<Partial<Record<string, string>>>;
  /** `tool_choice` any/tool refused while thinking is on (the 5.5 family: always). */
  readonly refusesForcedTools: boolean;
  /** Non-default `temperature`, `top_p`, `top_k` refused. */
  readonly refusesSampling: boolean;
  /** A conversation ending with an assistant message (prefill) refused. */
  readonly refusesPrefill: boolean;
  /** Preserved thinking: blocks are bound to their prefix (400 on a change) and to the models that read them. */
  readonly preserved: boolean;
  /** Other models whose blocks this one reads (besides its own). */
  readonly reads: readonly string[];
  /** Default `thinking.display`: `omitted` returns thinking blocks with empty text. */
  readonly display: "omitted" | "summarized";
  /** `output_config.effort` levels taken (build-with-claude/effort); absent: the parameter is refused. */
  readonly effort?: readonly string[];
}

/** The effort page's levels ("Effort levels" table): every 5.x model but Haiku 5.5 takes all five. */
export const ALL_EFFORTS = ["low", "medium", "high", "xhigh", "max"] as const;

const adaptiveOnly = (model: string) => ({
  disabled: `"thinking.type.disabled" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.`,
  enabled: `"thinking.type.enabled" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.`,
  between_tools: `"thinking.type.between_tools" is not supported for ${model}.`,
});

const FIVE_FIVE = {
  maxOutput: 128_000,
  thinksByDefault: true,
  refusesForcedTools: true,
  refusesSampling: true,
  refusesPrefill: true,
  preserved: true,
  display: "omitted",
  effort: ALL_EFFORTS,
} as const;

export const CLAUDE_MODELS: Readonly<Record<string, ClaudeModel>> = {
  // Fable 5.2 page: Fable 5.1's behaviour with four changes, of which two bear on thinking: the
  // prefix check applies to every account, and only Fable 5.2 and Mythos 5.2 read Fable 5.2's
  // thinking blocks (and the other way round). Adaptive thinking always on.
  "claude-fable-5-2": {
    ...FIVE_FIVE,
    refusesThinking: adaptiveOnly("claude-fable-5-2"),
    reads: ["claude-mythos-5-2"],
  },
  "claude-mythos-5-2": {
    ...FIVE_FIVE,
    refusesThinking: adaptiveOnly("claude-mythos-5-2"),
    reads: ["claude-fable-5-2"],
  },
  // Opus 5.5 page: thinking is always on, `disabled` and `enabled` are refused with these
  // messages; forced tool use is refused; "the first three [changes] also apply to Fable 5.1".
  "claude-fable-5-1": {
    ...FIVE_FIVE,
    refusesThinking: adaptiveOnly("claude-fable-5-1"),
    reads: ["claude-opus-5", "claude-opus-5-5"],
  },
  "claude-opus-5-5": {
    ...FIVE_FIVE,
    refusesThinking: adaptiveOnly("claude-opus-5-5"),
    reads: [],
  },
  // Sonnet 5.5 page: adaptive by default, `between_tools` instead of `disabled` (which is
  // refused with a message pointing to it), forced tool use and non-default sampling refused.
  "claude-sonnet-5-5": {
    ...FIVE_FIVE,
    refusesThinking: {
      disabled: `"thinking.type.disabled" is not supported for this model. Use "thinking.type.between_tools" to turn off up-front thinking.`,
      enabled: `"thinking.type.enabled" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.`,
    },
    reads: [],
  },
  // Listed on the preserved-thinking pages; thinking by default and its display are assumed.
  "claude-haiku-5-5": {
    ...FIVE_FIVE,
    refusesForcedTools: false,
    display: "summarized",
    // Assumed: the effort page's table is not in our reference store for Haiku 5.5.
    effort: ["low", "medium", "high"],
    refusesThinking: { enabled: adaptiveOnly("claude-haiku-5-5").enabled },
    reads: [],
  },
  // Opus 5: thinking on by default, `disabled` accepted (at effort high or below), blocks not
  // bound to their conversation (Opus 5.5 page, "Thinking cannot be disabled").
  "claude-opus-5": {
    ...FIVE_FIVE,
    refusesForcedTools: false,
    preserved: false,
    refusesThinking: { enabled: adaptiveOnly("claude-opus-5").enabled },
    reads: [],
  },
  // Sonnet 5: adaptive or disabled, display omitted, no conversation check (Sonnet 5.5 page's
  // comparison); sampling parameters refused ("temperature is deprecated for this model").
  "claude-sonnet-5": {
    ...FIVE_FIVE,
    refusesForcedTools: false,
    preserved: false,
    refusesThinking: { enabled: adaptiveOnly("claude-sonnet-5").enabled },
    reads: [],
  },
  // 4.5 models: extended thinking only, off unless asked for (thinking-troubleshooting).
  ...Object.fromEntries(
    ["claude-haiku-4-5", "claude-sonnet-4-5", "claude-opus-4-5"].map((id) => [
      id,
      {
        maxOutput: 64_000,
        thinksByDefault: false,
        refusesThinking: { adaptive: `"thinking.type.adaptive" is not supported for ${id}.` },
        refusesForcedTools: false,
        refusesSampling: false,
        refusesPrefill: false,
        preserved: false,
        reads: [],
        display: "summarized",
        // Effort came with Opus 4.5 (low, medium, high); the other 4.5 models refuse it.
        ...(id === "claude-opus-4-5" ? { effort: ["low", "medium", "high"] } : {}),
      } satisfies ClaudeModel,
    ]),
  ),
};
