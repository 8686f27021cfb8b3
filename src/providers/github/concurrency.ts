import { UnfurlError } from "../../http/errors.js";
import { MESSAGES } from "./errors.js";

/**
 * At most `max` requests in flight per caller. A Notion page of fifty previews fires fifty unfurls
 * at once; GitHub's secondary limits punish a token that sends many concurrent requests, so the
 * rest wait their turn (never past their deadline).
 */
export interface ConcurrencyLimiter {
  run<T>(key: string, signal: AbortSignal | undefined, task: () => Promise<T>): Promise<T>;
}

interface Lane {
  active: number;
  waiting: (() => void)[];
}

export function createConcurrencyLimiter(max: number): ConcurrencyLimiter {
  const lanes = new Map<string, Lane>();

  async function acquire(key: string, signal: AbortSignal | undefined): Promise<Lane> {
    let lane = lanes.get(key);
    if (!lane) {
      lane = { active: 0, waiting: [] };
      lanes.set(key, lane);
    }
    if (lane.active < max) {
      lane.active += 1;
      return lane;
    }
    const queued = lane;
    await new Promise<void>((resolve, reject) => {
      const turn = () => {
        signal?.removeEventListener("abort", giveUp);
        resolve();
      };
      const giveUp = () => {
        const at = queued.waiting.indexOf(turn);
        if (at >= 0) queued.waiting.splice(at, 1);
        reject(new UnfurlError(504, MESSAGES.timeout));
      };
      if (signal?.aborted) return giveUp();
      queued.waiting.push(turn);
      signal?.addEventListener("abort", giveUp, { once: true });
    });
    // the slot was handed over by `release` without being freed
    return queued;
  }

  function release(key: string, lane: Lane): void {
    const next = lane.waiting.shift();
    if (next) return next();
    lane.active -= 1;
    if (lane.active === 0) lanes.delete(key);
  }

  return {
    async run(key, signal, task) {
      const lane = await acquire(key, signal);
      try {
        return await task();
      } finally {
        release(key, lane);
      }
    },
  };
}
