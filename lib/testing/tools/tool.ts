// What a simulated hook tool is: its usage, its flags, and what it does to the world. Each
// family file (status, log, relations, …) holds its tools' rules, once; the model runs them for
// both ways of running a charm (the test's process, and tool executables on PATH).

import type { HookState, StatusRecord, World } from '../world.js';

/**
 * One flag of a tool, as gnuflag declares it.
 *
 * @internal
 */
export interface Flag {
  readonly type: 'boolean' | 'string';
  readonly short?: string;
  readonly usage: string;
}

/**
 * The arguments as parsed: flags by their long name, and the rest in order.
 *
 * @internal
 */
export interface Parsed {
  readonly flags: Record<string, string | boolean>;
  readonly args: string[];
}

/**
 * The hook variables a tool reads, and all a call hands the model: the same few both ways of
 * running (a tool executable sends no others), so no tool can behave differently between them.
 *
 * @internal
 */
export const HOOK_VARIABLES = [
  'JUJU_CONTEXT_ID',
  'JUJU_HOOK_NAME',
  'JUJU_ACTION_NAME',
  'JUJU_RELATION',
  'JUJU_RELATION_ID',
  'JUJU_REMOTE_UNIT',
  'JUJU_REMOTE_APP',
  'JUJU_DEPARTING_UNIT',
  'JUJU_STORAGE_ID',
] as const;

/**
 * What one call sees: its arguments, its hook's environment, the world, its hook's state.
 *
 * @internal
 */
export interface Call {
  readonly parsed: Parsed;
  readonly env: Readonly<Partial<Record<(typeof HOOK_VARIABLES)[number], string>>>;
  readonly world: World;
  /** What Juju holds for the calling hook. */
  readonly hook: HookState;
  /** What `--file` named, read, for the tools that take one. */
  readonly file?: string;
  /**
   * The files a tool asked for with {@link Tool.reads}, read where the call was made, by path;
   * `undefined` for one that could not be read.
   */
  readonly files: ReadonlyMap<string, string | undefined>;
  /**
   * Every unit of the application with its status, the leader first, then by unit number;
   * only this unit's where the simulator models one unit.
   */
  readonly units: () => readonly { readonly unit: string; readonly status: StatusRecord }[];
}

/**
 * What a call leaves in its record, for the run's statuses, logs and action results.
 *
 * @internal
 */
export interface Effect {
  readonly status?: { status: string; message: string; application: boolean };
  readonly log?: { level: string; message: string };
  readonly actionResults?: [string[], string][];
  readonly actionFailed?: string;
  readonly actionLog?: string;
}

/**
 * A successful call's answer.
 *
 * @internal
 */
export interface Outcome {
  readonly stdout?: string;
  readonly stderr?: string;
  readonly effect?: Effect;
}

/**
 * A simulated hook tool.
 *
 * @internal
 */
export interface Tool {
  /** The first line of its `--help`, as Juju prints it. */
  readonly usage: string;
  readonly purpose: string;
  readonly flags: Readonly<Record<string, Flag>>;
  /** Whether it takes `--format`: smart (its default), json, yaml; or only yaml (its default) and json. */
  readonly format?: true | 'yaml';
  /** The files (paths as given) the call names beyond `--file`, to read before it runs. */
  reads?(parsed: Parsed): string[];
  /** Does its work; throws {@link ToolExit} to fail as Juju's does. */
  run(call: Call): Outcome;
}

/**
 * Thrown by a tool to end with Juju's exit code and `ERROR` line.
 *
 * @internal
 */
export class ToolExit extends Error {
  readonly code: number;

  constructor(code: number, why: string) {
    super(why);
    this.code = code;
  }
}

/**
 * `unrecognized args: ["x"]`, exit 2, as juju/cmd's `CheckEmpty` refuses extra arguments.
 *
 * @internal
 */
export function checkEmpty(extra: readonly string[]): void {
  if (extra.length > 0)
    throw new ToolExit(2, `unrecognized args: [${extra.map((a) => JSON.stringify(a)).join(' ')}]`);
}

/**
 * A change the hook context records without complaint (the tool exits 0) and the controller
 * refuses when the hook commits it; outside any run, where nothing commits, the tool fails now.
 *
 * @internal
 */
export function refuseAtCommit(hook: HookState, why: string): Record<string, never> {
  if (hook.hook === '') throw new ToolExit(1, why);
  (hook.refusals ??= []).push(why);
  return {};
}
