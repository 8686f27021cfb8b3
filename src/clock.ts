/** Time is a dependency: tests pass a fixed or hand-advanced clock. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
