import { describeValue, listOf } from './describe.js';

/**
 * Juju's status names, each once: everything else (the classes, `fromName`, the checks and
 * their messages) is derived from this list and {@link SETTABLE_NAMES}. Not exported by the
 * package; declared in its types because {@link StatusName} is read from it.
 */
export const STATUS_NAMES = ['active', 'blocked', 'maintenance', 'waiting', 'unknown', 'error'] as const;

/** The names a charm may set; `unknown` and `error` are only ever read from Juju. */
export const SETTABLE_NAMES = ['active', 'blocked', 'maintenance', 'waiting'] as const;

/** A status name as Juju spells it. */
export type StatusName = (typeof STATUS_NAMES)[number];

/** The status names a charm may set; `unknown` and `error` are only ever read from Juju. */
export type SettableStatusName = (typeof SETTABLE_NAMES)[number];

/** A status a charm may set: what `add()`, a unit and the context options accept. */
export type SettableStatus = StatusByName[SettableStatusName];

/**
 * The brand every status carries, shared by every copy of this package loaded in a process
 * (through `Symbol.for`), so that a status made by one copy is a status to the others.
 */
const BRAND: unique symbol = Symbol.for('charms-contextual-status.status') as never;

const NAMES: ReadonlySet<unknown> = new Set(STATUS_NAMES);
const SETTABLE: ReadonlySet<unknown> = new Set(SETTABLE_NAMES);

/** Each status class's Juju name, filled as the classes are defined below. */
const NAME_OF = new Map<abstract new (message?: string) => StatusBase, StatusName>();

/** A lone UTF-16 surrogate: text Juju would receive changed (as U+FFFD), so it is refused. */
const ILL_FORMED = /[\uD800-\uDFFF]/u;

/**
 * A unit or application status: a Juju status name and a message.
 *
 * The subclasses are named after Juju's words and are tiny on purpose. Build one directly
 * (`new BlockedStatus('Add a database')`) or from its name (`StatusBase.fromName('blocked', …)`).
 * A status is frozen: it can be shared by any number of contexts and listeners, and none of
 * them can change what the others see. Two statuses are {@link StatusBase.equals | equal} when
 * they have the same name and the same message.
 *
 * @example
 * ```ts
 * import { BlockedStatus, StatusBase } from 'charms-contextual-status';
 * const s = new BlockedStatus('Add a database');
 * String(s); // 'blocked: Add a database'
 * s.equals(StatusBase.fromName('blocked', 'Add a database')); // true
 * ```
 */
export abstract class StatusBase {
  /**
   * Whether a charm may set this status, known from its name when it is made. Being there at
   * all says this copy's constructor made it: the cheap, unforgeable check that `isStatus()`
   * and `settable()` try first (a Set lookup of the name cost about 7 ns, a sixth of an `add()`,
   * on Node 20).
   */
  readonly #settable: boolean;
  /** The Juju name of this status, such as `'blocked'`. */
  readonly name: StatusName;
  /** The message shown beside the status in `juju status`; may be empty. */
  readonly message: string;

  /**
   * @param message - shown beside the status: a string of well-formed text without NUL
   *   characters (Juju passes it as a command-line argument, which cannot hold a NUL, and
   *   turns a lone UTF-16 surrogate into U+FFFD).
   * @throws TypeError when the message is not a string, holds a NUL character or a lone
   *   surrogate; or when the class is not one of the six status classes or a subclass of one.
   */
  constructor(message = '') {
    const name = nameOf(new.target);
    if (typeof message !== 'string') {
      throw new TypeError(`${new.target.name} message must be a string, got ${describeValue(message)}`);
    }
    if (message.includes('\0')) {
      throw new TypeError(
        `${new.target.name} message must not contain a NUL character (\\0): Juju passes it as a command-line argument`,
      );
    }
    if (ILL_FORMED.test(message)) {
      throw new TypeError(
        `${new.target.name} message must be well-formed text: it holds a lone UTF-16 surrogate, which Juju would replace with U+FFFD`,
      );
    }
    this.name = name;
    this.message = message;
    this.#settable = SETTABLE.has(name);
    Object.freeze(this);
  }

  /**
   * Builds the status named by its Juju word.
   *
   * @example
   * ```ts
   * import { StatusBase } from 'charms-contextual-status';
   * StatusBase.fromName('waiting', 'Waiting for the database'); // a WaitingStatus
   * ```
   * @throws TypeError for a name Juju does not know.
   */
  static fromName<N extends StatusName>(name: N, message = ''): StatusByName[N] {
    const found = typeof name === 'string' ? CLASSES[name] : undefined;
    if (found === undefined) {
      throw new TypeError(
        `unknown status name: got ${describeValue(name)}, expected one of ${STATUS_NAMES.join(', ')}`,
      );
    }
    return new found(message);
  }

  /** True when `other` is a status with the same name and the same message. */
  equals(other: unknown): boolean {
    return isStatus(other) && other.name === this.name && other.message === this.message;
  }

  /** `'blocked: Add a database'`, or just the name when the message is empty. */
  toString(): string {
    return this.message === '' ? this.name : `${this.name}: ${this.message}`;
  }

  /** @internal True for a status made by this copy of the package. */
  static made(value: object): boolean {
    return #settable in value;
  }

  /** @internal True for a status made by this copy of the package that a charm may set. */
  static madeSettable(value: unknown): value is SettableStatus {
    return typeof value === 'object' && value !== null && #settable in value && value.#settable;
  }

  static {
    Object.defineProperty(this.prototype, BRAND, { value: true });
  }
}

/** The unit is ready and doing its job. */
export class ActiveStatus extends StatusBase {
  declare readonly name: 'active';
}

/** The unit needs a person to act (a missing relation, bad configuration) before it can go on. */
export class BlockedStatus extends StatusBase {
  declare readonly name: 'blocked';
}

/** The unit is busy with work of its own (installing, configuring); shown at once. */
export class MaintenanceStatus extends StatusBase {
  declare readonly name: 'maintenance';
}

/** The unit waits on something outside it that needs no person, such as a related application. */
export class WaitingStatus extends StatusBase {
  declare readonly name: 'waiting';
}

/** Juju has no status for the unit yet. Read from Juju, never set. */
export class UnknownStatus extends StatusBase {
  declare readonly name: 'unknown';
}

/** A hook failed. Juju sets it; a charm can read it but never set it. */
export class ErrorStatus extends StatusBase {
  declare readonly name: 'error';
}

/** The status class of each Juju status name. */
export interface StatusByName {
  /** `'active'` names an {@link ActiveStatus}. */
  active: ActiveStatus;
  /** `'blocked'` names a {@link BlockedStatus}. */
  blocked: BlockedStatus;
  /** `'maintenance'` names a {@link MaintenanceStatus}. */
  maintenance: MaintenanceStatus;
  /** `'waiting'` names a {@link WaitingStatus}. */
  waiting: WaitingStatus;
  /** `'unknown'` names an {@link UnknownStatus}. */
  unknown: UnknownStatus;
  /** `'error'` names an {@link ErrorStatus}. */
  error: ErrorStatus;
}

/** The class of each name: the one registry `fromName` and the constructor read. */
const CLASSES: { readonly [N in StatusName]: new (message?: string) => StatusByName[N] } = {
  active: ActiveStatus,
  blocked: BlockedStatus,
  maintenance: MaintenanceStatus,
  waiting: WaitingStatus,
  unknown: UnknownStatus,
  error: ErrorStatus,
};
for (const name of STATUS_NAMES) NAME_OF.set(CLASSES[name], name);

/** The Juju name of a status class, or of the status class it extends. */
function nameOf(target: unknown): StatusName {
  for (let c = target; typeof c === 'function'; c = Object.getPrototypeOf(c)) {
    const name = NAME_OF.get(c as typeof ActiveStatus);
    if (name !== undefined) return name;
  }
  throw new TypeError(
    `a status must be made with one of ${Object.values(CLASSES)
      .map((c) => c.name)
      .join(', ')} (or a subclass of one), not by extending StatusBase directly`,
  );
}

/**
 * True when `value` is a status value: made by one of the status classes, of this copy of the
 * package or of another loaded in the same process. Never throws, even for a revoked proxy.
 * A look-alike (`{ name: 'blocked', message: '' }`) or a forgery
 * (`Object.create(BlockedStatus.prototype)`) is not a status.
 *
 * @example
 * ```ts
 * import { isStatus } from 'charms-contextual-status';
 * isStatus({ name: 'blocked', message: '' }); // false: a look-alike is not a status
 * ```
 */
export function isStatus(value: unknown): value is StatusBase {
  if (typeof value !== 'object' || value === null) return false;
  if (StatusBase.made(value)) return true;
  try {
    const status = value as { [BRAND]?: unknown; name?: unknown; message?: unknown };
    return (
      status[BRAND] === true &&
      Object.hasOwn(value, 'name') &&
      NAMES.has(status.name) &&
      typeof status.message === 'string'
    );
  } catch {
    return false;
  }
}

/**
 * Checks that `value` is a status a charm may set, and returns it typed as one.
 *
 * @param what - how the caller names the value in the error, such as `'add() status'`.
 * @throws TypeError naming what was passed and what is accepted.
 * @internal
 */
export function settable(value: unknown, what: string): SettableStatus {
  // The common case first, small enough for V8 to inline into add(): one of this copy's own.
  if (StatusBase.madeSettable(value)) return value;
  return settableElsewhere(value, what);
}

/** A status of another copy of the package, or a refusal that says what was wrong. */
function settableElsewhere(value: unknown, what: string): SettableStatus {
  if (isStatus(value)) {
    if (SETTABLE.has(value.name)) return value as SettableStatus;
    throw new TypeError(
      `${what} cannot be ${value.name}: a charm can set only ${listOf(SETTABLE_NAMES)}; ${value.name} is read from Juju`,
    );
  }
  throw new TypeError(
    `${what} must be a status (${listOf(SETTABLE_NAMES.map((n) => CLASSES[n].name))}), got ${describeValue(value)}`,
  );
}
