import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ACTION_BUNDLE, buildAction } from "../../scripts/build-action.ts";

const temps: string[] = [];
afterEach(() => Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true }))));

describe("the Action's bundle (dist/index.js)", () => {
  it("is what the source builds today: run `npm run build:action` and commit dist/ when this fails", async () => {
    const dir = await mkdtemp(join(tmpdir(), "action-build-"));
    temps.push(dir);
    await buildAction(join(dir, "index.js"));
    const fresh = await readFile(join(dir, "index.js"));
    const shipped = await readFile(ACTION_BUNDLE);
    expect(shipped.equals(fresh), "dist/index.js is stale: npm run build:action").toBe(true);
  });
});
