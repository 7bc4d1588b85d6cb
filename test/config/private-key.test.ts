import { createPrivateKey, generateKeyPairSync } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { appPrivateKey } from "../../src/config/private-key.ts";
import { InvalidInputError } from "../../src/core/errors.ts";

// The forms Probot documents (https://probot.github.io/docs/configuration/) and
// @probot/get-private-key reads: PEM, PEM with \n escapes, base64, a path, a *.pem in the folder.
const { privateKey: PEM } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});
// What the App signs with: the same key as PKCS#8, parsed once at start.
const PKCS8 = createPrivateKey(PEM).export({ type: "pkcs8", format: "pem" }).toString();
const folders: string[] = [];
afterEach(async () => {
  for (const dir of folders.splice(0)) await rm(dir, { recursive: true, force: true });
});
async function folder(files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "private-key-"));
  folders.push(dir);
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}
function problemOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    const [problem] = (error as InvalidInputError).problems;
    return `${problem?.path ?? ""}: ${problem?.message ?? ""}`;
  }
  throw new Error("no error");
}

describe("the App's private key", () => {
  it.each([
    ["PEM", PEM],
    ["PEM with \\n escapes", PEM.replace(/\n/g, "\\n")],
    ["base64", Buffer.from(PEM).toString("base64")],
    ["quoted, as docker --env-file passes a .env line", `"${PEM.replace(/\n/g, "\\n")}"`],
    ["single-quoted", `'${PEM}'`],
  ])("takes PRIVATE_KEY as %s", async (_, value) => {
    expect(appPrivateKey({ PRIVATE_KEY: value }, await folder())).toBe(PKCS8);
  });

  it("reads PRIVATE_KEY_PATH, else the one *.pem in the folder, else finds none", async () => {
    const dir = await folder({ "key.txt": PEM });
    expect(appPrivateKey({ PRIVATE_KEY_PATH: "key.txt" }, dir)).toBe(PKCS8);
    expect(appPrivateKey({}, await folder({ "app.2026-01-01.private-key.pem": PEM }))).toBe(PKCS8);
    expect(appPrivateKey({}, await folder())).toBeNull();
  });

  it("refuses what cannot sign, naming where it came from", async () => {
    const dir = await folder({ "a.pem": PEM, "b.pem": PEM });
    expect(problemOf(() => appPrivateKey({ PRIVATE_KEY: "not a key" }, dir))).toMatch(
      /^PRIVATE_KEY: .*could not be validated/,
    );
    const broken = "-----BEGIN RSA PRIVATE KEY-----\\nbm90IGEga2V5\\n-----END RSA PRIVATE KEY-----";
    expect(problemOf(() => appPrivateKey({ PRIVATE_KEY: broken }, dir))).toMatch(
      /^PRIVATE_KEY: is not a usable private key/,
    );
    expect(problemOf(() => appPrivateKey({ PRIVATE_KEY_PATH: "missing.pem" }, dir))).toMatch(
      /^PRIVATE_KEY_PATH: Private key does not exists/,
    );
    expect(problemOf(() => appPrivateKey({}, dir))).toMatch(/^\*\.pem: More than one file/);
  });
});
