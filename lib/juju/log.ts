import { StatusBus, type StatusBusEvents } from '../bus.js';
import { checkOptions, describeValue, isPlainObject, messageOf } from '../input.js';
import { type HookToolOptions, MAX_ARGUMENT_BYTES, checkHookToolOptions, runHookTool } from './hook-tool.js';

/** A `juju-log` level. */
export type LogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL';

/** The bus events `jujuLog` forwards. */
export type LoggedEvent = 'maintenance' | 'blocked' | 'waiting' | 'active' | 'open' | 'resolved' | 'warning' | 'error';

/** Options of {@link jujuLog}. */
export interface JujuLogOptions extends HookToolOptions {
  /**
   * The level of each event, or `false` to leave it out. Defaults: blocked and warning are
   * WARNING, error is ERROR, the rest INFO.
   */
  levels?: Partial<Record<LoggedEvent, LogLevel | false>>;
}

/** A function that stops `jujuLog` and resolves once the lines already sent are written. */
export type Detach = () => Promise<void>;

const DEFAULT_LEVELS: Record<LoggedEvent, LogLevel> = {
  maintenance: 'INFO',
  blocked: 'WARNING',
  waiting: 'INFO',
  active: 'INFO',
  open: 'INFO',
  resolved: 'INFO',
  warning: 'WARNING',
  error: 'ERROR',
};
const LEVELS = new Set<unknown>(['TRACE', 'DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL']);

/** The longest piece of a line sent in one `juju-log` call, in bytes, with room to spare. */
const CHUNK_BYTES = Math.floor(MAX_ARGUMENT_BYTES / 2);

/**
 * Forwards the events of `bus` to `juju-log --log-level <LEVEL>`, so that they land in
 * `juju debug-log` beside the charm's own lines. Returns a function that detaches it.
 *
 * Lines are written one at a time, in order. A failure of `juju-log` never reaches the charm:
 * it goes to stderr, which Juju also keeps. A line longer than one command-line argument may be
 * is split over several calls instead of being lost.
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
  const tool = checkHookToolOptions(checkOptions(options, 'jujuLog() options', ['levels', 'env', 'timeoutMs']), 'jujuLog()');
  const levels = checkLevels(options.levels);
  let tail: Promise<void> = Promise.resolve();

  const log = (level: LogLevel, line: string): void => {
    for (const piece of split(line)) {
      tail = tail.then(() =>
        runHookTool('juju-log', ['--log-level', level, '--', piece], tool).then(
          () => undefined,
          (error: unknown) => {
            console.error(`charms-contextual-status: juju-log failed (${messageOf(error)}); the line was: ${level} ${piece}`);
          },
        ),
      );
    }
  };

  const describe: { [E in LoggedEvent]: (...args: Parameters<StatusBusEvents[E]>) => string } = {
    maintenance: (status) => `status: ${String(status)}`,
    blocked: (status) => `status: ${String(status)}`,
    waiting: (status) => `status: ${String(status)}`,
    active: (status) => `status: ${String(status)}`,
    open: () => 'status context opened',
    resolved: (status) => `status context closed with: ${String(status)}`,
    warning: (message) => message,
    error: (error) => `${error.name}: ${error.message}`,
  };
  const listeners = new Map<LoggedEvent, (...args: unknown[]) => void>();
  for (const event of Object.keys(describe) as LoggedEvent[]) {
    const level = levels[event];
    if (level === false) continue;
    const line = describe[event] as (...args: unknown[]) => string;
    listeners.set(event, (...args: unknown[]) => {
      log(level, line(...args));
    });
  }
  for (const [event, listener] of listeners) bus.on(event, listener);
  let detached = false;
  return async () => {
    if (!detached) {
      detached = true;
      for (const [event, listener] of listeners) bus.off(event, listener);
    }
    await tail;
  };
}
function isBus(value: unknown): value is StatusBus {
  try {
    return value instanceof StatusBus;
  } catch {
    return false; // a revoked proxy
  }
}

function checkLevels(levels: unknown): Record<LoggedEvent, LogLevel | false> {
  if (levels === undefined) return DEFAULT_LEVELS;
  if (!isPlainObject(levels)) {
    throw new TypeError(`jujuLog() levels option must be an object such as { maintenance: 'DEBUG' }, got ${describeValue(levels)}`);
  }
  const out: Record<LoggedEvent, LogLevel | false> = { ...DEFAULT_LEVELS };
  for (const [event, level] of Object.entries(levels)) {
    if (!(event in DEFAULT_LEVELS)) {
      throw new TypeError(`jujuLog() levels option has an unknown event "${event}": expected ${Object.keys(DEFAULT_LEVELS).join(', ')}`);
    }
    if (level !== false && !LEVELS.has(level)) {
      throw new TypeError(
        `jujuLog() level for ${event} must be TRACE, DEBUG, INFO, WARNING, ERROR, CRITICAL or false, got ${describeValue(level)}`,
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
