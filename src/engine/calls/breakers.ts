/** When a model's circuit opens, and for how long. */
export interface BreakerSettings {
  /** Consecutive failures that open the circuit. */
  readonly consecutiveFailures: number;
  /** Failure share over the last `window` calls that opens it (once `minCalls` were seen). */
  readonly failureRate: number;
  readonly window: number;
  readonly minCalls: number;
  /** How long it stays open before one probe call is let through. */
  readonly openMs: number;
}

export const DEFAULT_BREAKER: BreakerSettings = {
  consecutiveFailures: 5,
  failureRate: 0.5,
  window: 20,
  minCalls: 10,
  openMs: 30_000,
};

type State =
  | { readonly kind: "closed" }
  | { readonly kind: "open"; readonly until: number }
  | { readonly kind: "half_open" };

interface Circuit {
  state: State;
  consecutive: number;
  /** Outcomes of the last calls, true for a failure. */
  recent: boolean[];
}

export type CircuitState = "closed" | "open" | "half_open";

/**
 * One circuit per model, shared by every task of the process. Open: calls go to the next
 * candidate (the caller never skips the last one, so a task escalates instead of hanging).
 * After `openMs` one probe is let through (half-open): success closes, failure opens again.
 */
export class CircuitBreakers {
  readonly #settings: BreakerSettings;
  readonly #circuits = new Map<string, Circuit>();
  readonly #onChange: ((model: string, state: CircuitState) => void) | undefined;

  constructor(
    settings: BreakerSettings = DEFAULT_BREAKER,
    onChange?: (model: string, state: CircuitState) => void,
  ) {
    this.#settings = settings;
    this.#onChange = onChange;
  }

  /** Whether a call to `model` may go now; a due probe is granted to the first who asks. */
  allows(model: string, now: number): boolean {
    const circuit = this.#circuits.get(model);
    if (!circuit) return true;
    const { state } = circuit;
    if (state.kind === "closed") return true;
    if (state.kind === "half_open") return false;
    if (now < state.until) return false;
    this.#set(model, circuit, { kind: "half_open" });
    return true;
  }

  state(model: string, now: number): CircuitState {
    const state = this.#circuits.get(model)?.state;
    if (!state) return "closed";
    if (state.kind === "open" && now >= state.until) return "half_open";
    return state.kind;
  }

  /** Models whose circuit is open now, for routing. */
  openModels(now: number): Map<string, string> {
    const open = new Map<string, string>();
    for (const [model, circuit] of this.#circuits)
      if (circuit.state.kind === "open" && now < circuit.state.until)
        open.set(model, "circuit open after repeated failures");
    return open;
  }

  success(model: string): void {
    const circuit = this.#circuit(model);
    circuit.consecutive = 0;
    this.#remember(circuit, false);
    if (circuit.state.kind !== "closed") this.#set(model, circuit, { kind: "closed" });
  }

  failure(model: string, now: number): void {
    const circuit = this.#circuit(model);
    circuit.consecutive += 1;
    this.#remember(circuit, true);
    const s = this.#settings;
    const failures = circuit.recent.filter(Boolean).length;
    const tooMany =
      circuit.state.kind === "half_open" ||
      circuit.consecutive >= s.consecutiveFailures ||
      (circuit.recent.length >= s.minCalls && failures / circuit.recent.length >= s.failureRate);
    if (tooMany) {
      circuit.recent = [];
      circuit.consecutive = 0;
      this.#set(model, circuit, { kind: "open", until: now + s.openMs });
    }
  }

  #circuit(model: string): Circuit {
    let circuit = this.#circuits.get(model);
    if (!circuit) {
      circuit = { state: { kind: "closed" }, consecutive: 0, recent: [] };
      this.#circuits.set(model, circuit);
    }
    return circuit;
  }

  #remember(circuit: Circuit, failed: boolean): void {
    circuit.recent.push(failed);
    if (circuit.recent.length > this.#settings.window) circuit.recent.shift();
  }

  #set(model: string, circuit: Circuit, state: State): void {
    circuit.state = state;
    this.#onChange?.(model, state.kind);
  }
}
