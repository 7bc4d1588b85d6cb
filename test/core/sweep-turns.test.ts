import { describe, expect, it } from "vitest";
import {
  pastTurnRefs,
  takesTurn,
  sweepTurn,
  turnOfRef,
  turnRef,
  turnRepository,
} from "../../src/core/sweep/turns.ts";

const TURN = 15 * 60_000;
const NOW = Date.parse("2026-11-23T12:00:00Z");

describe("sweep turns", () => {
  it("a turn lasts turnMs: the turn changes exactly once per turnMs, for every replica alike", () => {
    for (const installation of [1, 42, 9_876_543]) {
      const changes: number[] = [];
      for (let t = NOW; t < NOW + 3 * TURN; t += 1_000)
        if (sweepTurn(installation, t + 1_000, TURN) !== sweepTurn(installation, t, TURN))
          changes.push(t + 1_000);
      expect(changes).toHaveLength(3);
      expect(changes[1]! - changes[0]!).toBe(TURN);
      expect(sweepTurn(installation, NOW, TURN)).toBe(sweepTurn(installation, NOW, TURN));
    }
  });

  it("installations' turns start at spread-out phases, so the first replica to sweep differs by installation", () => {
    const quarters = [0, 0, 0, 0];
    for (let installation = 1; installation <= 1_000; installation++) {
      // How far into its turn each installation is at NOW, to the second.
      let into = 0;
      const turn = sweepTurn(installation, NOW, TURN);
      while (sweepTurn(installation, NOW - into - 1_000, TURN) === turn) into += 1_000;
      quarters[Math.floor((into / TURN) * 4)]! += 1;
    }
    for (const q of quarters) expect(q).toBeGreaterThan(200);
  });

  it("turn refs are named, read back and told from other refs", () => {
    expect(turnRef(29_501_525)).toBe("orchestrator/sweep/29501525");
    expect(turnOfRef("refs/orchestrator/sweep/29501525")).toBe(29_501_525);
    expect(turnOfRef("orchestrator/sweep/7")).toBe(7);
    for (const other of [
      "refs/heads/orchestrator/sweep/7",
      "refs/orchestrator/sweep/",
      "refs/orchestrator/sweep/7x",
      "refs/orchestrator/sweep/7/8",
    ])
      expect(turnOfRef(other)).toBeNull();
  });

  it("the holder of a turn removes earlier turns' refs and any planted past the next turn", () => {
    const refs = [
      "refs/orchestrator/sweep/8",
      "refs/orchestrator/sweep/10",
      "refs/orchestrator/sweep/11",
      "refs/orchestrator/sweep/12",
      "refs/orchestrator/sweep-notes",
    ];
    expect(pastTurnRefs(refs, 10)).toEqual([
      "refs/orchestrator/sweep/8",
      "refs/orchestrator/sweep/12",
    ]);
  });

  it("only the current and the next turn's refs take a turn", () => {
    expect(takesTurn("refs/orchestrator/sweep/10", 10)).toBe(true);
    expect(takesTurn("refs/orchestrator/sweep/11", 10)).toBe(true);
    expect(takesTurn("refs/orchestrator/sweep/12", 10)).toBe(false);
    expect(takesTurn("refs/orchestrator/sweep/999999999999999", 10)).toBe(false);
    expect(takesTurn("refs/orchestrator/sweep/9", 10)).toBe(false);
  });

  it("the repository holding the refs is the installation's lowest id not archived, whatever the order listed", () => {
    const repos = [{ id: 30 }, { id: 7 }, { id: 12 }];
    expect(turnRepository(repos)).toEqual({ id: 7 });
    expect(turnRepository([...repos].reverse())).toEqual({ id: 7 });
    expect(turnRepository([{ id: 3, archived: true }, ...repos])).toEqual({ id: 7 });
    expect(turnRepository([{ id: 3, archived: true }])).toBeNull();
    expect(turnRepository([])).toBeNull();
  });
});
