/**
 * Bundles the CLI (src/cli/main.ts) for the npm package, with the Action's esbuild options:
 * `node scripts/build-cli.ts [outdir]` (build/cli by default), run by `npm pack` (`prepack`).
 * Code splitting keeps the CLI's lazy command modules lazy: an inspecting command starts
 * without the provider SDKs.
 */
import { build } from "esbuild";
import { fileURLToPath } from "node:url";
import { BUNDLE_OPTIONS } from "./build-action.ts";

export const CLI_DIR = fileURLToPath(new URL("../build/cli", import.meta.url));

/** Writes the CLI's bundle (`main.js` and its chunks); returns its size in bytes. */
export async function buildCli(outdir = CLI_DIR): Promise<number> {
  const result = await build({
    ...BUNDLE_OPTIONS,
    entryPoints: [fileURLToPath(new URL("../src/cli/main.ts", import.meta.url))],
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    outdir,
    metafile: true,
  });
  return Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
}

if (import.meta.main) {
  const outdir = process.argv[2];
  const bytes = await buildCli(outdir);
  process.stdout.write(`${outdir ?? "build/cli"}: ${(bytes / 1024 / 1024).toFixed(2)} MiB\n`);
}
