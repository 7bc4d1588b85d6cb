/**
 * Bundles the GitHub App (src/app/main.ts and everything it imports) into one file, with the
 * Action's esbuild options, so that the Docker image carries no `node_modules`:
 * `node scripts/build-app.ts [outfile]` (build/app.js by default). The Dockerfile runs it in
 * its build stage; nothing it writes is checked in.
 */
import { build } from "esbuild";
import { fileURLToPath } from "node:url";
import { BUNDLE_OPTIONS } from "./build-action.ts";

export const APP_BUNDLE = fileURLToPath(new URL("../build/app.js", import.meta.url));

/** Writes the App's bundle; returns its size in bytes. */
export async function buildApp(outfile = APP_BUNDLE): Promise<number> {
  const result = await build({
    ...BUNDLE_OPTIONS,
    entryPoints: [fileURLToPath(new URL("../src/app/main.ts", import.meta.url))],
    // Development only (WEBHOOK_PROXY_URL), loaded when set; production refuses the variable.
    external: ["smee-client"],
    outfile,
    metafile: true,
  });
  return Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
}

if (import.meta.main) {
  const outfile = process.argv[2];
  const bytes = await buildApp(outfile);
  process.stdout.write(`${outfile ?? "build/app.js"}: ${(bytes / 1024 / 1024).toFixed(2)} MiB\n`);
}
