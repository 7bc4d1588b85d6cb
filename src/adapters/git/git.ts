import { execFile } from "node:child_process";
import { simpleGit, type SimpleGit } from "simple-git";
import { WorkspaceError } from "../../core/errors.ts";
import { gitEnvironment, pinnedConfig, type GitProtocol } from "./environment.ts";

/** Commands that talk to a remote are killed after this long unless told otherwise. */
const NETWORK_TIMEOUT_MS = 120_000;
const MAX_OUTPUT = 256 * 1024 * 1024;

export interface GitOptions {
  /** Folder the commands run in. */
  readonly cwd: string;
  /** The repository's git directory, named explicitly so nothing inside a work tree can choose it. */
  readonly gitDir?: string;
  /** The work tree, named explicitly. */
  readonly workTree?: string;
  /** Transports clone, fetch, push and ls-remote may use; none by default. */
  readonly protocols?: readonly GitProtocol[];
  /** More environment (author identity and dates). */
  readonly env?: Readonly<Record<string, string>>;
}

/** A failed git command, with its exit code and what it printed on stderr. */
export class GitCommandError extends WorkspaceError {
  override readonly name = "GitCommandError";
  readonly command: string;
  readonly exitCode: number | null;
  readonly timedOut: boolean;

  constructor(options: {
    command: string;
    exitCode: number | null;
    stderr: string;
    timedOut: boolean;
    cause?: unknown;
  }) {
    super(
      `git ${options.command} ${options.timedOut ? "timed out" : `failed (exit ${String(options.exitCode)})`}: ${options.stderr.trim().slice(0, 2_000)}`,
      { cause: options.cause, retryable: options.timedOut },
    );
    this.command = options.command;
    this.exitCode = options.exitCode;
    this.timedOut = options.timedOut;
  }
}

/**
 * The one way the engine runs git: pinned settings (`pinnedConfig`), an allowlisted environment,
 * and the git directory and work tree named explicitly.
 *
 * Two paths, chosen by measurement. simple-git (the client the product's owner named) runs the
 * commands that print something, and checks their arguments against its list of dangerous
 * options. But its completion plugin waits 50 ms after any command that prints nothing, and that
 * wait cannot be configured in 4.0.x: measured 56 ms per quiet command against 4 ms through
 * `execFile`, on more than half of a step's git commands. Quiet commands (add, commit, reset,
 * clean, notes, worktree, checkout), commands whose answer may be empty (status of a clean
 * tree, log, diff, grep, ls-files, branch --list) and everything that touches the network
 * (clone, fetch, push, ls-remote: each with a timeout) go through `execFile` with the same
 * settings.
 */
export class Git {
  readonly #options: GitOptions;
  readonly #env: Record<string, string>;
  readonly #config: string[];
  #client: SimpleGit | null = null;

  constructor(options: GitOptions) {
    this.#options = options;
    this.#env = gitEnvironment({
      gitDir: options.gitDir,
      workTree: options.workTree,
      extra: options.env,
    });
    this.#config = pinnedConfig(options.protocols);
  }

  /** The same repository with more environment (an author and a date for one commit). */
  with(env: Readonly<Record<string, string>>): Git {
    return new Git({ ...this.#options, env: { ...this.#options.env, ...env } });
  }

  /** Runs a command that prints its answer, and returns what it printed. */
  async output(args: readonly string[]): Promise<string> {
    return this.#simple().raw([...args]);
  }

  /**
   * Runs a command that may print nothing, or that talks to a remote. `secretEnv` reaches only
   * this one process (a token header for a push); `timeoutMs` bounds it.
   */
  async run(
    args: readonly string[],
    options: {
      readonly secretEnv?: Readonly<Record<string, string>>;
      readonly timeoutMs?: number;
    } = {},
  ): Promise<string> {
    const network = ["clone", "fetch", "push", "ls-remote"].includes(args[0] ?? "");
    const timeout = options.timeoutMs ?? (network ? NETWORK_TIMEOUT_MS : 0);
    const argv = [...this.#config.flatMap((c) => ["-c", c]), ...args];
    return new Promise((resolve, reject) => {
      execFile(
        "git",
        argv,
        {
          cwd: this.#options.cwd,
          env: { ...this.#env, ...options.secretEnv },
          timeout,
          killSignal: "SIGKILL",
          maxBuffer: MAX_OUTPUT,
          encoding: "utf8",
        },
        (error, stdout, stderr) => {
          if (!error) {
            resolve(stdout);
            return;
          }
          const killed = (error as { killed?: boolean }).killed === true;
          reject(
            new GitCommandError({
              command: args[0] ?? "",
              exitCode: typeof error.code === "number" ? error.code : null,
              stderr,
              timedOut: killed && timeout > 0,
              cause: error,
            }),
          );
        },
      );
    });
  }

  #simple(): SimpleGit {
    if (this.#client) return this.#client;
    this.#client = simpleGit({
      baseDir: this.#options.cwd,
      maxConcurrentProcesses: 4,
      config: this.#config,
      allowEnvironment: Object.keys(this.#env).filter((name) => name.startsWith("GIT_")),
      // These categories are opened only for the settings we pin ourselves (`pinnedConfig`, no
      // global config); every other check of simple-git's argument guard stays on.
      unsafe: {
        allowUnsafeHooksPath: true,
        allowUnsafeFsMonitor: true,
        allowUnsafeAskPass: true,
        allowUnsafeCredentialHelper: true,
        allowUnsafePager: true,
        allowUnsafeEditor: true,
        allowUnsafeSshCommand: true,
        allowUnsafeGitProxy: true,
        allowUnsafeProtocolOverride: true,
        allowUnsafeConfigPaths: true,
      },
    }).env(this.#env);
    return this.#client;
  }
}
