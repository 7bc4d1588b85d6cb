import type { ModelInfo, ModelRegistry } from "./registry.ts";

/**
 * Coding-agent CLIs and the provider whose models each runs (aider runs any: its models are
 * named `aider/<provider>/<model>`). An agent's model is priced as the model it runs.
 */
export const AGENT_BACKENDS: Readonly<Record<string, string | null>> = {
  "claude-code": "anthropic",
  "gemini-cli": "google",
  codex: "openai",
  aider: null,
};

/**
 * Whether an agent CLI is told an effort level for a model of `provider`, in a flag of its own
 * (`CliSpec.effort`): Claude Code's `--effort`, Codex's `model_reasoning_effort`, aider's
 * `--reasoning-effort` (OpenAI's reasoning models; its others take thinking tokens). Gemini CLI
 * has none. A model an agent cannot be told a level for has no `effort` levels as that agent's.
 */
export function agentTakesEffort(agent: string, provider: string): boolean {
  switch (agent) {
    case "claude-code":
    case "codex":
      return true;
    case "aider":
      return provider === "openai";
    default:
      return false;
  }
}

/** The registry with each configured agent's models added, for the implementer and fixer only (capability `code`). */
export function withAgents(registry: ModelRegistry, agents: readonly string[]): ModelRegistry {
  if (agents.length === 0) return registry;
  const models = new Map(registry.models);
  for (const agent of agents) {
    if (!Object.hasOwn(AGENT_BACKENDS, agent)) continue;
    const backend = AGENT_BACKENDS[agent];
    for (const info of registry.models.values()) {
      if (backend !== null && info.provider !== backend) continue;
      if (!info.capabilities.includes("code")) continue;
      const name = backend === null ? info.ref : info.ref.slice(info.ref.indexOf("/") + 1);
      const ref = `${agent}/${name}`;
      const { effort, ...rest } = info;
      const entry: ModelInfo = {
        ...rest,
        ...(effort && agentTakesEffort(agent, info.provider) ? { effort } : {}),
        ref,
        provider: agent,
        capabilities: ["code"],
      };
      models.set(ref, entry);
    }
  }
  return { ...registry, models };
}

/** The model an agent's model runs (`claude-code/x` → `anthropic/x`, `aider/p/m` → `p/m`); others as they are. */
export function underlyingModel(ref: string): string {
  const slash = ref.indexOf("/");
  const agent = ref.slice(0, slash);
  if (!Object.hasOwn(AGENT_BACKENDS, agent)) return ref;
  const backend = AGENT_BACKENDS[agent];
  const rest = ref.slice(slash + 1);
  return backend === null ? rest : `${backend}/${rest}`;
}
