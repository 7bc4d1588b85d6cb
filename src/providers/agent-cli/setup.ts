import { InvalidInputError } from "../../core/errors.ts";
import type { CodingAgent } from "../../ports/coding-agent.ts";
import { aider } from "./aider.ts";
import { claudeCode } from "./claude-code.ts";
import { CliAgent, type CliSpec } from "./cli-agent.ts";
import { codex } from "./codex.ts";
import { geminiCli } from "./gemini-cli.ts";

/** Every agent CLI, with the binary it is found by. A new one is a spec file and a line here. */
const AGENTS: Readonly<Record<string, { spec: CliSpec; binary: string }>> = {
  "claude-code": { spec: claudeCode, binary: "claude" },
  "gemini-cli": { spec: geminiCli, binary: "gemini" },
  codex: { spec: codex, binary: "codex" },
  aider: { spec: aider, binary: "aider" },
};

/** `ORCHESTRATOR_AGENTS`: the agent CLIs the user opts in to (never on just because one is installed). */
export const AGENTS_VARIABLE = "ORCHESTRATOR_AGENTS";

/**
 * The agent CLIs named in `ORCHESTRATOR_AGENTS` (comma-separated). Each binary is taken from
 * `ORCHESTRATOR_<NAME>_BIN` (e.g. `ORCHESTRATOR_CLAUDE_CODE_BIN`) or found on PATH; Gemini CLI's
 * login mode uses the home in `ORCHESTRATOR_GEMINI_CLI_HOME`.
 */
export function agentsFromEnv(env: NodeJS.ProcessEnv): CodingAgent[] {
  const names = (env[AGENTS_VARIABLE] ?? "")
    .split(",")
    .map((n) => n.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !Object.hasOwn(AGENTS, n));
  if (unknown.length > 0)
    throw new InvalidInputError("environment", [
      {
        path: AGENTS_VARIABLE,
        message: `unknown agent ${unknown.join(", ")}; known: ${Object.keys(AGENTS).join(", ")}`,
      },
    ]);
  return names.map((name) => {
    const known = AGENTS[name] as { spec: CliSpec; binary: string };
    const variable = `ORCHESTRATOR_${name.toUpperCase().replace(/-/g, "_")}_BIN`;
    return new CliAgent({
      spec: known.spec,
      binary: env[variable] ?? known.binary,
      env,
      home: name === "gemini-cli" ? env["ORCHESTRATOR_GEMINI_CLI_HOME"] : undefined,
    });
  });
}
