import ora, { type Ora } from "ora";

export interface Progress {
  update(task: string, line: string): void;
  stop(): void;
}

/** A spinner with each task's latest status line; silent when stdout is not a terminal. */
export function createProgress(enabled: boolean): Progress {
  if (!enabled) return { update: () => undefined, stop: () => undefined };
  const lines = new Map<string, string>();
  const spinner: Ora = ora({ text: "starting", isEnabled: true }).start();
  return {
    update(task, line) {
      lines.set(task, line);
      spinner.text = [...lines.entries()].map(([t, l]) => `${t}: ${l}`).join("\n  ");
    },
    stop() {
      spinner.stop();
    },
  };
}
