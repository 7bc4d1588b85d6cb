import { it } from "vitest";
import { crashAfterEveryWrite } from "../fakes/app-crash.ts";
import { crashMatrix } from "../fakes/crash-points.ts";

it(`killing the worker after GitHub writes (crash points: ${crashMatrix()}, share 0 of 3), then letting the sweep resume, ends like a run without faults`, async () => {
  await crashAfterEveryWrite(0, 3);
}, 900_000);
