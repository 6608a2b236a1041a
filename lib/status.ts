import { describeValue } from './input.js';

/** A status name as Juju spells it. */
export type StatusName = 'active' | 'blocked' | 'maintenance' | 'waiting' | 'unknown' | 'error';

/** The status names a charm may set; `unknown` and `error` are only ever read from Juju. */
export type SettableStatusName = 'active' | 'blocked' | 'maintenance' | 'waiting';

/** A status a charm may set: what `add()`, a unit and the context options accept. */
export type SettableStatus = ActiveStatus | BlockedStatus | MaintenanceStatus | WaitingStatus;

const SETTABLE_NAMES = 'active, blocked, maintenance or waiting';

/**
 * A unit or application status: a Juju status name and a message.
 *
 * The subclasses are named after Juju's words and are tiny on purpose. Build one directly
 * (`new BlockedStatus('Add a database')`) or from its name (`StatusBase.fromName('blocked', …)`).
 * A status is immutable; two statuses are {@link StatusBase.equals | equal} when they have the
 * same class and the same message.
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
  /** The Juju name of this status, such as `'blocked'`. */
  abstract readonly name: StatusName;
  /** The message shown beside the status in `juju status`; may be empty. */
  readonly message: string;

  /**
   * @param message - shown beside the status; a string without NUL characters (Juju passes
   *   it as a command-line argument, which cannot hold one).
   * @throws TypeError when the message is not a string or holds a NUL character.
   */
  constructor(message = '') {
    if (typeof message !== 'string') {
      throw new TypeError(
        `${new.target.name} message must be a string, got ${describeValue(message)}`,
      );
    }
    if (message.includes('\0')) {
      throw new TypeError(
        `${new.target.name} message must not contain a NUL character (\\0): Juju passes it as a command-line argument`,
      );
    }
    this.message = message;
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
    return fromName(name, message) as StatusByName[N];
  }

  /** True when `other` is a status of the same class with the same message. */
  equals(other: unknown): boolean {
    return (
      other instanceof StatusBase &&
      other.constructor === this.constructor &&
      other.message === this.message
    );
  }

  /** `'blocked: Add a database'`, or just the name when the message is empty. */
  toString(): string {
    return this.message === '' ? this.name : `${this.name}: ${this.message}`;
  }
}

/** The unit is ready and doing its job. */
export class ActiveStatus extends StatusBase {
  readonly name = 'active';
}

/** The unit needs a person to act (a missing relation, bad configuration) before it can go on. */
export class BlockedStatus extends StatusBase {
  readonly name = 'blocked';
}

/** The unit is busy with work of its own (installing, configuring); shown at once. */
export class MaintenanceStatus extends StatusBase {
  readonly name = 'maintenance';
}

/** The unit waits on something outside it that needs no person, such as a related application. */
export class WaitingStatus extends StatusBase {
  readonly name = 'waiting';
}

/** Juju has no status for the unit yet. Read from Juju, never set. */
export class UnknownStatus extends StatusBase {
  readonly name = 'unknown';
}

/** A hook failed. Juju sets it; a charm can read it but never set it. */
export class ErrorStatus extends StatusBase {
  readonly name = 'error';
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

function fromName(name: unknown, message: string): StatusBase {
  switch (name) {
    case 'active':
      return new ActiveStatus(message);
    case 'blocked':
      return new BlockedStatus(message);
    case 'maintenance':
      return new MaintenanceStatus(message);
    case 'waiting':
      return new WaitingStatus(message);
    case 'unknown':
      return new UnknownStatus(message);
    case 'error':
      return new ErrorStatus(message);
    default:
      throw new TypeError(
        `unknown status name: got ${describeValue(name)}, expected one of active, blocked, maintenance, waiting, unknown, error`,
      );
  }
}

/**
 * True when `value` is a status value (an instance of one of the status classes).
 *
 * @example
 * ```ts
 * import { isStatus } from 'charms-contextual-status';
 * isStatus({ name: 'blocked', message: '' }); // false: a look-alike is not a status
 * ```
 */
export function isStatus(value: unknown): value is StatusBase {
  return value instanceof StatusBase;
}

/** `instanceof`, answering `false` for a proxy whose prototype trap throws or that was revoked. */
function isStatusSafely(value: unknown): value is StatusBase {
  try {
    return value instanceof StatusBase;
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
  if (!isStatusSafely(value)) {
    throw new TypeError(
      `${what} must be a status (ActiveStatus, BlockedStatus, MaintenanceStatus or WaitingStatus), got ${describeValue(value)}`,
    );
  }
  const name = value.name;
  if (name === 'unknown' || name === 'error') {
    throw new TypeError(
      `${what} cannot be ${name}: a charm can set only ${SETTABLE_NAMES}; ${name} is read from Juju`,
    );
  }
  return value as SettableStatus;
}
