import { delimiter } from "node:path";
import { isSecretName } from "../git/environment.ts";

/** What npm (`run`, `exec`/npx) and the package managers that copy it add to a script's PATH. */
const SCRIPT_BIN = /[\\/](node_modules[\\/]\.bin|node-gyp-bin)[\\/]?$/;

/**
 * The environment of the user's own shell, as it was before a package manager started us, without
 * credentials. `npm run`/`npx` prepend every `node_modules/.bin` from the package up to the root
 * and their `node-gyp-bin` to PATH (`@npmcli/run-script`'s `set-path.js`) and export `npm_*`,
 * `INIT_CWD`, `NODE` and `COLOR` (`@npmcli/config`'s `set-envs.js`, `npm.js`): those are ours, not
 * the user's. The user's tests must run on their PATH and their `node`, not on our Node and tools.
 */
export function userEnvironment(
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const byPackageManager = Object.keys(env).some((name) => /^npm_/i.test(name));
  const user: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || isSecretName(name)) continue;
    if (byPackageManager && isPackageManagerVariable(name, value, env)) continue;
    user[name] = /^path$/i.test(name) && byPackageManager ? userPath(value) : value;
  }
  return user;
}

function isPackageManagerVariable(
  name: string,
  value: string,
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  if (/^npm_/i.test(name) || name === "INIT_CWD") return true;
  if (name === "NODE") return value === env["npm_node_execpath"];
  return name === "COLOR" && (value === "0" || value === "1");
}

/** PATH without the entries a package manager put in front of the user's own. */
function userPath(path: string): string {
  const entries = path.split(delimiter);
  let first = 0;
  while (first < entries.length && SCRIPT_BIN.test(entries[first] ?? "")) first += 1;
  return entries.slice(first).join(delimiter);
}
