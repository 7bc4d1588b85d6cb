import { createPrivateKey } from "node:crypto";
import { getPrivateKey } from "@probot/get-private-key";
import { InvalidInputError } from "../core/errors.ts";

/**
 * The App's private key, found as Probot documents it (`@probot/get-private-key`): `PRIVATE_KEY`
 * as PEM (`\n` escapes or one line) or base64 of one, else the file `PRIVATE_KEY_PATH`, else the
 * one `*.pem` file in `cwd`. Quotes around `PRIVATE_KEY` are dropped first: `docker run
 * --env-file .env` passes a line's quotes as part of the value, and a key with them is found,
 * then fails every signature. Null when there is no key; an error naming the variable when what
 * is there cannot sign.
 *
 * The key comes back as PKCS#8 PEM, parsed once here: GitHub hands out PKCS#1 keys, which
 * `universal-github-app-jwt` parses again with `createPrivateKey` for every App token, where a
 * PKCS#8 key is imported through WebCrypto as it is.
 */
export function appPrivateKey(
  env: {
    readonly PRIVATE_KEY?: string | undefined;
    readonly PRIVATE_KEY_PATH?: string | undefined;
  },
  cwd: string,
): string | null {
  const where =
    env.PRIVATE_KEY !== undefined
      ? "PRIVATE_KEY"
      : env.PRIVATE_KEY_PATH !== undefined
        ? "PRIVATE_KEY_PATH"
        : "*.pem";
  const refuse = (message: string) =>
    new InvalidInputError("the environment", [{ path: where, message }]);
  let key: string | null;
  try {
    key = getPrivateKey({
      env: {
        ...(env.PRIVATE_KEY === undefined ? {} : { PRIVATE_KEY: unquote(env.PRIVATE_KEY.trim()) }),
        ...(env.PRIVATE_KEY_PATH === undefined ? {} : { PRIVATE_KEY_PATH: env.PRIVATE_KEY_PATH }),
      },
      cwd,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw refuse(message.replace(/^\[@probot\/get-private-key\] /, ""));
  }
  if (key === null) return null;
  try {
    return createPrivateKey(key).export({ type: "pkcs8", format: "pem" }).toString();
  } catch (error) {
    throw refuse(
      `is not a usable private key (${error instanceof Error ? error.message : String(error)}): ` +
        "give the .pem GitHub made, as PEM, with \\n escapes, or base64",
    );
  }
}

const unquote = (value: string): string =>
  /^(["'`]).*\1$/s.test(value) ? value.slice(1, -1) : value;
