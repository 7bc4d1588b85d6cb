import { mkdir, open, rename, rm, stat } from "node:fs/promises";
import { dirname } from "node:path";

/**
 * Writes a file so that a crash leaves either the old or the new content: temp file, rename.
 * With `durable` (the default) the data and the rename are also fsynced, so a power cut cannot
 * lose them; files that can be rendered again from durable state skip that cost.
 */
export async function writeFileAtomic(
  path: string,
  content: string,
  options: { readonly durable?: boolean } = {},
): Promise<void> {
  const durable = options.durable ?? true;
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  const handle = await open(temp, "w");
  try {
    await handle.writeFile(content, "utf8");
    if (durable) await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  if (!durable) return;
  const dir = await open(dirname(path), "r");
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

/** Holds an exclusive lock file while `fn` runs; a lock older than `staleMs` is broken. */
export async function withLockFile<T>(
  path: string,
  fn: () => Promise<T>,
  staleMs = 30_000,
): Promise<T> {
  await mkdir(dirname(path), { recursive: true });
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(path, "wx");
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 400) throw error;
      const info = await stat(path).catch(() => null);
      if (info && Date.now() - info.mtimeMs > staleMs) await rm(path, { force: true });
      else await new Promise((r) => setTimeout(r, 5));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(path, { force: true });
  }
}
