import { hookEnv } from '../hook.js';
import { BOOLEAN, checkOptions } from '../options.js';
import { shared } from '../registry.js';
import { type SettableStatus, StatusBase, type StatusName, STATUS_NAMES, settable } from '../status.js';
import type { Unit, WriteOptions } from '../unit.js';
import { HOOK_TOOL_OPTIONS, HookToolError, type HookToolOptions, runTool } from './hook-tool.js';

/** Options of {@link HookToolUnit}. */
export interface HookToolUnitOptions extends HookToolOptions {
  /** Set the application's status instead of the unit's (`--application`; leader only). */
  application?: boolean;
  /**
   * Skip writes nobody would see (default `true`): a progress update equal to the last status
   * this process wrote there, and, inside a context, progress updates superseded while an
   * earlier write was in flight. A final status is always written. `false` writes every status.
   */
  coalesce?: boolean;
}

const OPTIONS = { application: BOOLEAN, coalesce: BOOLEAN, ...HOOK_TOOL_OPTIONS };

/**
 * The last status this process wrote to each unit or application, whichever `HookToolUnit`
 * (or copy of this package) wrote it: a progress update equal to it changes nothing in Juju.
 * Keyed by target and by the environment that says where `status-set` writes.
 */
const written = shared('status-set last written', () => new Map<string, { name: string; message: string }>());

const NAMES: ReadonlySet<string> = new Set(STATUS_NAMES);

/**
 * The real unit: publishes statuses with Juju's `status-set` and reads them with `status-get`.
 *
 * Calls are serialized, in the order they were made, because two `status-set` calls racing
 * each other could leave the older status showing. With `coalesce` (the default) a progress
 * update equal to the last status this process wrote there is skipped, and a context writing
 * to it skips updates that a later one superseded while a call was in flight: a burst of a
 * hundred progress updates costs a handful of `status-set` calls, and the final status is
 * always written, last and exact.
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
  /** Where this unit's writes land, for the process-wide record of the last one. */
  readonly #target: string;
  /** The last call made, so that the next starts after it settled. */
  #tail: Promise<unknown> = Promise.resolve();

  /** @throws TypeError for options of the wrong type, naming the option and what it accepts. */
  constructor(options: HookToolUnitOptions = {}) {
    const {
      application = false,
      coalesce = true,
      env,
      timeoutMs,
    } = checkOptions(options, 'HookToolUnit options', OPTIONS);
    this.application = application;
    this.coalesce = coalesce;
    this.#tool = { ...(env === undefined ? {} : { env }), ...(timeoutMs === undefined ? {} : { timeoutMs }) };
    const where = env ?? hookEnv();
    this.#target = [
      application ? 'application' : 'unit',
      where.JUJU_CONTEXT_ID,
      where.JUJU_UNIT_NAME,
      where.PATH,
    ].join('\0');
  }

  /**
   * Runs `status-set [--application] -- <name> <message>`. The `--` keeps a message that
   * starts with `-` from being read as a flag. Resolves once Juju has taken the status.
   *
   * @param options - `{ final: false }` marks a progress update, which may be skipped when it
   *   equals the last status this process wrote there; anything else is always written.
   * @throws HookToolError (as a rejection) when the tool fails or the message is too long.
   * @throws TypeError (as a rejection) for anything but an active, blocked, maintenance or
   *   waiting status.
   */
  setStatus(status: StatusBase, options?: WriteOptions): Promise<void> {
    let value: SettableStatus;
    try {
      value = settable(status, 'HookToolUnit.setStatus() status');
    } catch (error) {
      return Promise.reject(error);
    }
    const progress = options?.final === false;
    return this.#then(() => this.#write(value, progress));
  }

  /**
   * Reads the status with `status-get --include-data --format=json [--application]`, after
   * every call made before it. `unknown` (nothing set yet) is an `UnknownStatus`; `error` an
   * `ErrorStatus`. Within one hook, Juju answers the unit's status as it was at the first read
   * (it caches it for the hook), even after a `status-set`; the application's is read afresh.
   *
   * @throws HookToolError (as a rejection) when the tool fails or answers what Juju would not.
   */
  getStatus(): Promise<StatusBase> {
    return this.#then(() => this.#read());
  }

  /** `HookToolUnit(unit)` or `HookToolUnit(application)`, for logs. */
  toString(): string {
    return `HookToolUnit(${this.application ? 'application' : 'unit'})`;
  }

  #then<T>(call: () => Promise<T>): Promise<T> {
    const next = this.#tail.then(call);
    this.#tail = next.catch(() => undefined);
    return next;
  }

  async #read(): Promise<StatusBase> {
    const args = ['--include-data', '--format=json', ...(this.application ? ['--application'] : [])];
    const stdout = await runTool('status-get', args, this.#tool);
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

  async #write(status: SettableStatus, progress: boolean): Promise<void> {
    const last = written.get(this.#target);
    if (progress && this.coalesce && last?.name === status.name && last.message === status.message) return;
    const args = [...(this.application ? ['--application'] : []), '--', status.name, status.message];
    written.delete(this.#target); // unknown while the call runs: it may fail halfway
    await runTool('status-set', args, this.#tool);
    written.set(this.#target, { name: status.name, message: status.message });
  }
}

function unexpected(args: readonly string[], stdout: string, cause?: unknown): HookToolError {
  return new HookToolError(
    `status-get answered what Juju would not: ${JSON.stringify(stdout.slice(0, 200))}`,
    {
      tool: 'status-get',
      args,
      failure: 'exit',
      exitCode: 0,
      cause,
    },
  );
}
