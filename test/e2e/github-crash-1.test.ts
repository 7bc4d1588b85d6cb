import { it } from "vitest";
import { crashAfterEveryWrite } from "../fakes/app-crash.ts";

it("killing the worker after every GitHub write k ≡ 1 (mod 3), then letting the sweep resume, ends like a run without faults", async () => {
  await crashAfterEveryWrite(1, 3);
}, 900_000);
