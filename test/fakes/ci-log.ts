/** What `node --test --test-reporter=tap` prints for the demo's failing test, in a job log. */
export function tapLog(actual = "hello wo…"): string {
  return [
    "##[group]Run npm test",
    "npm test",
    "##[endgroup]",
    "TAP version 13",
    "# Subtest: cuts long text",
    "not ok 2 - cuts long text",
    "  ---",
    "  duration_ms: 0.912",
    "  location: '/home/runner/work/textkit/textkit/test/truncate.test.js:9:3'",
    "  failureType: 'testCodeFailure'",
    "  error: |-",
    "    Expected values to be strictly equal:",
    "    ",
    `    '${actual}' !== 'hello w…'`,
    "    ",
    "  code: 'ERR_ASSERTION'",
    "  ...",
    "1..2",
    "# fail 1",
    "##[error]Process completed with exit code 1.",
  ]
    .map((l, i) => `2026-02-03T04:05:${String(10 + i).padStart(2, "0")}.0000000Z ${l}`)
    .join("\n");
}
