import { chooseSandbox, type SandboxAnswer, type SandboxChoice } from "./registry.ts";

/** `ORCHESTRATOR_SANDBOX`: `auto` (bubblewrap when it works), `bwrap`, `none` (as the user), `off`. */
export const SANDBOX_VARIABLE = "ORCHESTRATOR_SANDBOX";

const CHOICES: readonly SandboxChoice[] = ["auto", "bwrap", "none", "off"];

/**
 * The CLI's and the Action's sandbox. Off unless asked for: a host that runs the repository's
 * commands says so. `bwrap` that does not work is an error, not a quiet fallback.
 */
export async function sandboxFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): Promise<SandboxAnswer> {
  const raw = (env[SANDBOX_VARIABLE] ?? "off").trim().toLowerCase() || "off";
  const choice = CHOICES.find((c) => c === raw);
  if (!choice)
    throw new Error(`${SANDBOX_VARIABLE} must be one of ${CHOICES.join(", ")}, not ${raw}`);
  if (choice === "off") return { sandbox: null, note: "" };
  const answer = await chooseSandbox(choice);
  if (choice === "bwrap" && answer.sandbox === null) throw new Error(answer.note);
  return answer;
}
