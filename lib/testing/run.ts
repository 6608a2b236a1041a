// The run's view: what one hook did, read from the model's records of its calls, in the shape
// a test reads (`HookRun`, `ActionRun`), and nothing from before it.

import { StatusBase, type StatusName } from '../index.js';
import { isPlainObject } from '../options.js';
import type { RecordedCall } from './model.js';
import { type SimulatedCredential, declaredOf } from './state/index.js';
import type { SimulatorOptions } from './options.js';
import type { World } from './world.js';

/** One recorded invocation of a hook tool. */
export interface HookToolCall {
  /** The tool's name, such as `'status-set'` (or one added with `addTool`). */
  readonly tool: string;
  /** Its arguments, exactly as the process received them. */
  readonly args: readonly string[];
  /** Its exit code; `null` when it was killed by a signal or made to hang. */
  readonly exitCode: number | null;
  /** The signal it was killed by, when `failNext` asked for one. */
  readonly signal?: string;
}

/** One line a charm logged with `juju-log`. */
export interface LogLine {
  /** `TRACE`, `DEBUG`, `INFO`, `WARNING`, `ERROR` or `CRITICAL`. */
  readonly level: string;
  /** The line, its words joined by spaces as `juju-log` joins them. */
  readonly message: string;
}

/** What one hook did, and nothing from before it. */
export interface HookRun {
  /** The exit code of `dispatch` (`null` if a signal stopped it). */
  readonly exitCode: number | null;
  /** What the charm printed on stdout. */
  readonly stdout: string;
  /**
   * What the charm printed on stderr (in the test's process: what the library would have);
   * for a hook that failed, followed by the `ERROR` lines it logged with `juju-log`, so that
   * `expect(run.exitCode, run.stderr)` says why.
   */
  readonly stderr: string;
  /** The unit statuses the hook set, oldest first. */
  readonly statuses: readonly StatusBase[];
  /** The application statuses the hook set, oldest first. */
  readonly applicationStatuses: readonly StatusBase[];
  /** The lines the hook logged with `juju-log`. */
  readonly logs: readonly LogLine[];
  /** Every hook tool call the hook made. */
  readonly calls: readonly HookToolCall[];
  /**
   * The world after the hook, as Juju holds it (a failed hook's unit state and relation
   * settings discarded), in the shape {@link HookToolsSimulator.create} takes: read what the
   * charm wrote from it, or start the next test there with `HookToolsSimulator.create(run.after)`.
   */
  readonly after: SimulatorOptions;
  /**
   * What `juju-reboot` asked for: `'after-hook'` (the machine reboots once the hook has
   * succeeded) or `'now'` (Juju stopped the hook, which keeps none of its changes and runs again
   * after the reboot: `exitCode` is `null`).
   */
  readonly reboot?: 'after-hook' | 'now';
}

/** What one action did: its hook run, and what it told Juju of its result. */
export interface ActionRun extends HookRun {
  /** The results set with `action-set`, dotted keys as nested objects. */
  readonly results: Readonly<Record<string, unknown>>;
  /** Whether the action failed: it called `action-fail`, or exited non-zero. */
  readonly failed: boolean;
  /**
   * Why, as Juju reports it: the message given to `action-fail`; for an action that exited
   * non-zero, `exit status <code>` (`signal: killed` when it was stopped), whatever
   * `action-fail` said.
   */
  readonly message: string | undefined;
}

/** @internal */
export function statusesOf(records: readonly RecordedCall[], application: boolean): StatusBase[] {
  return records
    .filter((call) => call.status?.application === application)
    .map((call) => StatusBase.fromName(call.status?.status as StatusName, call.status?.message ?? ''));
}

/** @internal */
export function callsOf(records: readonly RecordedCall[]): HookToolCall[] {
  return records.map(({ tool: name, args, exitCode, signal }) => ({
    tool: name,
    args,
    exitCode,
    ...(signal === undefined ? {} : { signal }),
  }));
}

/** @internal */
export function logsOf(records: readonly RecordedCall[]): LogLine[] {
  return records.flatMap((call) => (call.log === undefined ? [] : [call.log]));
}

/** @internal */
export function setDeep(target: Record<string, unknown>, keys: readonly string[], value: string): void {
  let node = target;
  keys.slice(0, -1).forEach((key) => {
    const next = node[key];
    node = node[key] = isPlainObject(next) ? next : {};
  });
  node[keys[keys.length - 1] ?? ''] = value;
}

/**
 * The world as `create()` takes it, copied: `run.after`.
 *
 * @internal
 */
export function afterOf(now: World, credential: SimulatedCredential | undefined): SimulatorOptions {
  const world = structuredClone(now);
  return {
    leader: world.leader,
    unitName: world.unitName,
    config: world.config,
    relations: world.relations.map((r) => ({ ...r })),
    ...(world.unit === null
      ? {}
      : { unitStatus: StatusBase.fromName(world.unit.status as StatusName, world.unit.message) }),
    ...(world.application === null
      ? {}
      : {
          applicationStatus: StatusBase.fromName(
            world.application.status as StatusName,
            world.application.message,
          ),
        }),
    state: world.charmState,
    actionParams: world.actionParams,
    ...declaredOf(world, credential),
  };
}
