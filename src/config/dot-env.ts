import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";

/**
 * Reads `.env` in `dir` into `env`, as Probot's `run` does (Node's own parser: quotes, `\n` in
 * double quotes, comments), except that a variable already set wins, as with `node --env-file`
 * and `docker run -e`: the environment can always override the file. Returns the names it set.
 */
export function loadDotEnv(env: NodeJS.ProcessEnv, dir: string): string[] {
  let text: string;
  try {
    text = readFileSync(join(dir, ".env"), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const set: string[] = [];
  for (const [name, value] of Object.entries(parseEnv(text))) {
    if (env[name] !== undefined && env[name] !== "") continue;
    env[name] = value;
    set.push(name);
  }
  return set;
}
