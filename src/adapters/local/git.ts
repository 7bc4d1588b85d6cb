import { simpleGit, type SimpleGit } from "simple-git";

/** Variables that must never reach git or the commands it may run. */
const SECRET_ENV = /KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL/i;

/**
 * The one way we run git: non-interactive, English messages, no hooks, no signing, no system
 * config, and only an allowlist of the caller's environment.
 */
export function createGit(
  directory: string,
  extraEnv: Readonly<Record<string, string>> = {},
): SimpleGit {
  const env: Record<string, string> = {
    ...gitEnv(),
    LANG: "C.UTF-8",
    LC_ALL: "C.UTF-8",
    GIT_TERMINAL_PROMPT: "0",
    GIT_CONFIG_NOSYSTEM: "1",
    ...extraEnv,
  };
  return simpleGit({
    allowEnvironment: Object.keys(env).filter((name) => name.startsWith("GIT_")),
    baseDir: directory,
    maxConcurrentProcesses: 4,
    config: [
      "core.hooksPath=/dev/null",
      "commit.gpgsign=false",
      "core.quotepath=false",
      "advice.detachedHead=false",
    ],
    // The hooks path is set by us, to /dev/null, so that no repository hook ever runs; config
    // from the environment is only ever our own (the token header of a push or clone).
    unsafe: {
      allowUnsafeHooksPath: true,
      allowUnsafeConfigEnvCount: "GIT_CONFIG_COUNT" in extraEnv,
    },
  }).env(env);
}

/** Git gets only what it needs from our environment: no editors, pagers, askpass or credentials. */
function gitEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ["PATH", "HOME", "TMPDIR", "USER", "LOGNAME"]) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

/** The process environment without anything that looks like a credential. */
export function safeEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !SECRET_ENV.test(name)) env[name] = value;
  }
  return env;
}
