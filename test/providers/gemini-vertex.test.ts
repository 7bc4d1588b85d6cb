// Gemini on Vertex AI (project + location) through the same adapter: the SDK's Vertex endpoint.
import nock from "nock";
import { describe, expect, it } from "vitest";
import { GeminiModel } from "../../src/providers/gemini/gemini-model.ts";
import { strictHttp } from "../fakes/http.ts";
import { responseOf } from "../fakes/wire/gemini.ts";

describe("Gemini on Vertex AI", () => {
  strictHttp();

  it("calls the project's regional endpoint and reads the same response", async () => {
    let key: string | null = null;
    nock("https://europe-west4-aiplatform.googleapis.com")
      .post(
        /^\/v1(beta1)?\/projects\/p1\/locations\/europe-west4\/publishers\/google\/models\/gemini-3\.5-flash:generateContent$/,
      )
      .reply((request: Request) => {
        key = request.headers.get("x-goog-api-key");
        return [
          200,
          responseOf(
            {
              text: "ok",
              stop: "end",
              usage: { uncached: 10, cacheRead: 0, cacheWrite: 0, output: 2, reasoning: 0 },
            },
            "gemini-3.5-flash",
          ),
        ];
      });
    const model = new GeminiModel({
      vertex: { project: "p1", location: "europe-west4" },
      apiKey: "AQ.vertex-express-key",
    });
    const answer = await model.generate({
      model: "gemini-3.5-flash",
      system: "s",
      messages: [{ role: "user", content: [{ type: "text", text: "x" }] }],
      maxOutputTokens: 5,
      tag: { task: "T", role: "planner", step: null, attempt: 1, turn: 0 },
    });
    expect(answer.text).toBe("ok");
    expect(key).toBe("AQ.vertex-express-key");
  });
});
