import type { Inspection } from "./envelope.js";

/** One `PATCH /v1/external/object` the emulated Notion received, with what it answered. */
export interface Push {
  id: number;
  at: number;
  /** The bearer token it came with (which connection pushed); null when there was none. */
  token: string | null;
  /** The HTTP status answered; 200 means Notion accepted the update. */
  status: number;
  /** Notion's error code when refused (`unauthorized`, `missing_version`, `validation_error`, or a scripted one). */
  code: string | null;
  notionVersion: string | null;
  body: unknown;
  /** Always computed, even for a refused push: the developer wants to see what was wrong. */
  inspection: Inspection;
}

export interface PushLog {
  record(push: Omit<Push, "id">): Push;
  /** Newest first. */
  list(): readonly Push[];
  /** Called after each recorded push; returns the unsubscribe function (the Lab's live list). */
  subscribe(listener: (push: Push) => void): () => void;
}

/** A dev tool keeps the recent history only. */
const KEEP = 100;

export function createPushLog(): PushLog {
  const pushes: Push[] = [];
  const listeners = new Set<(push: Push) => void>();
  let nextId = 1;
  return {
    record(input) {
      const push: Push = { ...input, id: nextId++ };
      pushes.unshift(push);
      pushes.length = Math.min(pushes.length, KEEP);
      for (const listener of listeners) listener(push);
      return push;
    },
    list: () => pushes,
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
