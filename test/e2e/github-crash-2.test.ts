import { it } from "vitest";
import { crashAfterEveryWrite } from "../fakes/app-crash.ts";

it("killing the worker after every GitHub write k ≡ 2 (mod 3), then letting the sweep resume, ends like a run without faults", async () => {
  await crashAfterEveryWrite(2, 3);
}, 900_000);
