import { checkOptions, describeValue } from '../input.js';
import { type SettableStatus, StatusBase, type StatusName, settable } from '../status.js';
import type { Unit } from '../unit.js';
import { HookToolError, type HookToolOptions, checkHookToolOptions, runHookTool } from './hook-tool.js';

/** Options of {@link HookToolUnit}. */
export interface HookToolUnitOptions extends HookToolOptions {
  /** Set the application's status instead of the unit's (`--application`; leader only). */
  application?: boolean;
  /**
   * Skip writes nobody would see (default `true`): a write equal to the last one made, and,
   * inside a context, statuses superseded while an earlier write was in flight.
   * `false` writes every status.
   */
  coalesce?: boolean;
}

/**
 * The real unit: publishes statuses with Juju's `status-set` and reads them with `status-get`.
 *
 * Writes are serialized, in the order they were made, because two `status-set` calls racing
 * each other could leave the older status showing. With `coalesce` (the default) a write equal
 * to the last one this unit made is skipped, and a context writing to it skips statuses that a
 * later one superseded while a call was in flight: a burst of a hundred progress updates costs
 * a handful of `status-set` calls, and the final status is always written, last and exact.
 *
 * @example
 * ```ts
 * import * as status from 'charms-contextual-status';
 * const unit = new status.HookToolUnit();
 * await status.context(unit, async () => {
 *   status.add(new status.MaintenanceStatus('Installing packages'));
 * });
 * ```
 */
export class HookToolUnit implements Unit {
  /** Whether this sets the application's status (`--application`) rather than the unit's. */
  readonly application: boolean;
  /** Whether writes nobody would see are skipped; see {@link HookToolUnitOptions.coalesce}. */
  readonly coalesce: boolean;
  readonly #tool: HookToolOptions;
  #last: StatusBase | undefined;
  #tail: Promise<unknown> = Promise.resolve();

  /** @throws TypeError for options of the wrong type, naming the option and what it accepts. */
  constructor(options: HookToolUnitOptions = {}) {
    const checked = checkOptions(options, 'HookToolUnit options', ['application', 'coalesce', 'timeoutMs', 'env']);
    const { application = false, coalesce = true } = checked;
    for (const [name, value] of [['application', application], ['coalesce', coalesce]] as const) {
      if (typeof value !== 'boolean') {
        throw new TypeError(`HookToolUnit ${name} option must be true or false, got ${describeValue(value)}`);
      }
    }
    this.#tool = checkHookToolOptions(checked, 'HookToolUnit');
    this.application = application as boolean;
    this.coalesce = coalesce as boolean;
  }

  /**
   * Runs `status-set [--application] -- <name> <message>`. The `--` keeps a message that
   * starts with `-` from being read as a flag. Resolves once Juju has taken the status.
   *
   * @throws HookToolError (as a rejection) when the tool fails or the message is too long.
   * @throws TypeError (as a rejection) for anything but an active, blocked, maintenance or
   *   waiting status.
   */
  setStatus(status: StatusBase): Promise<void> {
    let value: SettableStatus;
    try {
      value = settable(status, 'HookToolUnit.setStatus() status');
    } catch (error) {
      return Promise.reject(error);
    }
    const write = this.#tail.then(() => this.#write(value));
    this.#tail = write.catch(() => undefined);
    return write;
  }

  /**
   * Reads the current status with `status-get --include-data --format=json [--application]`.
   * `unknown` (nothing set yet) is an `UnknownStatus`; `error` an `ErrorStatus`.
   *
   * @throws HookToolError (as a rejection) when the tool fails or answers what Juju would not.
   */
  async getStatus(): Promise<StatusBase> {
    const args = ['--include-data', '--format=json', ...(this.application ? ['--application'] : [])];
    const stdout = await runHookTool('status-get', args, this.#tool);
    let parsed: unknown;
    try {
      parsed = JSON.parse(stdout);
    } catch (error) {
      throw unexpected(args, stdout, error);
    }
    const record = this.application
      ? (parsed as { 'application-status'?: unknown } | null)?.['application-status']
      : parsed;
    const { status, message = '' } = (record ?? {}) as { status?: unknown; message?: unknown };
    if (typeof status !== 'string' || typeof message !== 'string' || !NAMES.has(status)) {
      throw unexpected(args, stdout);
    }
    return StatusBase.fromName(status as StatusName, message);
  }

  async #write(status: SettableStatus): Promise<void> {
    if (this.coalesce && this.#last?.equals(status) === true) return;
    const args = [...(this.application ? ['--application'] : []), '--', status.name, status.message];
    this.#last = undefined;
    await runHookTool('status-set', args, this.#tool);
    this.#last = status;
  }
}

const NAMES: ReadonlySet<string> = new Set(['active', 'blocked', 'maintenance', 'waiting', 'unknown', 'error']);

function unexpected(args: readonly string[], stdout: string, cause?: unknown): HookToolError {
  return new HookToolError(
    `status-get answered what Juju would not: ${JSON.stringify(stdout.slice(0, 200))}`,
    { tool: 'status-get', args, failure: 'exit', exitCode: 0, cause },
  );
}
