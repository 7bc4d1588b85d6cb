// aider in scripting mode: `aider --message … --yes-always`, plain text; each model reply ends
// with a line such as "Tokens: 2.3k sent, 156 received. Cost: $0.0093 message, $0.0093 session."
import { effortArgs, errorKind, type CliSpec } from "./cli-agent.ts";

const TOKENS =
  /^Tokens: ([\d.]+)(k?) sent(?:, ([\d.]+)(k?) cache write)?(?:, ([\d.]+)(k?) cache hit)?, ([\d.]+)(k?) received\.(?: Cost: \$([\d.]+) message, \$([\d.]+) session\.)?/;

const count = (n: string | undefined, k: string | undefined): number =>
  n === undefined ? 0 : Math.round(Number(n) * (k === "k" ? 1000 : 1));

export const aider: CliSpec = {
  provider: "aider",
  passEnv: ["ANTHROPIC_API_KEY", "OPENAI_API_KEY", "GEMINI_API_KEY", "OPENROUTER_API_KEY"],
  // `--reasoning-effort`: the `reasoning_effort` parameter of OpenAI's reasoning models (aider's
  // "Reasoning models" page); its other models take thinking tokens instead, so `withAgents`
  // gives only aider's OpenAI models effort levels.
  effort: (level) => ["--reasoning-effort", level],
  args: (run) => [
    "--message",
    `${run.instructions}\n\n${run.prompt}`,
    "--yes-always",
    "--no-git",
    "--no-auto-commits",
    "--no-pretty",
    "--no-stream",
    "--no-show-model-warnings",
    "--no-check-update",
    "--no-suggest-shell-commands",
    "--analytics-disable",
    ...(run.model ? ["--model", run.model] : []),
    ...effortArgs(aider, run),
  ],
  read(line, p) {
    const m = TOKENS.exec(line.trim());
    if (m) {
      p.turns += 1;
      p.reported = true;
      const sent = count(m[1], m[2]);
      const written = count(m[3], m[4]);
      const hit = count(m[5], m[6]);
      p.usage = {
        input: {
          noCache: p.usage.input.noCache + Math.max(0, sent - written - hit),
          cacheRead: p.usage.input.cacheRead + hit,
          cacheWrite: p.usage.input.cacheWrite + written,
        },
        output: p.usage.output + count(m[7], m[8]),
      };
      if (m[10] !== undefined) p.reportedCostUsd = Number(m[10]);
      return;
    }
    if (/^litellm\.\w+Error\b/.test(line.trim()))
      p.error = { kind: errorKind(line), message: line.trim() };
    else if (line.trim()) p.summary = line.trim();
  },
};
