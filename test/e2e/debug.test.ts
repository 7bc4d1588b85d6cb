import { it } from "vitest";
import { labelToPullRequest, snapshot } from "../fakes/app-scenario.ts";
it("debug", async () => {
  const clean = await labelToPullRequest();
  const a = await snapshot(clean.world);
  const writes = clean.world.github.requests
    .filter((r) => r.method !== "GET")
    .map((r, i) => `${i + 1} ${r.method} ${r.path}`);
  console.log(writes.slice(25, 35).join("\n"));
  clean.world.github.stop();
  const k = Number(process.env["K"] ?? 31);
  const run = await labelToPullRequest({ crashAt: k });
  const b = await snapshot(run.world);
  run.world.github.stop();
  const ja = JSON.stringify(a, null, 1).split("\n"),
    jb = JSON.stringify(b, null, 1).split("\n");
  let shown = 0;
  for (let i = 0; i < Math.max(ja.length, jb.length) && shown < 30; i++)
    if (ja[i] !== jb[i]) {
      console.log("A:", ja[i]?.slice(0, 200));
      console.log("B:", jb[i]?.slice(0, 200));
      shown++;
    }
}, 120000);
