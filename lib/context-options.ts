// The options a status context takes, and the rules that check them: a context's own
// (`context()`, `open()`) and every options table that passes them on (`reconcile()`).
import { listOf } from './describe.js';
import { BOOLEAN, type Rule, rule } from './options.js';
import { type SettableStatus, type StatusBase, isStatus, SETTABLE_NAMES } from './status.js';

/** How a context resolves. */
export interface ContextOptions {
  /**
   * Published on close when nothing blocked or waiting was added. Default:
   * `new ActiveStatus('Ready')`, as in the Python original.
   *
   * - A function is called once, at close, so the exit status can say what the work found
   *   (`Serving on :8080`).
   * - `'unchanged'` leaves the unit showing what it showed before the context: a context that
   *   wrote nothing writes nothing; one that wrote (maintenance, active) restores the status
   *   the unit showed before its first write (read then with `unit.getStatus()`), or
   *   `ActiveStatus('Ready')` where the unit cannot tell or showed `unknown` or `error`. For
   *   actions: an action never resets a Blocked unit to Active. When `getStatus()` is
   *   asynchronous, the first write waits for its answer, so the read never sees the
   *   context's own write. A context that wrote nothing reads what the unit shows (one
   *   `status-get`) so that `close()` and `resolved` report it; where the unit cannot tell,
   *   the last status this process wrote to it, else `UnknownStatus`.
   */
  exitStatus?: StatusBase | (() => StatusBase) | 'unchanged';
  /**
   * Published instead of the exit status when the work failed (the body of `context()` threw,
   * or `close({ failed: true })`) and nothing blocked or waiting was added. Unset: the exit
   * status, as in the Python original, which reports a failed hook as Active.
   */
  errorStatus?: StatusBase;
  /**
   * When several conditions are open, say so in the published message: the kind and first
   * message of the resolution, then how many others are open, naming as many as fit within
   * the 120 characters `juju status` shows, e.g. `Add a database (+2 more: Set "port"; Waiting
   * for peers)`. Default `false`.
   */
  summary?: boolean;
}

/** Options of {@link StatusContext.close}. */
export interface CloseOptions {
  /** The work failed: publish `errorStatus`, if set, when nothing blocked or waiting was added. */
  failed?: boolean;
}

const SETTABLE_STATUS = `an ${listOf(SETTABLE_NAMES)} status (unknown and error are read from Juju, never set)`;
const settableRule: Rule<SettableStatus> = rule(
  SETTABLE_STATUS,
  (v) => isStatus(v) && v.name !== 'unknown' && v.name !== 'error',
);
/**
 * The rules of {@link ContextOptions}, for every options table that takes them.
 *
 * @internal
 */
export const CONTEXT_OPTIONS = {
  exitStatus: rule<SettableStatus | (() => StatusBase) | 'unchanged'>(
    `${SETTABLE_STATUS}, a function returning one, or "unchanged"`,
    (v) => v === 'unchanged' || typeof v === 'function' || settableRule.test(v),
  ),
  errorStatus: settableRule,
  summary: BOOLEAN,
};
/**
 * The rules of {@link CloseOptions}.
 *
 * @internal
 */
export const CLOSE_OPTIONS = { failed: BOOLEAN };
