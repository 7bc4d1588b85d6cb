// Codex: `codex exec --json …`, JSONL events (thread.started, turn.started, item.started and
// item.completed with agent_message / file_change / command_execution items, turn.completed
// with usage, turn.failed and error), per the Codex CLI's exec documentation.
import type { Effort } from "../../core/vocabulary/effort.ts";
import { effortArgs, errorKind, jsonLine, num, type CliSpec } from "./cli-agent.ts";

/**
 * `model_reasoning_effort` takes minimal, low, medium, high or xhigh (the Codex configuration
 * reference): our `max` is its `xhigh`. The value is a TOML string (`-c` parses TOML).
 */
const LEVEL: Record<Effort, string> = {
  low: "low",
  medium: "medium",
  high: "high",
  xhigh: "xhigh",
  max: "xhigh",
};

export const codex: CliSpec = {
  provider: "codex",
  passEnv: ["OPENAI_API_KEY", "CODEX_API_KEY"],
  effort: (level) => ["-c", `model_reasoning_effort="${LEVEL[level]}"`],
  args: (run) => [
    "exec",
    "--json",
    "--skip-git-repo-check",
    "--sandbox",
    "workspace-write",
    ...(run.model ? ["-m", run.model] : []),
    ...effortArgs(codex, run),
    `${run.instructions}\n\n${run.prompt}`,
  ],
  read(line, p) {
    const event = jsonLine(line);
    if (!event) return;
    const type = event["type"];
    const item = event["item"] as { type?: string; text?: string } | undefined;
    if (type === "item.completed" && item) {
      if (item.type === "agent_message" && typeof item.text === "string") p.summary = item.text;
      else if (item.type !== "reasoning") p.turns += 1;
    }
    if (type === "turn.completed") {
      const u = event["usage"] as Record<string, unknown> | undefined;
      if (u) {
        // Codex's input count includes the cached tokens.
        const input = num(u["input_tokens"]);
        const cached = Math.min(input, num(u["cached_input_tokens"]));
        p.reported = true;
        p.usage = {
          input: {
            noCache: p.usage.input.noCache + input - cached,
            cacheRead: p.usage.input.cacheRead + cached,
            cacheWrite: 0,
          },
          output: p.usage.output + num(u["output_tokens"]),
        };
      }
    }
    if (type === "turn.failed" || type === "error") {
      const e = (event["error"] as { message?: string } | undefined)?.message;
      const message =
        e ?? (typeof event["message"] === "string" ? event["message"] : "the run failed");
      p.error = { kind: errorKind(message), message };
    }
  },
};
