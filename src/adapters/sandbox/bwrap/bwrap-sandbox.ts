import { existsSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Sandbox, SandboxResult, SandboxRun } from "../../../ports/sandbox.ts";
import { prlimitArgs, spawnBounded } from "../spawn-bounded.ts";

/** The system's programs and libraries, read-only; everything else of the host stays unseen. */
const SYSTEM = ["/usr"];
const LINKS: readonly (readonly [string, string])[] = [
  ["usr/bin", "/bin"],
  ["usr/sbin", "/sbin"],
  ["usr/lib", "/lib"],
  ["usr/lib64", "/lib64"],
];
/** What programs read from /etc; not the rest of it (no shadow, no host keys, no credentials). */
const ETC = [
  "/etc/passwd",
  "/etc/group",
  "/etc/hosts",
  "/etc/nsswitch.conf",
  "/etc/ld.so.cache",
  "/etc/ld.so.conf",
  "/etc/ld.so.conf.d",
  "/etc/alternatives",
  "/etc/ssl",
  "/etc/ca-certificates",
  "/etc/resolv.conf",
  "/etc/localtime",
  "/etc/mime.types",
];
/** The launcher's own processes in the count: bwrap, its pid 1, prlimit's shell. */
const LAUNCHER = 3;

/**
 * bubblewrap: new user, PID, mount, network, IPC, UTS and cgroup namespaces (a new PID
 * namespace is what hides `/proc/<parent>`), an empty environment, the tree bound read-write and
 * a private tmpfs, the rest of the filesystem absent but for the system's programs. The command
 * runs as an unprivileged uid under `prlimit`; the whole namespace dies with bwrap.
 */
export class BwrapSandbox implements Sandbox {
  readonly backend = "bwrap";
  readonly #bwrap: string;
  readonly #readOnly: readonly string[];

  constructor(options: { readonly bwrap?: string; readonly readOnly?: readonly string[] } = {}) {
    this.#bwrap = options.bwrap ?? "bwrap";
    // The running Node, wherever it is installed, so `node` works inside too.
    this.#readOnly = [...new Set([...(options.readOnly ?? []), nodeHome()])].filter(
      (p) => !SYSTEM.some((s) => p === s || p.startsWith(`${s}/`)),
    );
  }

  run(options: SandboxRun): Promise<SandboxResult> {
    return spawnBounded({
      file: this.#bwrap,
      args: [
        ...this.args(options),
        "prlimit",
        ...prlimitArgs(options.limits, { nproc: true }),
        "sh",
        "-c",
        options.command,
      ],
      cwd: options.tree,
      env: { PATH: "/usr/bin:/bin" },
      limits: options.limits,
      extraProcesses: LAUNCHER,
    });
  }

  /** bwrap's arguments up to the command. */
  args(options: Omit<SandboxRun, "command">): string[] {
    const tree = realpathSync(options.tree);
    const path = [
      join(tree, "node_modules/.bin"),
      ...this.#readOnly.map((p) => join(p, "bin")),
      "/usr/local/bin",
      "/usr/bin",
      "/bin",
    ];
    return [
      "--unshare-all",
      ...(options.network ? ["--share-net"] : []),
      "--die-with-parent",
      "--new-session",
      "--uid",
      "1000",
      "--gid",
      "1000",
      "--hostname",
      "sandbox",
      ...SYSTEM.filter(existsSync).flatMap((p) => ["--ro-bind", p, p]),
      ...LINKS.flatMap(([target, link]) => ["--symlink", target, link]),
      ...ETC.filter(existsSync).flatMap((p) => ["--ro-bind", p, p]),
      ...this.#readOnly.filter(existsSync).flatMap((p) => ["--ro-bind", p, p]),
      "--proc",
      "/proc",
      "--dev",
      "/dev",
      "--size",
      String(options.limits.fileBytes),
      "--tmpfs",
      "/tmp",
      "--bind",
      tree,
      tree,
      // A git directory in the tree would let a command change what our own git runs later.
      ...(existsSync(join(tree, ".git"))
        ? ["--ro-bind", join(tree, ".git"), join(tree, ".git")]
        : []),
      "--chdir",
      tree,
      "--clearenv",
      "--setenv",
      "PATH",
      path.join(":"),
      "--setenv",
      "HOME",
      "/tmp",
      "--setenv",
      "TMPDIR",
      "/tmp",
      "--setenv",
      "LANG",
      "C.UTF-8",
      "--setenv",
      "CI",
      "true",
      "--setenv",
      "FORCE_COLOR",
      "0",
      "--setenv",
      "NO_COLOR",
      "1",
    ];
  }
}

/** The folder of the running Node's installation (`…/bin/node` → `…`). */
function nodeHome(): string {
  return dirname(dirname(realpathSync(process.execPath)));
}
