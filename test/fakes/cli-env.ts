/**
 * The environment a test gives a CLI it spawns: the PATH and HOME it needs, and the temporary
 * and cache folders under the run's temp root (`test/setup/temp-dir.ts`), so that work trees
 * (kept in the cache folder) are removed with it.
 */
export function cliEnvironment(): NodeJS.ProcessEnv {
  return {
    PATH: process.env["PATH"] ?? "",
    HOME: process.env["HOME"] ?? "",
    TMPDIR: process.env["TMPDIR"] ?? "",
    XDG_CACHE_HOME: process.env["XDG_CACHE_HOME"] ?? "",
  };
}
