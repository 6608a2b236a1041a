// The hook this code runs in: its environment, its hook tools, its stderr and its exit code.
//
// In a charm, that is the process: `process.env`, executables on `PATH`, `process.stderr`,
// `process.exitCode`. The testing entry can also run a charm's hook in the test's own process
// (`simulator.runHook({ reconcile, options }, …)`); there each of these belongs to that one
// hook run instead, so that twenty runs at once in one process see only their own. The run is
// found through the async scope (`lib/scope.ts`), which every copy of this package shares and
// which holds the run as an opaque key: this file is the one door to it.

import type { PebbleTransport } from './pebble/transport.js';
import { scopeHook } from './scope.js';

/** What a hook tool answered. */
export interface ToolReply {
  /** Its exit code; `null` when a signal stopped it. */
  readonly exitCode: number | null;
  /** The signal that stopped it, or `null`. */
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  /** No such tool in this hook (not on `PATH`, in a process). */
  readonly missing?: boolean;
}

/** What a hook run needs to know of a context opened in it, to end it with the run. */
export interface HookContext {
  readonly unit: unknown;
  /** Whether `close()` began. */
  readonly closed: boolean;
  /** Stops it receiving and drops it from the exit report, without a final write. */
  abandon(): void;
}

/**
 * A hook run in the test's process, as the code in it sees it. The testing entry makes one
 * per run; every copy of this package reads it through the shared async scope, so its shape is
 * part of the registry's version.
 *
 * @internal
 */
export interface InProcessHook {
  /** The hook's environment, as Juju would set it, for the library's own reads. */
  readonly env: Readonly<Record<string, string>>;
  /**
   * The same, with the hook tools made as executables and first on `PATH`: what a charm may
   * hand to a process it starts (optional: a run made by an older copy has only `env`).
   */
  environment?(): Readonly<Record<string, string>>;
  /** Answers one hook tool call, never rejecting; `abort` ends a call that takes too long. */
  call(
    tool: string,
    args: readonly string[],
    env: Readonly<Record<string, string | undefined>>,
    abort: AbortSignal,
    input?: string,
  ): Promise<ToolReply>;
  /** Text the library would write on the process's stderr. */
  stderr(text: string): void;
  /** The hook's exit code, as `process.exitCode` would be set. */
  exit(code: number): void;
  /** Contexts opened in the run that have not published their final status. */
  readonly contexts: Set<HookContext>;
  /**
   * The workload container `name`'s Pebble, answered by the run's model with no socket
   * (optional: a run made by an older copy, or without containers, has none).
   */
  pebble?(name: string): PebbleTransport | undefined;
}

/**
 * The hook run in the test's process that the caller belongs to; `undefined` in a charm's own
 * process, and in a test outside any run.
 *
 * @internal
 */
export function currentHook(): InProcessHook | undefined {
  return scopeHook() as InProcessHook | undefined;
}

/**
 * The environment of the hook the caller runs in: `process.env`, or a test's hook run's.
 *
 * @internal
 */
export function hookEnv(): Readonly<Record<string, string | undefined>> {
  return currentHook()?.env ?? process.env;
}

/**
 * The environment of the hook the caller runs in, as a charm may hand it to a process it
 * starts: `process.env`, or a test's hook run's with its tools made executables on `PATH`.
 *
 * @internal
 */
export function charmEnv(): Readonly<Record<string, string | undefined>> {
  const hook = currentHook();
  return hook === undefined ? process.env : (hook.environment?.() ?? hook.env);
}

/**
 * Writes a line of the library's own on the hook's stderr (Juju keeps a hook's stderr in its
 * log), as `console.error` or `console.warn` would: the process's, or a test's hook run's.
 *
 * @internal
 */
export function hookStderr(kind: 'error' | 'warn', ...words: unknown[]): void {
  const hook = currentHook();
  if (hook === undefined) console[kind](...words);
  else hook.stderr(`${process.getBuiltinModule('node:util').format(...words)}\n`);
}

/**
 * Fails the hook the caller runs in: `process.exitCode`, or a test's hook run's exit code.
 *
 * @internal
 */
export function failHook(code: number): void {
  const hook = currentHook();
  if (hook === undefined) process.exitCode = code;
  else hook.exit(code);
}
