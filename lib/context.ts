import { cut, describeUnit, unpublishedReport } from './describe.js';
import { type InProcessHook, currentHook } from './hook.js';
import { CLOSE_OPTIONS, CONTEXT_OPTIONS, type CloseOptions } from './context-options.js';
import { checkOptions } from './options.js';
import { adopt } from './thenable.js';
import { type WriteQueue, queueOf } from './queue.js';
import { shared } from './registry.js';
import {
  ActiveStatus,
  type BlockedStatus,
  type SettableStatus,
  type StatusBase,
  StatusBase as Status,
  UnknownStatus,
  type WaitingStatus,
  isStatus,
  settable,
} from './status.js';
import { type Unit, checkUnit } from './unit.js';

declare global {
  // Declared here as well as in TypeScript's esnext.disposable lib (and @types/node), so that a
  // project compiling against an older `lib` can still use these typings.
  interface SymbolConstructor {
    readonly asyncDispose: unique symbol;
  }
}

/**
 * What a context needs of the bus that made it: where its statuses, failures, warnings and
 * final status go. The bus is the layer above; a context knows it only through this.
 *
 * @internal
 */
export interface ContextHost {
  /** Emits a status event for statuses a context added to itself alone. */
  announce(status: SettableStatus, contexts: readonly StatusContext[]): void;
  /** The context began closing: it is reached no more. */
  released(context: StatusContext): void;
  /** A failure that must not break flow. */
  failed(failure: unknown, context?: StatusContext): void;
  /** Misuse that must not break flow. */
  warned(message: string): void;
  /** The context published its final status. */
  resolved(status: StatusBase, context: StatusContext): void;
}

const READY = new ActiveStatus('Ready');
/** How many contexts this copy of the package has made: the opening number of the next, less one. */
let contextsMade = 0;
/** How many distinct conditions a context keeps: enough for any charm, bounded for any loop. */
const MAX_CONDITIONS = 100;
/**
 * How many distinct conditions beyond those kept a context still counts (as keys only), so
 * that a summary says `+149 more` when 150 are open; past this it says `or more`.
 */
const MAX_COUNTED = 1000;
/** The width of the message column of `juju status`. */
const SUMMARY_WIDTH = 120;

/** A context that has not published its final status, as the report at exit names it. */
interface Unpublished {
  readonly unit: Unit;
  readonly closed: boolean;
}

/**
 * This copy's contexts that have not published their final status: open, or closing with the
 * final write not yet landed. An array each context knows its slot in, so that one is
 * forgotten in O(1) without hashing it: a Set of them was a fifth of a whole context on Node 20
 * (bench/core.ts, "context(unit, body)").
 */
const unpublished: StatusContext[] = [];

/**
 * Every copy's unpublished contexts, reported at exit on one line, because their units show a
 * stale status. Each copy adds the list of its own.
 */
shared('unpublished contexts', () => {
  const copies = new Set<readonly Unpublished[]>();
  process.once('exit', () => {
    const left = [...copies].flat();
    if (left.length > 0) console.error(unpublishedReport(left, 'at exit'));
  });
  return copies;
}).add(unpublished);

/**
 * A piece of work whose statuses end in one resolved final status on a unit.
 *
 * While open, it receives the statuses added on its bus. A maintenance or active status is
 * written to the unit at once, so that an operator watching `juju status` sees progress. A
 * blocked or waiting status is kept: it describes why the work cannot finish, and only the
 * most telling one should remain once the work is over. On close the context publishes the
 * first blocked status if any, else the first waiting one, else its exit status.
 *
 * Make one with `context()` (scoped to a body) or `open()` (open until closed).
 *
 * @example
 * ```ts
 * import * as status from 'charms-contextual-status';
 * const unit = new status.MemoryUnit();
 * {
 *   await using ctx = status.open(unit);
 *   status.add(new status.WaitingStatus('Waiting for the database'));
 *   ctx.resolve(); // WaitingStatus('Waiting for the database')
 * } // closed here: the unit now shows it
 * ```
 */
export class StatusContext {
  /** The unit this context publishes to. */
  readonly unit: Unit;
  /** Published on close when nothing blocked or waiting was added; see `ContextOptions`. */
  readonly exitStatus: SettableStatus | (() => StatusBase) | 'unchanged';
  /** Published instead of the exit status when the work failed; see `ContextOptions`. */
  readonly errorStatus: SettableStatus | undefined;
  /** Whether the published message summarizes every open condition; see `ContextOptions`. */
  readonly summary: boolean;
  /**
   * When it was opened, counted in the process: an `add()` lists the contexts it reaches in
   * this order, outermost first.
   *
   * @internal
   */
  readonly opened = ++contextsMade;

  /** The bus that delivers to this context, and that hears what it publishes. */
  readonly #bus: ContextHost;
  /** The unit's writes, in order, shared with every other context writing to it. */
  readonly #queue: WriteQueue;
  /** Distinct blocked and waiting statuses, in order; the first of each kind wins. */
  readonly #conditions: SettableStatus[] = [];
  /** The last condition taken: the same status added again (a loop, a retry) is skipped at once. */
  #latest: SettableStatus | undefined;
  /** Distinct conditions past the kept ones, counted by name and message, up to {@link MAX_COUNTED}. */
  #uncounted: Set<string> | undefined;
  #blocked: BlockedStatus | undefined;
  #waiting: WaitingStatus | undefined;
  #wrote = false;
  /** With `exitStatus: 'unchanged'`: what the unit showed before the first write, once read. */
  #prior: StatusBase | Promise<StatusBase | undefined> | undefined;
  /** This context's writes, held behind an asynchronous read of the prior status, in order. */
  #held: Promise<void> | undefined;
  /** Set as `close()` begins, before the final write: from then on nothing is received. */
  #closed = false;
  #closing: Promise<StatusBase> | undefined;
  /** Whether the final status was published as close() began: a synchronous unit took it. */
  #published = false;
  /** Where this context is in {@link unpublished}; -1 once it has published or been abandoned. */
  #slot: number;
  /** The test's in-process hook run this context was opened in, which ends it with the run. */
  #hook: InProcessHook | undefined;

  private constructor(bus: ContextHost, unit: unknown, options: unknown) {
    this.unit = checkUnit(unit, 'the unit of a status context');
    const {
      exitStatus = READY,
      errorStatus,
      summary = false,
    } = checkOptions(options, 'status context options', CONTEXT_OPTIONS);
    this.exitStatus = exitStatus;
    this.errorStatus = errorStatus;
    this.summary = summary;
    this.#bus = bus;
    this.#queue = queueOf(this.unit);
    this.#slot = unpublished.push(this) - 1;
    this.#hook = currentHook();
    this.#hook?.contexts.add(this);
  }

  /**
   * Makes a context for `bus`; the bus then makes it reachable.
   *
   * @internal
   */
  static create(bus: ContextHost, unit: unknown, options: unknown): StatusContext {
    return new StatusContext(bus, unit, options);
  }

  /**
   * True once the final status is published: with a synchronous unit, as `close()` begins.
   *
   * @internal
   */
  get published(): boolean {
    return this.#published;
  }

  /** True once `close()` has begun: the context receives nothing more. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * The distinct blocked and waiting statuses added, in order (equal ones once; at most 100
   * kept): every open problem, not only the one the context publishes.
   */
  get conditions(): readonly SettableStatus[] {
    return Object.freeze([...this.#conditions]);
  }

  /**
   * Adds a status to this context alone (not to the others on the bus), and announces it on
   * the bus as `bus.add()` does. After close, it emits a `warning` and does nothing else.
   *
   * @throws TypeError when `status` is not an active, blocked, maintenance or waiting status.
   */
  add(status: StatusBase): void {
    const value = settable(status, 'StatusContext.add() status');
    if (this.closed) {
      this.#bus.warned(`could not add status to a closed status context (${String(this)}): ${String(value)}`);
      return;
    }
    this.receive(value);
    this.#bus.announce(value, Object.freeze([this]));
  }

  /**
   * What `close()` would publish now if the work succeeded: the first blocked, else the first
   * waiting, else the exit status. `undefined` when only the close can tell: the exit status
   * is a function (called once, at close) or `'unchanged'`.
   */
  resolve(): SettableStatus | undefined {
    const condition = this.#blocked ?? this.#waiting;
    if (condition !== undefined) return this.#summarized(condition);
    return typeof this.exitStatus === 'object' ? this.exitStatus : undefined;
  }

  /**
   * Stops receiving, waits for the unit's pending writes, writes the final status, emits
   * `resolved` and resolves to the final status. Idempotent: every call returns the same
   * promise, and the first call's options hold. Rejects with the unit's error when the final
   * write fails.
   *
   * @param options - `{ failed: true }` says the work failed, so that `errorStatus` applies:
   *   the way to use `errorStatus` with `open()`.
   * @throws TypeError (as a rejection) for options of the wrong shape.
   */
  close(options?: CloseOptions): Promise<StatusBase> {
    if (this.#closing !== undefined) return this.#closing;
    let failed: boolean;
    try {
      failed = checkOptions(options, 'close() options', CLOSE_OPTIONS).failed ?? false;
    } catch (error) {
      return Promise.reject(error);
    }
    this.#closed = true;
    this.#closing = this.#close(failed);
    // A final status a synchronous unit took is published already (#published); otherwise
    // the context is forgotten once its final write settles.
    if (!this.#published) {
      const forget = (): void => {
        this.#forget();
      };
      this.#closing.then(forget, forget);
    }
    return this.#closing;
  }

  /**
   * Stops receiving and forgets the context without a final write: what the end of a process
   * does to a context left open. The testing entry ends the contexts of a hook run in the test's
   * process this way when the run ends.
   *
   * @internal
   */
  abandon(): void {
    this.#closed = true;
    this.#bus.released(this);
    this.#forget();
  }

  /** No longer a context left open: out of the report at exit and out of its hook run's. */
  #forget(): void {
    const slot = this.#slot;
    if (slot === -1) return;
    this.#slot = -1;
    const last = unpublished.pop(); // the last context moves into the slot
    if (last !== undefined && last !== this) {
      unpublished[slot] = last;
      last.#slot = slot;
    }
    this.#hook?.contexts.delete(this);
  }

  /** Closes the context, for `await using ctx = open(unit)`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** `StatusContext(open, MemoryUnit)`, for logs and warnings. */
  toString(): string {
    return `StatusContext(${this.closed ? 'closed' : 'open'}, ${describeUnit(this.unit)})`;
  }

  /**
   * Takes a status added on the bus: writes maintenance and active at once, keeps blocked and
   * waiting. A context that has begun closing takes nothing (a sync unit may close it while an
   * `add()` is being delivered).
   *
   * @internal
   */
  receive(status: SettableStatus): void {
    // Small enough for V8 to inline into add(): a closed context, or the condition it took
    // last added again (a loop, a retry), costs two comparisons (bench/core.ts).
    if (!this.#closed && status !== this.#latest) this.#take(status);
  }

  #take(status: SettableStatus): void {
    const name = status.name;
    if (name === 'blocked' || name === 'waiting') {
      this.#condition(status);
      return;
    }
    this.#beforeWrite();
    if (this.#held === undefined) this.#write(status);
    else
      this.#held = this.#held.then(() => {
        this.#write(status);
      });
  }

  /** A progress write: its failure is an `error` event, and the work goes on. */
  #write(status: SettableStatus): void {
    try {
      const landed = this.#queue.write(status, false);
      if (landed !== undefined) {
        landed.then(undefined, (error: unknown) => {
          this.#bus.failed(error, this);
        });
      }
    } catch (error) {
      this.#bus.failed(error, this);
    }
  }

  /**
   * Keeps `status` among the conditions unless an equal one is there; past 100 kept, only
   * counts it (up to 1000 more), so memory stays bounded in any loop.
   */
  #condition(status: SettableStatus): void {
    this.#latest = status;
    if (status.name === 'blocked') this.#blocked ??= status;
    else this.#waiting ??= status as WaitingStatus;
    const conditions = this.#conditions;
    for (const kept of conditions) {
      if (kept === status || (kept.name === status.name && kept.message === status.message)) return;
    }
    if (conditions.length < MAX_CONDITIONS) {
      conditions.push(status);
      return;
    }
    const counted = (this.#uncounted ??= new Set());
    if (counted.size < MAX_COUNTED) counted.add(`${status.name}\0${status.message}`);
  }

  /**
   * With `exitStatus: 'unchanged'`, reads what the unit shows before the first write. An
   * asynchronous read holds this context's writes until it answers, so that it never sees the
   * context's own write and restores that (LP#2077189 by another door).
   */
  #beforeWrite(): void {
    if (this.#wrote) return;
    this.#wrote = true;
    if (this.exitStatus !== 'unchanged') return;
    const prior = this.#read();
    this.#prior = prior;
    if (prior instanceof Promise) this.#held = prior.then(() => undefined);
  }

  /** What the unit shows, when it can tell: a read failure is an `error` event and `undefined`. */
  #read(): StatusBase | Promise<StatusBase | undefined> | undefined {
    const failed = (error: unknown): undefined => {
      this.#bus.failed(error, this);
      return undefined;
    };
    try {
      const getStatus = (this.unit as { getStatus?: unknown }).getStatus;
      if (typeof getStatus !== 'function') return undefined;
      const answer: unknown = getStatus.call(this.unit);
      const later = adopt(answer);
      if (later === undefined) return isStatus(answer) ? answer : undefined;
      return later.then((status) => (isStatus(status) ? status : undefined), failed);
    } catch (error) {
      failed(error);
      return;
    }
  }

  #close(failed: boolean): Promise<StatusBase> {
    this.#bus.released(this);
    const condition = this.#blocked ?? this.#waiting;
    if (condition !== undefined) return this.#publish(this.#summarized(condition));
    if (failed && this.errorStatus !== undefined) return this.#publish(this.errorStatus);
    const exit = this.exitStatus;
    if (exit === 'unchanged') return this.#unchanged();
    if (typeof exit !== 'function') return this.#publish(exit);
    let found: SettableStatus;
    try {
      found = settable(exit(), 'the status returned by the exitStatus function');
    } catch (error) {
      this.#bus.failed(error, this);
      found = this.errorStatus ?? READY;
    }
    return this.#publish(found);
  }

  /** The end of an `'unchanged'` context: restore what the unit showed, or write nothing. */
  #unchanged(): Promise<StatusBase> {
    if (!this.#wrote) {
      // Nothing written and nothing to restore; but `resolved`, `close()` and reconcile()'s
      // outcome must say what the unit shows, so it is read (one `status-get`), after this
      // process's pending writes to it. A unit that cannot tell: what this process last
      // wrote to it, else unknown.
      const report = (shown: StatusBase | undefined): StatusBase => {
        const status = shown ?? this.#queue.last ?? new UnknownStatus();
        this.#bus.resolved(status, this);
        return status;
      };
      return this.#queue.idle().then(() => {
        const shown = this.#read();
        return shown instanceof Promise ? shown.then(report) : report(shown);
      });
    }
    const restore = (prior: StatusBase | undefined): SettableStatus =>
      prior !== undefined && prior.name !== 'unknown' && prior.name !== 'error'
        ? (prior as SettableStatus)
        : READY;
    const prior = this.#prior;
    if (!(prior instanceof Promise)) return this.#publish(restore(prior));
    return prior.then((status) => this.#publish(restore(status)));
  }

  /** Writes the final status after every write queued before it, then emits `resolved`. */
  #publish(final: SettableStatus): Promise<StatusBase> {
    const held = this.#held;
    if (held !== undefined) {
      this.#held = undefined;
      return held.then(() => this.#publish(final));
    }
    let landed: void | Promise<void>;
    try {
      landed = this.#queue.write(final, true);
    } catch (error) {
      return Promise.reject(error);
    }
    if (landed === undefined) {
      this.#published = true;
      this.#forget();
      this.#bus.resolved(final, this);
      return Promise.resolve(final);
    }
    return landed.then(() => {
      this.#bus.resolved(final, this);
      return final;
    });
  }

  /** The condition to publish, with the others counted and named when `summary` is set. */
  #summarized(first: SettableStatus): SettableStatus {
    if (!this.summary) return first;
    const others = this.#conditions.filter((c) => !c.equals(first));
    const beyond = this.#uncounted?.size ?? 0;
    if (others.length + beyond === 0) return first;
    const message = summarize(first.message, others, others.length + beyond, beyond >= MAX_COUNTED);
    return Status.fromName(first.name, message);
  }
}

/**
 * `Add a database (+2 more: Set "port"; Waiting for peers)`: as many of the others named as fit
 * in {@link SUMMARY_WIDTH} characters (`…` when some are not), then only their number, then
 * the first message cut. `total` counts the others, `known` of them kept with their messages.
 */
function summarize(first: string, known: readonly StatusBase[], total: number, atLeast: boolean): string {
  const count = `+${String(total)}${atLeast ? ' or' : ''} more`;
  const lead = first === '' ? '' : `${first} `;
  const names = known.map((s) => (s.message === '' ? s.name : s.message));
  for (let shown = names.length; shown > 0; shown -= 1) {
    const listed = names.slice(0, shown).join('; ') + (shown < total ? '; …' : '');
    const message = `${lead}(${count}: ${listed})`;
    if (Array.from(message).length <= SUMMARY_WIDTH) return message;
  }
  const tail = `(${count})`;
  if (Array.from(lead).length + tail.length <= SUMMARY_WIDTH) return lead + tail;
  return `${cut(first, SUMMARY_WIDTH - tail.length - 2)}… ${tail}`;
}
