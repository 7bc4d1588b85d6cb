import { firstLines, type Extractor, type Failure } from "../failure.ts";

// `thread 'name' panicked at file:line:col:` (Rust 1.73+) or `… panicked at 'message', file:line:col`.
const PANIC = /^thread '(.+?)'(?: \(\d+\))? panicked at (?:(\S+:\d+:\d+):$|'([\s\S]*))/;
const RESULT = /^test (\S+) \.\.\. FAILED$/;
const RUNNER_FRAME =
  /^(?:rust_begin_unwind|__rustc::|core::|std::|test::|<.+ as core::ops::function::FnOnce<.+>>::call_once|.+::\{closure#\d+\}|.+::\{\{closure\}\})/;

/** `cargo test`: each panic's thread name, message and place, the first frames of a backtrace, and `test x ... FAILED`. */
export const cargoTest: Extractor = {
  tool: "cargo test",
  extract(lines) {
    const failures: Failure[] = [];
    for (let i = 0; i < lines.length; i++) {
      const panic = PANIC.exec(lines[i] ?? "");
      if (!panic?.[1]) continue;
      const block: string[] = [];
      let location = panic[2] ?? null;
      if (panic[3] !== undefined) {
        // Old form: the message is quoted and the place follows its closing quote.
        const rest = [panic[3]];
        for (let j = i + 1; j < lines.length && !/', \S+:\d+:\d+$/.test(rest.at(-1) ?? ""); j++)
          rest.push(lines[j] ?? "");
        const end = /^([\s\S]*)', (\S+:\d+:\d+)$/.exec(rest.join("\n"));
        block.push(...(end?.[1] ?? rest.join("\n")).split("\n"));
        location = end?.[2] ?? null;
      } else {
        for (
          let j = i + 1;
          j < lines.length &&
          !/^(?:note: |stack backtrace:|thread '|---- |failures:$)/.test(lines[j] ?? "");
          j++
        )
          block.push(lines[j] ?? "");
      }
      const trace: string[] = [];
      for (
        let j = i + 1;
        j < lines.length && !/^(?:thread '|---- |failures:$|test result:)/.test(lines[j] ?? "");
        j++
      ) {
        const frame = /^\s*\d+: (.+)$/.exec(lines[j] ?? "")?.[1];
        if (!frame || RUNNER_FRAME.test(frame)) continue;
        const at = /^\s+at (\S+:\d+:\d+)$/.exec(lines[j + 1] ?? "")?.[1];
        trace.push(at ? `${frame} (${at})` : frame);
      }
      failures.push({
        tool: "cargo test",
        test: panic[1] === "main" ? null : panic[1],
        message: firstLines(block, 8),
        location,
        frames: trace.slice(0, 3),
      });
    }
    const panicked = new Set(failures.map((f) => f.test));
    for (const line of lines) {
      const result = RESULT.exec(line)?.[1];
      if (
        result &&
        !panicked.has(result) &&
        ![...panicked].some((t) => t !== null && result.endsWith(t))
      ) {
        panicked.add(result);
        failures.push({
          tool: "cargo test",
          test: result,
          message: "FAILED",
          location: null,
          frames: [],
        });
      }
    }
    return failures;
  },
};
