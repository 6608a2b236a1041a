// What can go wrong talking to a workload's Pebble, one class per way a charm handles it
// differently: Pebble not there (yet), a time-out, a change that failed, a command that exited
// non-zero, a file-system refusal. Every one is a PebbleError naming the request.

/** Any failure of a call to Pebble: which request, and what Pebble said. */
export class PebbleError extends Error {
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
 */
export class ConnectionError extends PebbleError {
  override readonly name: string = 'ConnectionError';
}

/** Pebble did not answer within the call's `timeoutMs`. */
export class TimeoutError extends PebbleError {
  override readonly name: string = 'TimeoutError';
}

/** One change, as Pebble reports it (`GET /v1/changes/{id}`). */
export interface Change {
  readonly id: string;
  readonly kind: string;
  readonly summary: string;
  readonly status: string;
  readonly ready: boolean;
  /** What went wrong, when the change failed. */
  readonly err?: string;
  readonly tasks: readonly {
    readonly id: string;
    readonly kind: string;
    readonly summary: string;
    readonly status: string;
    readonly log?: readonly string[];
    readonly data?: Readonly<Record<string, unknown>>;
  }[];
}

/**
 * A change Pebble ran failed, such as a service that did not start: `message` is Pebble's text
 * for it (`cannot perform the following tasks: …`).
 */
export class ChangeError extends PebbleError {
  override readonly name: string = 'ChangeError';
  /** The change, with its tasks and their logs. */
  readonly change: Change;

  constructor(message: string, details: { method: string; path: string; change: Change }) {
    super(message, details);
    this.change = details.change;
  }
}

/** A command run with `exec()` exited non-zero: its exit code and output. */
export class ExecError extends PebbleError {
  override readonly name: string = 'ExecError';
  readonly command: readonly string[];
  readonly exitCode: number;
  readonly stdout: string;
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
 */
export class PathError extends PebbleError {
  override readonly name: string = 'PathError';
  /** The path refused. */
  readonly filePath: string;

  constructor(message: string, details: { method: string; path: string; filePath: string; kind?: string }) {
    super(message, details);
    this.filePath = details.filePath;
  }
}
