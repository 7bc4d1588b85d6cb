import { describe, expect, it } from "vitest";
import { parseAppEnv } from "../../src/config/app-env.ts";
import { InvalidInputError } from "../../src/core/errors.ts";

const KEY = "-----BEGIN RSA PRIVATE KEY-----\\nMIIE\\n-----END RSA PRIVATE KEY-----";

describe("the App's environment", () => {
  it("takes defaults and turns numbers into numbers", () => {
    const env = parseAppEnv({ APP_ID: "12", PRIVATE_KEY: KEY, PATH: "/bin" });
    expect(env).toMatchObject({
      APP_ID: 12,
      PORT: 3000,
      ORCHESTRATOR_CONCURRENCY: 8,
      ORCHESTRATOR_CONCURRENCY_PER_INSTALLATION: 2,
      ORCHESTRATOR_PROVIDER: "env",
      ORCHESTRATOR_SWEEP_TURNS: false,
    });
    expect(env).toMatchObject({ GHE_PROTOCOL: "https", WEBHOOK_PATH: "/api/github/webhooks" });
    expect(parseAppEnv({ ORCHESTRATOR_SWEEP_TURNS: "true" }).ORCHESTRATOR_SWEEP_TURNS).toBe(true);
  });

  it.each([
    [{ ORCHESTRATOR_CONCURRENCY: "abc" }, "ORCHESTRATOR_CONCURRENCY", /whole number/],
    [{ ORCHESTRATOR_CONCURRENCY: "0" }, "ORCHESTRATOR_CONCURRENCY", /./],
    [{ PORT: "70000" }, "PORT", /./],
    [{ APP_ID: "twelve" }, "APP_ID", /whole number/],
    [{ GHE_PROTOCOL: "ftp" }, "GHE_PROTOCOL", /https or http/],
    [{ WEBHOOK_PATH: "hooks" }, "WEBHOOK_PATH", /must be a path/],
    [
      { NODE_ENV: "production", WEBHOOK_SECRET: "s", WEBHOOK_PROXY_URL: "https://smee.io/abc" },
      "WEBHOOK_PROXY_URL",
      /for development/,
    ],
    [{ NODE_ENV: "production" }, "WEBHOOK_SECRET", /required in production/],
    [{ ORCHESTRATOR_CLONE_BASE: "http://insecure.example" }, "ORCHESTRATOR_CLONE_BASE", /./],
    [{ GHE_HOST: "https://ghe.example" }, "GHE_HOST", /host name/],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL", /./],
    [{ ORCHESTRATOR_SWEEP_TURNS: "yes" }, "ORCHESTRATOR_SWEEP_TURNS", /true or false/],
    [{ ORCHESTRATOR_PROVIDER: "replay" }, "ORCHESTRATOR_CASSETTE", /required/],
  ])("refuses %j, naming %s", (env, name, message) => {
    try {
      parseAppEnv(env as NodeJS.ProcessEnv);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidInputError);
      const problem = (error as InvalidInputError).problems.find((p) => p.path === name);
      expect(problem?.message).toMatch(message);
    }
  });
});
