import { describe, expect, it } from "vitest";
import { sandboxFromEnv } from "../../src/adapters/sandbox/from-env.ts";

describe("ORCHESTRATOR_SANDBOX", () => {
  it("is off unless asked: no sandbox, no tools", async () => {
    expect(await sandboxFromEnv({})).toEqual({ sandbox: null, note: "" });
    expect((await sandboxFromEnv({ ORCHESTRATOR_SANDBOX: "off" })).sandbox).toBeNull();
  });

  it("runs as the user only when `none` is named, and says so", async () => {
    const answer = await sandboxFromEnv({ ORCHESTRATOR_SANDBOX: "none" });
    expect(answer.sandbox?.backend).toBe("none");
    expect(answer.note).toMatch(/WITHOUT a sandbox/);
  });

  it("refuses a value it does not know", async () => {
    await expect(sandboxFromEnv({ ORCHESTRATOR_SANDBOX: "docker" })).rejects.toThrow(/one of/);
  });

  it("never falls back from auto to none", async () => {
    const answer = await sandboxFromEnv({ ORCHESTRATOR_SANDBOX: "auto" });
    expect(answer.sandbox?.backend ?? "absent").not.toBe("none");
  });
});
