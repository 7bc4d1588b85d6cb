/**
 * Bundles the Action (src/action/main.ts and everything it imports) into one file that a
 * runner loads with no `npm install`: `node scripts/build-action.ts [outfile]` (dist/index.js
 * by default). The build is deterministic, so a test can tell when the checked-in file is stale.
 */
import { build, type BuildOptions } from "esbuild";
import { fileURLToPath } from "node:url";

export const ACTION_BUNDLE = fileURLToPath(new URL("../dist/index.js", import.meta.url));

export const BUNDLE_OPTIONS: BuildOptions = {
  entryPoints: [fileURLToPath(new URL("../src/action/main.ts", import.meta.url))],
  bundle: true,
  platform: "node",
  target: "node24",
  format: "esm",
  // Bundled CommonJS packages still call require() for Node's own modules.
  banner: {
    js: 'import { createRequire as __orchestratorRequire } from "node:module";\nconst require = __orchestratorRequire(import.meta.url);',
  },
  minify: true,
  keepNames: true,
  legalComments: "eof",
  logLevel: "warning",
};

/** Writes the bundle; returns its size in bytes. */
export async function buildAction(outfile = ACTION_BUNDLE): Promise<number> {
  const result = await build({ ...BUNDLE_OPTIONS, outfile, metafile: true });
  return Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
}

if (import.meta.main) {
  const bytes = await buildAction(process.argv[2]);
  process.stdout.write(`dist/index.js: ${(bytes / 1024 / 1024).toFixed(2)} MiB\n`);
}
