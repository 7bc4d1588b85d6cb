// The npm package as a user gets it: `npm pack` (which runs `prepack`: the bundled CLI), the
// tarball installed into an empty folder, then the `orchestrator` bin. Node does not strip
// types inside node_modules, so a bin pointing at a .ts file fails here. The install is
// `--offline`: the package has no runtime dependencies (every shipped form is a bundle), so it
// needs nothing from the registry.
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/config/package-root.ts";

let root: string;
let installed: string;
// A shell with our Node first, as a user who installed Node 24 has it, and nothing of ours.
const env = { PATH: [dirname(process.execPath), "/usr/bin", "/bin"].join(delimiter), HOME: "" };

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "npm-package-"));
  env.HOME = root;
  const packed = spawnSync("npm", ["pack", "--pack-destination", root, "--silent"], {
    cwd: PACKAGE_ROOT,
    encoding: "utf8",
    env: { ...process.env, npm_config_cache: join(root, "cache") },
  });
  if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
  const tarball = (await readdir(root)).find((f) => f.endsWith(".tgz"));
  if (!tarball) throw new Error(`npm pack wrote no tarball: ${packed.stdout}`);
  installed = join(root, "empty");
  await mkdir(installed);
  const install = spawnSync(
    "npm",
    ["install", "--offline", "--no-audit", "--no-fund", join(root, tarball)],
    { cwd: installed, encoding: "utf8", env: { ...env, npm_config_cache: join(root, "cache") } },
  );
  if (install.status !== 0) throw new Error(`npm install failed: ${install.stderr}`);
}, 120_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("the npm package, installed from its tarball", () => {
  it("runs `orchestrator --help` and a command that reads the shipped model table", () => {
    const bin = join(installed, "node_modules", ".bin", "orchestrator");
    const help = spawnSync(bin, ["--help"], { cwd: installed, encoding: "utf8", env });
    expect(help.stderr).toBe("");
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: orchestrator /);
    const models = spawnSync(bin, ["models"], { cwd: installed, encoding: "utf8", env });
    expect(models.status, models.stderr).toBe(0);
    expect(models.stdout).toMatch(/anthropic\//);
  });
});
