/** Variables that must never reach git or the commands it may run. */
const SECRET_ENV = /KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL|AUTH|COOKIE|SESSION/i;

/** Transports a repository may be reached over. `file` is for tests and local mirrors. */
export type GitProtocol = "https" | "file";

/**
 * Settings passed as `-c` on every git command, so they win over any config file. Each one
 * stops git from running a program or choosing an endpoint on a repository's say: hooks,
 * fsmonitor, credential helpers, askpass, pagers, editors, proxies, transports. Config files are
 * ours anyway (no system or global config is read, and the git directory lies outside the work
 * tree), but a setting that runs programs must not depend on that alone.
 */
export function pinnedConfig(protocols: readonly GitProtocol[] = []): string[] {
  return [
    "core.hooksPath=/dev/null",
    "core.fsmonitor=false",
    "core.askPass=",
    "credential.helper=",
    "core.pager=cat",
    "core.editor=true",
    "core.sshCommand=false",
    "core.gitProxy=",
    "http.proxy=",
    "protocol.allow=never",
    ...protocols.map((p) => `protocol.${p}.allow=always`),
    "submodule.recurse=false",
    "core.protectNTFS=true",
    "core.protectHFS=true",
    "commit.gpgsign=false",
    "tag.gpgsign=false",
    "gc.auto=0",
    "maintenance.auto=false",
    "core.quotepath=false",
    "advice.detachedHead=false",
  ];
}

/**
 * The environment of every git command: an allowlist of the caller's variables (no editors,
 * pagers, askpass, proxies or credentials), no system or global config, English messages, never
 * a prompt, and the git directory and work tree named explicitly when given.
 */
export function gitEnvironment(
  options: {
    readonly gitDir?: string | undefined;
    readonly workTree?: string | undefined;
    readonly extra?: Readonly<Record<string, string>> | undefined;
  } = {},
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ["PATH", "HOME", "TMPDIR", "USER", "LOGNAME"]) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return {
    ...env,
    LANG: "C.UTF-8",
    LC_ALL: "C.UTF-8",
    GIT_TERMINAL_PROMPT: "0",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_ATTR_NOSYSTEM: "1",
    ...(options.gitDir ? { GIT_DIR: options.gitDir } : {}),
    ...(options.workTree ? { GIT_WORK_TREE: options.workTree } : {}),
    ...options.extra,
  };
}

/** Whether a variable's name says it may hold a credential. */
export function isSecretName(name: string): boolean {
  return SECRET_ENV.test(name);
}
