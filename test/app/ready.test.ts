import { describe, expect, it } from "vitest";
import { readiness } from "../../src/app/http/ready.ts";

describe("readiness", () => {
  it("is ready only when every check is; says what each failing one found; asks at most once per cache period", async () => {
    let now = 0;
    let asked = 0;
    const ready = readiness(
      {
        prompts: () => Promise.resolve(true),
        github: () => {
          asked += 1;
          return asked === 1
            ? Promise.reject(new Error("connect ECONNREFUSED"))
            : Promise.resolve(true);
        },
        slow: () => new Promise<true>(() => undefined),
      },
      { now: () => now, cacheMs: 30_000, timeoutMs: 20 },
    );
    expect(await ready()).toEqual({
      ready: false,
      checks: { prompts: "ok", github: "connect ECONNREFUSED", slow: "no answer within 20 ms" },
    });
    now = 29_999;
    await ready();
    expect(asked).toBe(1);
    now = 30_000;
    expect((await ready()).checks["github"]).toBe("ok");
    expect(asked).toBe(2);
  });
});
