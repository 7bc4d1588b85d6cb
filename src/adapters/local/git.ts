import { simpleGit, type SimpleGit } from "simple-git";

/** Variables that must never reach git or the commands it may run. */
const SECRET_ENV = /KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL/i;

/**
 * The one way we run git: non-interactive, English messages, no hooks, no signing prompts,
 * none of the caller's secrets in the environment.
 */
export function createGit(directory: string, extraEnv: Readonly<Record<string, string>> = {}): SimpleGit {
  return simpleGit({
    baseDir: directory,
    maxConcurrentProcesses: 4,
    config: ["core.hooksPath=/dev/null", "commit.gpgsign=false", "core.quotepath=false", "advice.detachedHead=false"],
  }).env({ ...safeEnv(), LANG: "C.UTF-8", LC_ALL: "C.UTF-8", GIT_TERMINAL_PROMPT: "0", GIT_SSH_COMMAND: "ssh -oBatchMode=yes", ...extraEnv });
}

/** The process environment without anything that looks like a credential. */
export function safeEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !SECRET_ENV.test(name)) env[name] = value;
  }
  return env;
}
