import { describe, expect, it } from "vitest";
import { appFromEnv } from "../../src/app/from-env.ts";
import { parseAppEnv } from "../../src/config/app-env.ts";

describe("the App from its environment", () => {
  it("clones from GitHub Enterprise Server over GHE_PROTOCOL, as Probot calls its API", async () => {
    const raw: NodeJS.ProcessEnv = {
      GHE_HOST: "ghe.example.com:8080",
      GHE_PROTOCOL: "http",
      LOG_LEVEL: "silent",
      ANTHROPIC_API_KEY: "sk-ant-api03-not-a-real-key",
    };
    const { app } = await appFromEnv(parseAppEnv(raw), raw, "unused: no request is made");
    expect(app.options.cloneUrl({ owner: "acme", repo: "widgets" })).toBe(
      "http://ghe.example.com:8080/acme/widgets.git",
    );
    expect(app.options.webHost).toBe("ghe.example.com");
  });

  it("clones from github.com over https by default", async () => {
    const raw: NodeJS.ProcessEnv = {
      LOG_LEVEL: "silent",
      ANTHROPIC_API_KEY: "sk-ant-api03-not-a-real-key",
    };
    const { app } = await appFromEnv(parseAppEnv(raw), raw, "unused");
    expect(app.options.cloneUrl({ owner: "acme", repo: "widgets" })).toBe(
      "https://github.com/acme/widgets.git",
    );
  });
});
