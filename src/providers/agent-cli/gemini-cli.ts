// Gemini CLI headless: `gemini -p … --output-format stream-json`, JSONL events (init, message,
// tool_use, tool_result, error, result with per-model token stats), per its headless reference.
// Without GEMINI_API_KEY it uses the login kept in its home (the free login mode). It has no
// flag for a thinking level (that is in its settings file, and the login home is the user's), so
// it runs at its own default and `withAgents` gives its models no effort levels.
import type { Usage } from "../../core/cost/usage.ts";
import { errorKind, jsonLine, num, type CliSpec } from "./cli-agent.ts";

export const geminiCli: CliSpec = {
  provider: "gemini-cli",
  passEnv: ["GEMINI_API_KEY", "GOOGLE_API_KEY"],
  args: (run) => [
    "-p",
    `${run.instructions}\n\n${run.prompt}`,
    "--output-format",
    "stream-json",
    "--approval-mode",
    "auto_edit",
    ...(run.model ? ["-m", run.model] : []),
  ],
  read(line, p) {
    const event = jsonLine(line);
    if (!event) return;
    const type = event["type"];
    if (type === "tool_use") p.turns += 1;
    if (type === "message" && event["role"] === "assistant" && typeof event["content"] === "string")
      p.summary = event["delta"] === true ? p.summary + event["content"] : event["content"];
    if (type === "error" && event["severity"] !== "warning") {
      const message = typeof event["message"] === "string" ? event["message"] : "error";
      p.error = { kind: errorKind(message), message };
    }
    if (type === "result") {
      const stats = event["stats"] as Record<string, unknown> | undefined;
      const usage = stats ? usageOf(stats) : null;
      if (usage) {
        p.reported = true;
        p.usage = usage;
      }
      if (event["status"] === "error") {
        const e = event["error"] as { message?: string } | undefined;
        const message = e?.message ?? "the run failed";
        p.error = { kind: errorKind(message), message };
      }
    }
  },
};

/** Tokens from the stats: per model (`models.<m>.tokens`), or as totals. Prompt counts include cached ones. */
function usageOf(stats: Record<string, unknown>): Usage | null {
  const models = stats["models"] as
    Record<string, { tokens?: Record<string, unknown> }> | undefined;
  const per = models ? Object.values(models).map((m) => m.tokens ?? {}) : [];
  const t =
    per.length > 0
      ? per.reduce<Record<string, number>>((sum, tokens) => {
          for (const k of ["prompt", "candidates", "cached", "thoughts"])
            sum[k] = (sum[k] ?? 0) + num(tokens[k]);
          return sum;
        }, {})
      : {
          prompt: num(stats["input_tokens"]),
          candidates: num(stats["output_tokens"]),
          cached: num(stats["cached"]),
          thoughts: 0,
        };
  const prompt = t["prompt"] ?? 0;
  const cached = Math.min(prompt, t["cached"] ?? 0);
  if (prompt === 0 && (t["candidates"] ?? 0) === 0) return null;
  return {
    input: { noCache: prompt - cached, cacheRead: cached, cacheWrite: 0 },
    output: (t["candidates"] ?? 0) + (t["thoughts"] ?? 0),
  };
}
