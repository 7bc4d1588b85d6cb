import type { Sandbox, SandboxResult, SandboxRun } from "../../../ports/sandbox.ts";
import { userEnvironment } from "../../local/user-environment.ts";
import { prlimitArgs, spawnBounded } from "../spawn-bounded.ts";

/**
 * No sandbox: the command runs as the user, in the tree, with the credential-free environment
 * the gate commands get and the same bounds. Only on the CLI, only when the user asks for it;
 * it protects nothing of the user's (files, network, other processes).
 */
export class NoSandbox implements Sandbox {
  readonly backend = "none";

  run(options: SandboxRun): Promise<SandboxResult> {
    return spawnBounded({
      file: "prlimit",
      args: [...prlimitArgs(options.limits, { nproc: false }), "sh", "-c", options.command],
      cwd: options.tree,
      env: { ...userEnvironment(process.env), CI: "true", FORCE_COLOR: "0", NO_COLOR: "1" },
      limits: options.limits,
      extraProcesses: 1,
    });
  }
}
