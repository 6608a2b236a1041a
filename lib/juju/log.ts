import type { StatusBus, StatusBusEvent, StatusBusEvents, StatusBusListener } from '../bus.js';
import { describeValue, messageOf } from '../describe.js';
import { currentHook, hookEnv, hookStderr } from '../hook.js';
import { checkOptions, isPlainObject, rule } from '../options.js';
import { HOOK_TOOL_OPTIONS, type HookToolOptions, MAX_ARGUMENT_BYTES, runTool } from './hook-tool.js';

/** `juju-log`'s levels, each once. */
const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'] as const;

/** A `juju-log` level. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The levels, for the hook-tools entry's `jujuLogMessage`.
 *
 * @internal
 */
export const JUJU_LOG_LEVELS: readonly LogLevel[] = LOG_LEVELS;

/** The bus events `jujuLog` forwards: all of them. */
export type LoggedEvent = StatusBusEvent;

/** Options of {@link jujuLog}. */
export interface JujuLogOptions extends HookToolOptions {
  /**
   * The level of each event, or `false` to leave it out. Defaults: blocked, warning and
   * expected are WARNING, error is ERROR, the rest INFO.
   */
  levels?: Partial<Record<LoggedEvent, LogLevel | false>>;
}

/** A function that stops `jujuLog` and resolves once the lines already sent are written. */
export type Detach = () => Promise<void>;

const DEFAULT_LEVELS: Readonly<Record<LoggedEvent, LogLevel>> = {
  maintenance: 'INFO',
  blocked: 'WARNING',
  waiting: 'INFO',
  active: 'INFO',
  open: 'INFO',
  resolved: 'INFO',
  expected: 'WARNING',
  warning: 'WARNING',
  error: 'ERROR',
};

/** How each event reads in `juju debug-log`. */
const LINES: { readonly [E in LoggedEvent]: (...args: Parameters<StatusBusEvents[E]>) => string } = {
  maintenance: (status) => `status: ${String(status)}`,
  blocked: (status) => `status: ${String(status)}`,
  waiting: (status) => `status: ${String(status)}`,
  active: (status) => `status: ${String(status)}`,
  open: () => 'status context opened',
  resolved: (status) => `status context closed with: ${String(status)}`,
  expected: (error) =>
    `Found expected exception: ${messageOf(error.cause)} (status: ${String(error.status)})`,
  warning: (message) => message,
  error: (error) => `${error.name}: ${error.message}`,
};

const LEVELS_RULE = rule<Partial<Record<LoggedEvent, LogLevel | false>>>(
  `an object of event names to ${LOG_LEVELS.join(', ')} or false, such as { maintenance: 'DEBUG' }`,
  (v) => isPlainObject(v),
);
/**
 * The rules of {@link JujuLogOptions}.
 *
 * @internal
 */
export const JUJU_LOG_OPTIONS = { levels: LEVELS_RULE, ...HOOK_TOOL_OPTIONS };

/** The longest piece of a line sent in one `juju-log` call, in bytes, with room to spare. */
const CHUNK_BYTES = Math.floor(MAX_ARGUMENT_BYTES / 2);

/**
 * Forwards the events of `bus` to `juju-log --log-level <LEVEL>`, so that they land in
 * `juju debug-log` beside the charm's own lines. Returns a function that detaches it.
 *
 * Calls are made one at a time, in order. While one is in flight, the lines that follow are
 * joined (in order, one per line) into the next call of the same level: a burst of a hundred
 * events costs a handful of `juju-log` calls, and nothing is dropped. A failure of `juju-log`
 * never reaches the charm: it goes to stderr, which Juju also keeps. A line longer than one
 * command-line argument may be is split over several calls instead of being lost.
 *
 * @example
 * ```ts
 * import * as status from 'charms-contextual-status';
 * const detach = status.jujuLog(status.bus, { levels: { maintenance: 'DEBUG' } });
 * // … the hook's work …
 * await detach();
 * ```
 * @throws TypeError for a bus that is not a `StatusBus`, or options of the wrong type.
 */
export function jujuLog(bus: StatusBus, options: JujuLogOptions = {}): Detach {
  if (!isBus(bus)) {
    throw new TypeError(`jujuLog() needs a StatusBus (such as status.bus), got ${describeValue(bus)}`);
  }
  const { levels, env, timeoutMs } = checkOptions(options, 'jujuLog() options', JUJU_LOG_OPTIONS);
  const sink = new LogSink({
    ...(env === undefined ? {} : { env }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  return forward(bus, sink, levels);
}

/**
 * Forwards the events of `bus` to `sink`, at the given levels (checked here).
 *
 * @internal
 */
export function forward(
  bus: StatusBus,
  sink: LogSink,
  chosen?: Partial<Record<LoggedEvent, unknown>>,
): Detach {
  const levels = checkLevels(chosen);
  // Attached in a hook run in the test's process, it logs that hook's events alone, as one
  // attached in a hook's process hears only that process's.
  const hook = currentHook();
  const listeners: [LoggedEvent, StatusBusListener<LoggedEvent>][] = [];
  for (const event of Object.keys(LINES) as LoggedEvent[]) {
    const level = levels[event];
    if (level === false) continue;
    const line = LINES[event] as (...args: unknown[]) => string;
    listeners.push([
      event,
      (...args: unknown[]) => {
        if (currentHook() === hook) sink.log(level, line(...args));
      },
    ]);
  }
  for (const [event, listener] of listeners) bus.on(event, listener);
  let detached = false;
  return async () => {
    if (!detached) {
      detached = true;
      for (const [event, listener] of listeners) bus.off(event, listener);
    }
    await sink.idle();
  };
}

/**
 * Lines on their way to `juju-log`: one call at a time, in order; while one is in flight, the
 * lines that follow are joined into the next call of the same level, so a burst costs a handful
 * of calls and nothing is dropped. A failed call goes to stderr with the lines it held.
 *
 * @internal
 */
export class LogSink {
  readonly #tool: HookToolOptions;
  /** Calls waiting for the one in flight: a level and its lines, in order. */
  readonly #waiting: { level: LogLevel; lines: string[]; bytes: number }[] = [];
  #inFlight = false;
  #idle: Promise<void> = Promise.resolve();
  #settle: () => void = () => undefined;

  constructor(tool: HookToolOptions) {
    this.#tool = tool;
  }

  /**
   * Sends `line` at `level`, now or with the next call. Under `juju debug-hooks` or `juju
   * debug-code` (Juju sets `JUJU_DEBUG` or `JUJU_DEBUG_AT` in the hook), the line also goes to
   * stderr, where the person at the debug session sees it at once, as ops does.
   */
  log(level: LogLevel, line: string): void {
    const env = this.#tool.env ?? hookEnv();
    if (env.JUJU_DEBUG !== undefined || env.JUJU_DEBUG_AT !== undefined)
      hookStderr('error', `${level} ${line}`);
    for (const piece of split(line)) {
      if (!this.#inFlight) {
        this.#idle = new Promise((resolve) => {
          this.#settle = resolve;
        });
        this.#send(level, piece);
        continue;
      }
      const bytes = Buffer.byteLength(piece, 'utf8') + 1;
      const last = this.#waiting[this.#waiting.length - 1];
      if (last?.level === level && last.bytes + bytes <= CHUNK_BYTES) {
        last.lines.push(piece);
        last.bytes += bytes;
      } else {
        this.#waiting.push({ level, lines: [piece], bytes });
      }
    }
  }

  /** Resolves once every line sent so far is written (or reported on stderr). */
  idle(): Promise<void> {
    return this.#idle;
  }

  #send(level: LogLevel, text: string): void {
    this.#inFlight = true;
    runTool('juju-log', ['--log-level', level, '--', text], this.#tool)
      .then(
        () => undefined,
        (error: unknown) => {
          hookStderr(
            'error',
            `charms-contextual-status: juju-log failed (${messageOf(error)}); the lines were: ${level} ${text}`,
          );
        },
      )
      .finally(() => {
        const next = this.#waiting.shift();
        if (next !== undefined) {
          this.#send(next.level, next.lines.join('\n'));
          return;
        }
        this.#inFlight = false;
        this.#settle();
      });
  }
}

/**
 * A status bus of any copy of this package: checked by shape, as a copy's class differs.
 *
 * @internal
 */
export function isBus(value: unknown): value is StatusBus {
  try {
    const bus = value as Partial<StatusBus> | null;
    return (
      typeof bus === 'object' &&
      bus !== null &&
      typeof bus.add === 'function' &&
      typeof bus.on === 'function' &&
      typeof bus.context === 'function'
    );
  } catch {
    return false; // a revoked proxy
  }
}

function checkLevels(
  levels: Partial<Record<LoggedEvent, unknown>> | undefined,
): Record<LoggedEvent, LogLevel | false> {
  const out: Record<LoggedEvent, LogLevel | false> = { ...DEFAULT_LEVELS };
  if (levels === undefined) return out;
  for (const [event, level] of Object.entries(levels)) {
    if (!Object.hasOwn(DEFAULT_LEVELS, event)) {
      throw new TypeError(
        `jujuLog() levels option has an unknown event "${event}": expected ${Object.keys(DEFAULT_LEVELS).join(', ')}`,
      );
    }
    if (level !== false && !(LOG_LEVELS as readonly unknown[]).includes(level)) {
      throw new TypeError(
        `jujuLog() level for ${event} must be ${LOG_LEVELS.join(', ')} or false, got ${describeValue(level)}`,
      );
    }
    out[event as LoggedEvent] = level as LogLevel | false;
  }
  return out;
}

/** Splits a line into pieces that each fit one command-line argument, on character boundaries. */
function split(line: string): string[] {
  if (Buffer.byteLength(line, 'utf8') <= CHUNK_BYTES) return [line];
  const pieces: string[] = [];
  let piece = '';
  let bytes = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    if (bytes + size > CHUNK_BYTES) {
      pieces.push(piece);
      piece = '';
      bytes = 0;
    }
    piece += char;
    bytes += size;
  }
  if (piece !== '') pieces.push(piece);
  return pieces;
}
