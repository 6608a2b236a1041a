// @ts-check
/**
 * One fake Juju hook tool invocation: what runs when a charm calls `status-set`, `status-get`,
 * `juju-log`, `is-leader`, `config-get`, `relation-ids` or `relation-get` from a
 * {@link HookToolsSimulator} folder.
 *
 * This file is JavaScript, type-checked by tsc through JSDoc, because it runs as its own
 * process under plain Node: from the sources in this repository and from the installed
 * package alike, with no build step and no loader between. Each tool behaves as Juju's does,
 * as far as a charm can tell: GNU-style flags anywhere before `--`, `ERROR <why>` on stderr,
 * exit 2 for bad arguments and 1 for failures. Every call is recorded, and the shared state is
 * only touched under a lock, so tools invoked concurrently never lose or mix a record.
 *
 * @module
 * @internal
 */
import {
  appendFileSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

/**
 * @typedef {{ status: string, message: string }} StatusRecord
 * @typedef {{ exitCode?: number, stderr?: string, signal?: string, hang?: boolean }} Failure
 * @typedef {{
 *   leader: boolean,
 *   unitName: string,
 *   unit: StatusRecord,
 *   application: StatusRecord,
 *   config: Record<string, unknown>,
 *   relations: Record<string, Record<string, Record<string, Record<string, string>>>>,
 *   delayMs: number,
 *   failures: ({ tool: string } & Failure)[],
 *   sequence: number,
 * }} State
 * @typedef {{
 *   sequence: number,
 *   tool: string,
 *   args: string[],
 *   exitCode: number | null,
 *   signal?: string,
 *   status?: StatusRecord & { application: boolean },
 *   log?: { level: string, message: string },
 * }} CallRecord
 * @typedef {{ flags: Record<string, string | boolean>, positional: string[] }} Parsed
 * @typedef {{ [name: string]: { value: boolean, short?: string } }} FlagSpec
 * @typedef {{ code: number, stdout?: string, stderr?: string, record?: Partial<CallRecord> }} Outcome
 */

/** Settable statuses, in the order Juju lists them in its error. */
const SETTABLE = ['maintenance', 'blocked', 'waiting', 'active'];
const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'];
const FORMATS = ['smart', 'json', 'yaml'];

/** Thrown to end a tool with Juju's exit code and `ERROR` line. */
class ToolExit extends Error {
  /** @param {number} code @param {string} why */
  constructor(code, why) {
    super(why);
    this.code = code;
  }
}

/** @param {number} ms */
function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Holds the simulator's lock (a directory: `mkdir` is atomic) while `fn` runs. A lock older
 * than ten seconds belongs to a process that died holding it, and is taken over.
 *
 * @template T
 * @param {string} root
 * @param {() => T} fn
 * @returns {T}
 */
export function withLock(root, fn) {
  const lock = join(root, 'lock');
  for (let attempt = 0; ; attempt += 1) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EEXIST') throw error;
      try {
        if (Date.now() - statSync(lock).mtimeMs > 10_000) rmdirSync(lock);
      } catch {
        // Released meanwhile: try again.
      }
      sleep(attempt < 50 ? 1 : 5);
    }
  }
  try {
    return fn();
  } finally {
    rmdirSync(lock);
  }
}

/** @param {string} root @returns {State} */
export function readState(root) {
  return JSON.parse(readFileSync(join(root, 'state.json'), 'utf8'));
}

/** @param {string} root @param {State} state */
export function writeState(root, state) {
  const file = join(root, 'state.json');
  writeFileSync(`${file}.tmp`, JSON.stringify(state));
  renameSync(`${file}.tmp`, file);
}

/**
 * Parses arguments as Juju's gnuflag does: flags anywhere before `--`, `--name=value`,
 * `--name value`, `-x value`; anything after `--` is positional.
 *
 * @param {string[]} args
 * @param {FlagSpec} spec
 * @returns {Parsed}
 */
function parse(args, spec) {
  /** @type {Parsed} */
  const parsed = { flags: {}, positional: [] };
  for (let i = 0; i < args.length; i += 1) {
    const arg = /** @type {string} */ (args[i]);
    if (arg === '--') {
      parsed.positional.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      parsed.positional.push(arg);
      continue;
    }
    const long = arg.startsWith('--');
    const [key = '', inline] = arg.slice(long ? 2 : 1).split(/=(.*)/s, 2);
    const name = long
      ? key
      : (Object.keys(spec).find((n) => spec[n]?.short === key) ?? (key.length > 1 ? undefined : key));
    const flag = name === undefined ? undefined : spec[name];
    if (name === undefined || flag === undefined)
      throw new ToolExit(2, `flag provided but not defined: ${arg}`);
    if (!flag.value) {
      parsed.flags[name] = true;
      continue;
    }
    if (inline !== undefined) {
      parsed.flags[name] = inline;
    } else if (i + 1 < args.length) {
      parsed.flags[name] = /** @type {string} */ (args[(i += 1)]);
    } else {
      throw new ToolExit(2, `flag needs an argument: ${arg}`);
    }
  }
  return parsed;
}

/** @param {Parsed} parsed */
function format(parsed) {
  const value = parsed.flags.format ?? 'smart';
  if (typeof value !== 'string' || !FORMATS.includes(value)) {
    throw new ToolExit(
      2,
      `invalid value "${String(value)}" for flag --format: unknown format "${String(value)}"`,
    );
  }
  return value;
}

/**
 * Prints a value as Juju would in `format`: JSON, or a plain/YAML-like text.
 *
 * @param {unknown} value
 * @param {string} how
 */
function render(value, how) {
  if (how === 'json') return `${JSON.stringify(value)}\n`;
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object') return `${String(value)}\n`;
  if (Array.isArray(value)) return value.map((v) => `${how === 'yaml' ? '- ' : ''}${String(v)}\n`).join('');
  return yaml(value, '');
}

/** @param {object} value @param {string} indent @returns {string} */
function yaml(value, indent) {
  return Object.entries(value)
    .map(([key, v]) =>
      v !== null && typeof v === 'object'
        ? `${indent}${key}:\n${yaml(v, `${indent}  `)}`
        : `${indent}${key}: ${JSON.stringify(v)}\n`,
    )
    .join('');
}

/** @param {string[]} extra */
function unrecognized(extra) {
  if (extra.length > 0)
    throw new ToolExit(2, `unrecognized args: [${extra.map((a) => JSON.stringify(a)).join(' ')}]`);
}

/** @param {State} state */
function applicationName(state) {
  return state.unitName.split('/')[0] ?? state.unitName;
}

/** @type {Record<string, (args: string[], state: State) => Outcome>} */
const TOOLS = {
  'status-set'(args, state) {
    const { flags, positional } = parse(args, { application: { value: false } });
    const [status, message = '', ...extra] = positional;
    if (status === undefined) throw new ToolExit(2, 'invalid args, require <status> [message]');
    unrecognized(extra);
    if (!SETTABLE.includes(status)) {
      throw new ToolExit(2, `invalid status "${status}", expected one of [${SETTABLE.join(' ')}]`);
    }
    const application = flags.application === true;
    if (application && !state.leader) throw new ToolExit(1, 'this unit is not the leader');
    state[application ? 'application' : 'unit'] = { status, message };
    return { code: 0, record: { status: { status, message, application } } };
  },

  'status-get'(args, state) {
    const parsed = parse(args, {
      application: { value: false },
      'include-data': { value: false },
      format: { value: true },
    });
    const how = format(parsed);
    unrecognized(parsed.positional);
    const detail = (/** @type {StatusRecord} */ s) => ({
      message: s.message,
      status: s.status,
      'status-data': {},
    });
    if (parsed.flags.application === true) {
      if (!state.leader) throw new ToolExit(1, 'this unit is not the leader');
      const value =
        parsed.flags['include-data'] === true
          ? {
              'application-status': {
                ...detail(state.application),
                units: { [state.unitName]: detail(state.unit) },
              },
            }
          : state.application.status;
      return { code: 0, stdout: render(value, how) };
    }
    const value = parsed.flags['include-data'] === true ? detail(state.unit) : state.unit.status;
    return { code: 0, stdout: render(value, how) };
  },

  'juju-log'(args) {
    const { flags, positional } = parse(args, {
      debug: { value: false },
      'log-level': { value: true, short: 'l' },
      format: { value: true },
    });
    const level = String(flags['log-level'] ?? (flags.debug === true ? 'DEBUG' : 'INFO')).toUpperCase();
    if (!LOG_LEVELS.includes(level)) {
      throw new ToolExit(
        2,
        `invalid log level "${String(flags['log-level'])}", expected one of [${LOG_LEVELS.join(' ')}]`,
      );
    }
    if (positional.length === 0) throw new ToolExit(2, 'no message specified');
    return { code: 0, record: { log: { level, message: positional.join(' ') } } };
  },

  'is-leader'(args, state) {
    const parsed = parse(args, { format: { value: true } });
    const how = format(parsed);
    unrecognized(parsed.positional);
    return {
      code: 0,
      stdout: how === 'json' ? render(state.leader, how) : `${state.leader ? 'True' : 'False'}\n`,
    };
  },

  'config-get'(args, state) {
    const parsed = parse(args, { format: { value: true }, all: { value: false, short: 'a' } });
    const how = format(parsed);
    const [key, ...extra] = parsed.positional;
    unrecognized(extra);
    const value = key === undefined ? state.config : state.config[key];
    return { code: 0, stdout: render(value ?? null, how) };
  },

  'relation-ids'(args, state) {
    const parsed = parse(args, { format: { value: true } });
    const how = format(parsed);
    const [endpoint, ...extra] = parsed.positional;
    unrecognized(extra);
    if (endpoint === undefined) throw new ToolExit(2, 'no endpoint name specified');
    return { code: 0, stdout: render(Object.keys(state.relations[endpoint] ?? {}), how) };
  },

  'relation-get'(args, state) {
    const parsed = parse(args, {
      format: { value: true },
      relation: { value: true, short: 'r' },
      app: { value: false },
    });
    const how = format(parsed);
    const id = parsed.flags.relation;
    if (typeof id !== 'string') throw new ToolExit(2, 'no relation id specified');
    const [key = '-', member, ...extra] = parsed.positional;
    unrecognized(extra);
    const endpoint = id.split(':')[0] ?? '';
    const relation = state.relations[endpoint]?.[id];
    if (relation === undefined)
      throw new ToolExit(2, `invalid value "${id}" for flag -r: relation not found`);
    const data = relation[member ?? Object.keys(relation)[0] ?? applicationName(state)] ?? {};
    return { code: 0, stdout: render(key === '-' ? data : (data[key] ?? null), how) };
  },
};

/**
 * Runs one tool: waits the simulated delay, then, under the lock, applies its effect to the
 * state and records the call. A failure injected with `failNext` replaces the effect.
 *
 * @param {string} tool
 * @param {string} root
 * @param {string[]} args
 */
export function run(tool, root, args) {
  const { delayMs } = withLock(root, () => readState(root));
  if (delayMs > 0) sleep(delayMs);
  /** @type {Failure | undefined} */
  let failure;
  /** @type {Outcome} */
  const outcome = withLock(root, () => {
    const state = readState(root);
    const index = state.failures.findIndex((f) => f.tool === tool);
    /** @type {Outcome} */
    let result;
    if (index >= 0) {
      failure = state.failures.splice(index, 1)[0];
      result =
        failure?.signal || failure?.hang
          ? { code: -1 }
          : { code: failure?.exitCode ?? 1, stderr: failure?.stderr ?? 'ERROR injected failure\n' };
    } else {
      try {
        result = /** @type {NonNullable<typeof TOOLS[string]>} */ (TOOLS[tool])(args, state);
      } catch (error) {
        if (!(error instanceof ToolExit)) throw error;
        result = { code: error.code, stderr: `ERROR ${error.message}\n` };
      }
    }
    state.sequence += 1;
    /** @type {CallRecord} */
    const record = {
      sequence: state.sequence,
      tool,
      args,
      exitCode: result.code < 0 ? null : result.code,
      ...(failure?.signal ? { signal: failure.signal } : {}),
      ...(result.code === 0 ? result.record : {}),
    };
    appendFileSync(join(root, 'calls.jsonl'), `${JSON.stringify(record)}\n`);
    writeState(root, state);
    return result;
  });
  if (failure?.hang) {
    for (;;) sleep(60_000);
  }
  if (failure?.signal) process.kill(process.pid, /** @type {NodeJS.Signals} */ (failure.signal));
  if (outcome.stdout) process.stdout.write(outcome.stdout);
  if (outcome.stderr) process.stderr.write(outcome.stderr);
  process.exitCode = outcome.code;
}
