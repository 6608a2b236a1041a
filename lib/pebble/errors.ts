// What can go wrong talking to a workload's Pebble, one class per way a charm handles it
// differently: Pebble not there (yet), a time-out, a change that failed, a command that exited
// non-zero, a file-system refusal. Every one is a PebbleError naming the request.

/**
 * Any failure of a call to Pebble: which request, and what Pebble said.
 *
 * @example
 * ```ts
 * import { Container, PebbleError } from 'charms-contextual-status/pebble';
 *
 * try {
 *   await new Container('web').stop('web');
 * } catch (error) {
 *   if (error instanceof PebbleError) console.error(error.method, error.path, error.statusCode, error.kind);
 * }
 * ```
 */
export class PebbleError extends Error {
  /** The class's name, for messages and logs. */
  override readonly name: string = 'PebbleError';
  /** The HTTP method, such as `'POST'`. */
  readonly method: string;
  /** The API path, such as `'/v1/services'`. */
  readonly path: string;
  /** Pebble's HTTP status code, where it answered. */
  readonly statusCode: number | undefined;
  /** Pebble's kind of error, where it gave one (`not-found`, `permission-denied`, …). */
  readonly kind: string | undefined;

  constructor(
    message: string,
    details: { method: string; path: string; statusCode?: number; kind?: string; cause?: unknown },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.method = details.method;
    this.path = details.path;
    this.statusCode = details.statusCode;
    this.kind = details.kind;
  }
}

/**
 * Pebble could not be reached: its socket is not there yet (the workload container is still
 * starting), refused the connection, or closed it before answering.
 *
 * @example
 * ```ts
 * import { ConnectionError, Container } from 'charms-contextual-status/pebble';
 *
 * const services = await new Container('web').services().catch((error: unknown) => {
 *   if (error instanceof ConnectionError) return []; // not up yet: pebble-ready will come
 *   throw error;
 * });
 * ```
 */
export class ConnectionError extends PebbleError {
  /** The class's name, for messages and logs. */
  override readonly name: string = 'ConnectionError';
}

/**
 * Pebble did not answer within the call's `timeoutMs`.
 *
 * @example
 * ```ts
 * import { Container, TimeoutError } from 'charms-contextual-status/pebble';
 *
 * await new Container('web', { timeoutMs: 5000 }).replan().catch((error: unknown) => {
 *   if (error instanceof TimeoutError) console.error('Pebble is slow:', error.message);
 *   throw error;
 * });
 * ```
 */
export class TimeoutError extends PebbleError {
  /** The class's name, for messages and logs. */
  override readonly name: string = 'TimeoutError';
}

/** One task of a change. */
export interface ChangeTask {
  /** Pebble's id for it. */
  readonly id: string;
  /** What it does, such as `start`. */
  readonly kind: string;
  /** What it does, in words. */
  readonly summary: string;
  /** Its state, such as `Done` or `Error`. */
  readonly status: string;
  /** What it logged (a failed task's error among it). */
  readonly log?: readonly string[];
  /** Its data: exec's `exit-code`. */
  readonly data?: Readonly<Record<string, unknown>>;
}

/** One change, as Pebble reports it (`GET /v1/changes/{id}`); a {@link ChangeError} carries it. */
export interface Change {
  /** Pebble's id for it. */
  readonly id: string;
  /** What it does, such as `start` or `exec`. */
  readonly kind: string;
  /** What it does, in words. */
  readonly summary: string;
  /** Its state, such as `Done` or `Error`. */
  readonly status: string;
  /** Whether it has finished. */
  readonly ready: boolean;
  /** What went wrong, when the change failed. */
  readonly err?: string;
  /** Its tasks, with their logs and data (exec's `exit-code`). */
  readonly tasks: readonly ChangeTask[];
}

/**
 * A change Pebble ran failed, such as a service that did not start: `message` is Pebble's text
 * for it (`cannot perform the following tasks: …`).
 *
 * @example
 * ```ts
 * import * as status from 'charms-contextual-status';
 * import { ChangeError, Container } from 'charms-contextual-status/pebble';
 *
 * const startWeb = status.onError(new status.BlockedStatus('web does not start: see juju debug-log'), ChangeError)(
 *   () => new Container('web').start('web'),
 * );
 * await startWeb();
 * ```
 */
export class ChangeError extends PebbleError {
  /** The class's name, for messages and logs. */
  override readonly name: string = 'ChangeError';
  /** The change, with its tasks and their logs. */
  readonly change: Change;

  constructor(message: string, details: { method: string; path: string; change: Change }) {
    super(message, details);
    this.change = details.change;
  }
}

/**
 * A command run with `exec()` exited non-zero: its exit code and output.
 *
 * @example
 * ```ts
 * import { Container, ExecError } from 'charms-contextual-status/pebble';
 *
 * try {
 *   await new Container('web').exec(['nginx', '-t']);
 * } catch (error) {
 *   if (error instanceof ExecError) console.error(error.exitCode, error.stderr);
 * }
 * ```
 */
export class ExecError extends PebbleError {
  /** The class's name, for messages and logs. */
  override readonly name: string = 'ExecError';
  /** The command that ran. */
  readonly command: readonly string[];
  /** What it exited with. */
  readonly exitCode: number;
  /** What it wrote on its standard output. */
  readonly stdout: string;
  /** What it wrote on its standard error. */
  readonly stderr: string;

  constructor(
    message: string,
    details: {
      method: string;
      path: string;
      command: readonly string[];
      exitCode: number;
      stdout: string;
      stderr: string;
    },
  ) {
    super(message, details);
    this.command = Object.freeze([...details.command]);
    this.exitCode = details.exitCode;
    this.stdout = details.stdout;
    this.stderr = details.stderr;
  }
}

/**
 * Pebble refused a file operation on one path (it reports these inside a 200 answer, per path):
 * `kind` says why (`not-found`, `permission-denied`, `generic-file-error`).
 *
 * @example
 * ```ts
 * import { Container, PathError } from 'charms-contextual-status/pebble';
 *
 * const config = await new Container('web').pull('/etc/web.conf').catch((error: unknown) => {
 *   if (error instanceof PathError && error.kind === 'not-found') return '';
 *   throw error;
 * });
 * ```
 */
export class PathError extends PebbleError {
  /** The class's name, for messages and logs. */
  override readonly name: string = 'PathError';
  /** The path refused. */
  readonly filePath: string;

  constructor(message: string, details: { method: string; path: string; filePath: string; kind?: string }) {
    super(message, details);
    this.filePath = details.filePath;
  }
}
