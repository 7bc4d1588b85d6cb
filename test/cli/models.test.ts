import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modelsCommand, type ProviderStatus } from "../../src/cli/commands/models.ts";
import { createOutput } from "../../src/cli/output.ts";
import { strictHttp } from "../fakes/http.ts";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "models-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function models(env: NodeJS.ProcessEnv, check: boolean) {
  let printed = "";
  const code = await modelsCommand(
    dir,
    check ? { check } : {},
    env,
    createOutput(true, (t) => (printed += t)),
  );
  return {
    code,
    printed,
    out: JSON.parse(printed) as { providers: ProviderStatus[]; models: { ref: string }[] },
  };
}

describe("orchestrator models", () => {
  strictHttp();

  it("lists the table and which providers are configured, naming what is missing or wrong", async () => {
    const { code, out } = await models(
      { ANTHROPIC_API_KEY: "sk-ant-test-1111", OLLAMA_BASE_URL: "localhost:11434" },
      false,
    );
    expect(code).toBe(0);
    expect(out.models.map((m) => m.ref)).toContain("ollama/qwen3-coder:30b");
    const by = Object.fromEntries(out.providers.map((p) => [p.provider, p]));
    expect(by["anthropic"]).toEqual({ provider: "anthropic", configured: true });
    expect(by["google"]).toMatchObject({ configured: false, reason: "set GEMINI_API_KEY" });
    expect(by["ollama"]?.reason).toMatch(/ollama.*localhost:11434/);
  });

  it("--check makes one tiny call to each configured provider's cheapest model, and says which failed and why", async () => {
    let sent: Record<string, unknown> = {};
    nock("https://api.anthropic.com")
      .post("/v1/messages", (b: Record<string, unknown>) => {
        sent = b;
        return true;
      })
      .reply(200, {
        id: "msg_01",
        type: "message",
        role: "assistant",
        model: "claude-haiku-5-5",
        content: [{ type: "text", text: "ok" }],
        stop_reason: "end_turn",
        stop_sequence: null,
        usage: {
          input_tokens: 14,
          output_tokens: 2,
          cache_read_input_tokens: 0,
          cache_creation_input_tokens: 0,
        },
      });
    nock("https://generativelanguage.googleapis.com")
      .post(/generateContent$/)
      .reply(400, {
        error: {
          code: 400,
          message: "API key not valid. Please pass a valid API key.",
          status: "INVALID_ARGUMENT",
          details: [
            { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "API_KEY_INVALID" },
          ],
        },
      });
    const { code, out, printed } = await models(
      {
        ANTHROPIC_API_KEY: "sk-ant-test-1111",
        GEMINI_API_KEY: "AIzaSy-test-2222",
        OLLAMA_BASE_URL: "http://localhost:11434/v1",
      },
      true,
    );
    expect(code).toBe(1);
    expect(sent).toMatchObject({ model: "claude-haiku-5-5", max_tokens: 16 });
    const by = Object.fromEntries(out.providers.map((p) => [p.provider, p]));
    expect(by["anthropic"]?.check).toMatchObject({ ok: true, model: "anthropic/claude-haiku-5-5" });
    expect(by["google"]?.check).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/^auth: /),
    });
    // A local server that is not running: one clear error naming the provider and the URL.
    expect(by["ollama"]?.check).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/^network: ollama: cannot reach http:\/\/localhost:11434\/v1/),
    });
    expect(printed).not.toContain("sk-ant-test-1111");
    expect(printed).not.toContain("AIzaSy-test-2222");
  });
});
