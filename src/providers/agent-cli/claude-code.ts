// Claude Code headless: `claude -p … --output-format stream-json --verbose`, one JSON object per
// line (system init, assistant messages with usage, tool results, and a final result with
// total_cost_usd, num_turns and usage), as in its CLI reference and SDK docs.
import { effortArgs, errorKind, jsonLine, num, type CliSpec } from "./cli-agent.ts";

/** File tools only: the agent edits files; it runs no commands and reaches no network. */
const TOOLS = "Read,Edit,MultiEdit,Write,Glob,Grep,LS";
const DENIED = "Bash,WebFetch,WebSearch,Task,NotebookEdit";

export const claudeCode: CliSpec = {
  provider: "claude-code",
  passEnv: ["ANTHROPIC_API_KEY"],
  // `--effort low|medium|high|xhigh|max`: the API's `output_config.effort` levels, by name
  // (code.claude.com/docs/en/model-config, "Adjust effort level"). CLAUDE_CODE_EFFORT_LEVEL
  // would win over it, but no variable of ours reaches the CLI.
  effort: (level) => ["--effort", level],
  args: (run) => [
    "-p",
    run.prompt,
    "--output-format",
    "stream-json",
    "--verbose",
    "--append-system-prompt",
    run.instructions,
    "--permission-mode",
    "acceptEdits",
    "--allowedTools",
    TOOLS,
    "--disallowedTools",
    DENIED,
    ...(run.model ? ["--model", run.model] : []),
    ...effortArgs(claudeCode, run),
  ],
  read(line, p) {
    const event = jsonLine(line);
    if (!event) return;
    if (event["type"] === "assistant") {
      p.turns += 1;
      const message = event["message"] as { usage?: Record<string, unknown> } | undefined;
      const u = message?.usage;
      if (u) {
        p.reported = true;
        p.usage = {
          input: {
            noCache: p.usage.input.noCache + num(u["input_tokens"]),
            cacheRead: p.usage.input.cacheRead + num(u["cache_read_input_tokens"]),
            cacheWrite: p.usage.input.cacheWrite + num(u["cache_creation_input_tokens"]),
          },
          output: p.usage.output + num(u["output_tokens"]),
        };
      }
    }
    if (event["type"] === "result") {
      const text = typeof event["result"] === "string" ? event["result"] : "";
      if (event["is_error"] === true || event["subtype"] === "error_during_execution")
        p.error = { kind: errorKind(text), message: text || String(event["subtype"]) };
      p.summary = text;
      if (typeof event["total_cost_usd"] === "number") p.reportedCostUsd = event["total_cost_usd"];
      const u = event["usage"] as Record<string, unknown> | undefined;
      if (u) {
        // The final usage is the run's total: it replaces what the messages added up to.
        p.reported = true;
        p.usage = {
          input: {
            noCache: num(u["input_tokens"]),
            cacheRead: num(u["cache_read_input_tokens"]),
            cacheWrite: num(u["cache_creation_input_tokens"]),
          },
          output: num(u["output_tokens"]),
        };
      }
    }
  },
};
