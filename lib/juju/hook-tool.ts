import { type InProcessHook, type ToolReply, currentHook, hookEnv } from '../hook.js';
import { describeValue } from '../describe.js';
import { ENV, TIMEOUT_MS, checkOptions, rule } from '../options.js';

/**
 * The longest single command-line argument Linux accepts (`MAX_ARG_STRLEN`, 32 pages), less
 * the NUL that ends it. A longer status message cannot reach `status-set` at all.
 */
export const MAX_ARGUMENT_BYTES = 131_071;

/** The default time a hook tool may take before it is stopped. */
export const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * Why a hook tool call failed: not on `PATH`, a non-zero exit, killed by a signal, stopped
 * after its time-out, or an argument too long to pass.
 */
export type HookToolFailure = 'missing' | 'exit' | 'signal' | 'timeout' | 'too-long';

/** Options of {@link runHookTool}. */
export interface RunHookToolOptions extends HookToolOptions {
  /** What the tool reads on its stdin (for `--file -`); none by default. */
  input?: string;
}

/** Options shared by everything that runs hook tools. */
export interface HookToolOptions {
  /**
   * The environment of the tool (default `process.env`, or in a test's in-process hook run,
   * that run's): a hook's, or a simulator's.
   */
  env?: Readonly<Record<string, string | undefined>>;
  /** Milliseconds before the tool is stopped: a whole number from 1 to 2³¹−1 (default 60 000). */
  timeoutMs?: number;
}

/**
 * A Juju hook tool (`status-set`, `juju-log`, …) could not do what was asked, with everything
 * needed to see why: the tool, its arguments, its exit code or signal, and Juju's `ERROR` line.
 *
 * `failure` says which way it failed: `'missing'` (not on `PATH`, so not inside a hook; or
 * there but not runnable),
 * `'exit'` (Juju refused: exit 2 is a bad argument, 1 a failure such as "this unit is not the
 * leader"), `'signal'` (killed), `'timeout'` (stopped after `timeoutMs`), or `'too-long'` (an
 * argument longer than the system allows; refused before any process started).
 */
export class HookToolError extends Error {
  /** `'HookToolError'`, or the name of the refusal it is (`'SecretNotFoundError'`, …). */
  override readonly name: string = 'HookToolError';
  /** The hook tool, such as `'status-set'`. */
  readonly tool: string;
  /** The arguments it was given (an over-long one shortened). */
  readonly args: readonly string[];
  /** Which way it failed; see {@link HookToolFailure}. */
  readonly failure: HookToolFailure;
  /** The tool's exit code, or `null` when it did not exit by itself. */
  readonly exitCode: number | null;
  /** The signal that stopped the tool (such as `'SIGKILL'`), or `null`. */
  readonly signal: string | null;
  /** What the tool wrote on stderr, usually Juju's `ERROR <why>` line. */
  readonly stderr: string;

  constructor(
    message: string,
    details: {
      tool: string;
      args: readonly string[];
      failure: HookToolFailure;
      exitCode?: number | null;
      signal?: string | null;
      stderr?: string;
      cause?: unknown;
    },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.tool = details.tool;
    this.args = Object.freeze([...details.args]);
    this.failure = details.failure;
    this.exitCode = details.exitCode ?? null;
    this.signal = details.signal ?? null;
    this.stderr = details.stderr ?? '';
  }
}

/**
 * A secret Juju does not know, or this unit may not see (`ERROR secret "<id>" not found`):
 * `secret-get`, `secret-info-get` or `secret-grant` of a secret that was removed, never
 * granted, or, on a unit that is not the leader, its application's own.
 *
 * @example
 * ```ts
 * import { SecretNotFoundError, secretGet } from 'charms-contextual-status/hook-tools';
 * const content = await secretGet({ label: 'db-password' }).catch((error: unknown) => {
 *   if (error instanceof SecretNotFoundError) return undefined; // not granted yet
 *   throw error;
 * });
 * ```
 */
export class SecretNotFoundError extends HookToolError {
  /** Always `'SecretNotFoundError'`. */
  override readonly name = 'SecretNotFoundError';
}

/**
 * A tool only the leader may run that this unit ran (`ERROR … this unit is not the leader`):
 * `status-set --application`, `relation-set --app`, adding an application's secret.
 *
 * @example
 * ```ts
 * import { NotLeaderError, relationSet } from 'charms-contextual-status/hook-tools';
 * await relationSet('cluster:1', { token }, { app: true }).catch((error: unknown) => {
 *   if (!(error instanceof NotLeaderError)) throw error; // the leader will publish it
 * });
 * ```
 */
export class NotLeaderError extends HookToolError {
  /** Always `'NotLeaderError'`. */
  override readonly name = 'NotLeaderError';
}

/**
 * What Juju does not let this unit do (`ERROR … permission denied`): `credential-get` in an
 * application that was not trusted, managing a secret another application owns.
 *
 * @example
 * ```ts
 * import { PermissionDeniedError } from 'charms-contextual-status/hook-tools';
 * if (error instanceof PermissionDeniedError) status.add(new BlockedStatus('Not the owner'));
 * ```
 */
export class PermissionDeniedError extends HookToolError {
  /** Always `'PermissionDeniedError'`. */
  override readonly name = 'PermissionDeniedError';
}

/**
 * The refusals a charm handles, recognized once, by Juju's `ERROR` line: the class of the
 * error a failed call gets.
 */
function refusalOf(why: string): typeof HookToolError {
  if (/^ERROR secret "[^"]*" not found$/.test(why)) return SecretNotFoundError;
  // Juju words these with what it was doing first: "cannot write relation settings: this unit
  // is not the leader", "cannot access cloud credentials: permission denied".
  if (/^ERROR (?:.*: )?this unit is not the leader$/.test(why)) return NotLeaderError;
  if (/^ERROR (?:.*: )?permission denied$/.test(why)) return PermissionDeniedError;
  return HookToolError;
}

/**
 * Runs a hook tool with `execFile` (never a shell, so every argument reaches it verbatim,
 * whatever it holds) and resolves to its stdout: the one runner behind every hook tool call
 * the library makes, for a tool it has no typed function for. In a hook a test runs in its
 * own process, the simulator answers instead, with no process started.
 *
 * @example
 * ```ts
 * import { runHookTool } from 'charms-contextual-status';
 * const ports = JSON.parse(await runHookTool('opened-ports', ['--format=json'])) as string[];
 * ```
 * @throws HookToolError (as a rejection) for a missing tool, a non-zero exit, a signal, a
 *   time-out, or an argument too long for the system (the last before any process starts).
 * @throws TypeError (as a rejection) for a tool name, arguments or options of the wrong type.
 */
export async function runHookTool(
  tool: string,
  args: readonly string[] = [],
  options: RunHookToolOptions = {},
): Promise<string> {
  if (typeof tool !== 'string' || !/^[a-z][a-z0-9-]*$/.test(tool)) {
    throw new TypeError(
      `runHookTool() takes a hook tool name such as "config-get", got ${describeValue(tool)}`,
    );
  }
  if (!Array.isArray(args) || !args.every((arg) => typeof arg === 'string' && !arg.includes('\0'))) {
    throw new TypeError(
      `runHookTool() takes the tool's arguments as an array of strings without NUL characters, got ${describeValue(args)}`,
    );
  }
  const { input, ...tools } = checkOptions(options, 'runHookTool() options', RUN_OPTIONS);
  return runTool(tool, args, tools, input);
}

/**
 * {@link runHookTool} for arguments the library made itself: no checks but the length.
 *
 * @internal
 */
export function runTool(
  tool: string,
  args: readonly string[],
  options: HookToolOptions = {},
  input?: string,
): Promise<string> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  for (const arg of args) {
    const bytes = Buffer.byteLength(arg, 'utf8');
    if (bytes > MAX_ARGUMENT_BYTES) {
      return Promise.reject(
        new HookToolError(
          `${tool} was not run: one argument is ${String(bytes)} bytes, more than the ${String(MAX_ARGUMENT_BYTES)} bytes Linux allows in a command-line argument; shorten the status message`,
          { tool, args: args.map((a) => (a.length > 200 ? `${a.slice(0, 200)}…` : a)), failure: 'too-long' },
        ),
      );
    }
  }
  const env = options.env ?? hookEnv();
  const hook = currentHook();
  if (hook !== undefined) return answered(hook, tool, args, env, timeoutMs, input);
  // Loaded at the first call, not with the package: a hook that runs no tool (or a test that
  // answers them in process) does not pay for node:child_process at start.
  const { execFile } = process.getBuiltinModule('node:child_process');
  return new Promise((resolve, reject) => {
    const child = execFile(
      tool,
      args,
      {
        // A copy: Node writes NODE_V8_COVERAGE into the env it is given when coverage is on,
        // and an env may be frozen (a simulator's is).
        env: env === process.env ? env : { ...env },
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: 16 * 1024 * 1024,
        encoding: 'utf8',
        windowsHide: true,
      },
      (error, stdout, stderr) => {
        if (error === null) {
          resolve(stdout);
          return;
        }
        reject(describeFailure(tool, args, timeoutMs, endOf(error), stderr, error));
      },
    );
    if (input !== undefined) {
      child.stdin?.on('error', () => undefined); // a tool that exits before reading it
      child.stdin?.end(input);
    }
  });
}

/**
 * A call in a hook run in the test's process: the simulator answers it, with no process
 * started, and it fails the way a process would (the same `HookToolError`s, the time-out too).
 */
async function answered(
  hook: InProcessHook,
  tool: string,
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  timeoutMs: number,
  input: string | undefined,
): Promise<string> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => {
      abort.abort();
      resolve(undefined);
    }, timeoutMs);
  });
  let reply: ToolReply | undefined;
  try {
    reply = await Promise.race([hook.call(tool, args, env, abort.signal, input), timedOut]);
  } finally {
    clearTimeout(timer);
  }
  if (reply?.exitCode === 0) return reply.stdout;
  throw describeFailure(tool, args, timeoutMs, replyEnd(reply), reply?.stderr ?? '');
}

/** How a call that did not succeed ended, wherever it ran. */
type End =
  | { readonly kind: 'missing' }
  | { readonly kind: 'too-long' }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'exit'; readonly code: number }
  | { readonly kind: 'signal'; readonly signal: string }
  | { readonly kind: 'unrunnable'; readonly why: string };

/** How a call answered in the test's process ended (`undefined`: it timed out). */
function replyEnd(reply: ToolReply | undefined): End {
  if (reply === undefined) return { kind: 'timeout' };
  if (reply.missing === true) return { kind: 'missing' };
  if (reply.exitCode !== null) return { kind: 'exit', code: reply.exitCode };
  return { kind: 'signal', signal: reply.signal ?? 'SIGKILL' };
}

/** How a process `execFile` ran ended, from its error's fields. */
function endOf(error: {
  readonly code?: string | number | null | undefined;
  readonly signal?: string | null | undefined;
  readonly killed?: boolean | undefined;
  readonly message: string;
}): End {
  if (error.code === 'ENOENT') return { kind: 'missing' };
  if (error.code === 'E2BIG') return { kind: 'too-long' };
  if (error.killed === true && error.signal === 'SIGKILL' && typeof error.code !== 'number')
    return { kind: 'timeout' };
  if (typeof error.code === 'number') return { kind: 'exit', code: error.code };
  if (error.signal) return { kind: 'signal', signal: error.signal };
  return { kind: 'unrunnable', why: `(${String(error.code)}): ${error.message}` };
}

function describeFailure(
  tool: string,
  args: readonly string[],
  timeoutMs: number,
  end: End,
  stderr: string,
  cause?: Error,
): HookToolError {
  const base = { tool, args, stderr, ...(cause === undefined ? {} : { cause }) };
  const why = stderr.trim().split('\n').filter(Boolean).pop() ?? '';
  switch (end.kind) {
    case 'missing':
      return new HookToolError(`${tool} was not found on PATH: is this running inside a Juju hook?`, {
        ...base,
        failure: 'missing',
      });
    case 'too-long':
      return new HookToolError(
        `${tool} was not run: its arguments and environment are larger than the system allows (E2BIG)`,
        { ...base, failure: 'too-long' },
      );
    case 'timeout':
      return new HookToolError(`${tool} timed out after ${String(timeoutMs)} ms and was stopped`, {
        ...base,
        failure: 'timeout',
        signal: 'SIGKILL',
      });
    case 'exit': {
      const meaning = end.code === 2 ? 'refused its arguments' : 'failed';
      const Refusal = end.code === 1 ? refusalOf(why) : HookToolError;
      return new Refusal(`${tool} ${meaning} (exit ${String(end.code)})${why ? `: ${why}` : ''}`, {
        ...base,
        failure: 'exit',
        exitCode: end.code,
      });
    }
    case 'signal':
      return new HookToolError(`${tool} was killed by ${end.signal}${why ? `: ${why}` : ''}`, {
        ...base,
        failure: 'signal',
        signal: end.signal,
      });
    case 'unrunnable':
      return new HookToolError(`${tool} is on PATH but could not be run ${end.why}`, {
        ...base,
        failure: 'missing',
      });
  }
}

/**
 * The option rules shared by everything that runs hook tools, for their options tables.
 *
 * @internal
 */
export const HOOK_TOOL_OPTIONS = { env: ENV, timeoutMs: TIMEOUT_MS };
const RUN_OPTIONS = {
  ...HOOK_TOOL_OPTIONS,
  input: rule<string>('a string', (v) => typeof v === 'string'),
};
