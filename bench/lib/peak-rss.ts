/**
 * Preloaded (`node --import`) into a process a bench starts: samples the process's RSS and heap
 * every 10 ms and writes the peaks, as JSON, to the file `PEAK_RSS_FILE` names when it exits.
 */
import { writeFileSync } from "node:fs";

const file = process.env["PEAK_RSS_FILE"];
if (file) {
  const peak = { rssMb: 0, heapUsedMb: 0, startRssMb: process.memoryUsage().rss / 2 ** 20 };
  const sample = (): void => {
    const m = process.memoryUsage();
    peak.rssMb = Math.max(peak.rssMb, m.rss / 2 ** 20);
    peak.heapUsedMb = Math.max(peak.heapUsedMb, m.heapUsed / 2 ** 20);
  };
  setInterval(sample, 10).unref();
  process.on("exit", () => {
    sample();
    writeFileSync(
      file,
      JSON.stringify({ ...peak, maxRssMb: process.resourceUsage().maxRSS / 1024 }),
    );
  });
}
