import type { StatusBase, Unit } from '../../lib/index.js';

/** Resolves after `ms` milliseconds. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * An asynchronous unit: each write takes `delayMs`, records when it lands, and can be made to
 * fail. It counts writes in flight, so a spec can see that they were serialized.
 */
export class SlowUnit implements Unit {
  readonly written: StatusBase[] = [];
  readonly started: StatusBase[] = [];
  inFlight = 0;
  maxInFlight = 0;
  coalesce?: boolean;
  /** Return an error to make the write of that status fail with it. */
  failWith: (status: StatusBase) => unknown = () => undefined;

  constructor(readonly delayMs = 1) {}

  async setStatus(status: StatusBase): Promise<void> {
    this.started.push(status);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await delay(this.delayMs);
      const failure = this.failWith(status);
      if (failure !== undefined) throw failure;
      this.written.push(status);
    } finally {
      this.inFlight -= 1;
    }
  }

  get last(): StatusBase | undefined {
    return this.written[this.written.length - 1];
  }
}
