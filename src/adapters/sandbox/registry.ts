import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_LIMITS, type Sandbox } from "../../ports/sandbox.ts";
import { BwrapSandbox } from "./bwrap/bwrap-sandbox.ts";
import { NoSandbox } from "./none/none-sandbox.ts";

/** What a host may ask for: `auto` is bwrap when it works, else no `run` tool at all. */
export type SandboxChoice = "auto" | "bwrap" | "none" | "off";

/** Every backend by name. `none` is never chosen by `auto`. */
export const SANDBOXES = {
  bwrap: (): Sandbox => new BwrapSandbox(),
  none: (): Sandbox => new NoSandbox(),
} as const;

export type SandboxAnswer =
  | { readonly sandbox: Sandbox; readonly note: string }
  | { readonly sandbox: null; readonly note: string };

/**
 * The sandbox a host runs commands in, or none with the reason: a backend is used only after a
 * probe command ran in it (bwrap may be installed where user namespaces are off).
 */
export async function chooseSandbox(choice: SandboxChoice): Promise<SandboxAnswer> {
  if (choice === "off") return { sandbox: null, note: "running commands is off" };
  if (choice === "none")
    return { sandbox: SANDBOXES.none(), note: "commands run WITHOUT a sandbox, as the user" };
  const bwrap = SANDBOXES.bwrap();
  const problem = await probe(bwrap);
  if (problem === null) return { sandbox: bwrap, note: "commands run in bubblewrap" };
  return { sandbox: null, note: `no sandbox: bubblewrap does not work here (${problem})` };
}

/** Null when `true` runs in the sandbox, else what went wrong. */
export async function probe(sandbox: Sandbox): Promise<string | null> {
  const tree = await mkdtemp(join(tmpdir(), "sandbox-probe-"));
  try {
    const result = await sandbox
      .run({
        command: "true",
        tree,
        network: false,
        limits: { ...DEFAULT_LIMITS, timeoutMs: 10_000 },
      })
      .catch((e: unknown) => ({
        exitCode: 127,
        output: String(e),
        truncated: false,
        stopped: null,
      }));
    return result.exitCode === 0
      ? null
      : result.output.trim().split("\n")[0]?.slice(0, 200) || `exit code ${result.exitCode}`;
  } finally {
    await rm(tree, { recursive: true, force: true });
  }
}
