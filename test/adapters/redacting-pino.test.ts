import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { redactingPino } from "../../src/adapters/log/redacting-pino.ts";

describe("redactingPino", () => {
  it("redacts known values and credential shapes from messages and fields, including values learnt later", () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString("utf8"));
        done();
      },
    });
    const secrets = ["webhook-secret-value"];
    const log = redactingPino("info", () => secrets, sink);
    log.info({ header: "sig from webhook-secret-value", repo: "o/r" }, "got webhook-secret-value");
    secrets.push("sk-ant-learnt-later-0000");
    log.warn({ nested: { key: "sk-ant-learnt-later-0000" } }, "request failed");
    log.info(`token ghs_${"a".repeat(36)} leaked`);
    const out = lines.join("");
    expect(out).not.toContain("webhook-secret-value");
    expect(out).not.toContain("sk-ant-learnt-later-0000");
    expect(out).not.toContain(`ghs_${"a".repeat(36)}`);
    expect(out).toContain('"repo":"o/r"');
    expect(out.match(/\[REDACTED\]/g)?.length).toBe(4);
  });
});
