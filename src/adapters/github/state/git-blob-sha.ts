import { createHash } from "node:crypto";

/** The SHA git gives a blob with this content, so we know a file's new version without asking. */
export function gitBlobSha(content: string): string {
  const bytes = Buffer.from(content, "utf8");
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}
