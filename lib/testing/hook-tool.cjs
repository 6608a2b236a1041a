// @ts-check
/**
 * One fake Juju hook tool invocation: what runs when a charm calls a hook tool from a
 * {@link HookToolsSimulator} folder.
 *
 * This file is JavaScript, type-checked by tsc through JSDoc, because it runs as its own
 * process under plain Node: from the sources in this repository and from the installed
 * package alike, with no build step and no loader between. Each tool behaves as Juju's does,
 * as far as a charm can tell (read from Juju's `jujuc` sources, gnuflag and juju/cmd's output
 * formats): flags anywhere before `--`, booleans that take `=value` as Go's `ParseBool` reads
 * it, `ERROR <why>` on stderr, exit 2 for bad arguments and 1 for failures, `--help` on stdout,
 * and the `smart`, `json` and `yaml` formats. Every call is recorded with the hook it ran in
 * (`JUJU_CONTEXT_ID`), and the shared state is only touched under a lock, so tools invoked
 * concurrently never lose or mix a record.
 *
 * @module
 * @internal
 */
'use strict';
// CommonJS, because a tool is a process of its own: Node loads a CommonJS file without
// starting its ES module loader, which was a seventh of every simulated call
// (bench/juju.ts, "a simulated status-set").
const { spawnSync } = require('node:child_process');
const {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  statSync,
  writeFileSync,
} = require('node:fs');
const { join } = require('node:path');
const { parseArgs } = require('node:util');

/**
 * @typedef {{ status: string, message: string }} StatusRecord
 * @typedef {{ exitCode?: number, stderr?: string, signal?: string, hang?: boolean }} Failure
 * @typedef {{
 *   endpoint: string, id: number, remoteApp: string,
 *   remoteUnits: Record<string, Record<string, string>>,
 *   remoteAppData: Record<string, string>,
 *   localUnitData: Record<string, string>,
 *   localAppData: Record<string, string>,
 * }} Relation
 * @typedef {{ stdout?: string, stderr?: string, exitCode?: number, executable?: string }} CustomTool
 * @typedef {{
 *   leader: boolean,
 *   unitName: string,
 *   unit: StatusRecord | null,
 *   application: StatusRecord | null,
 *   config: Record<string, unknown>,
 *   relations: Relation[],
 *   charmState: Record<string, string>,
 *   committed: Record<string, { charmState: Record<string, string>, relations: Relation[] }>,
 *   actionParams: Record<string, Record<string, unknown>>,
 *   unitReads: Record<string, StatusRecord>,
 *   custom: Record<string, CustomTool>,
 *   delayMs: number,
 *   failures: ({ tool: string } & Failure)[],
 *   sequence: number,
 * }} State
 * @typedef {{
 *   sequence: number,
 *   tool: string,
 *   args: string[],
 *   hook: string,
 *   exitCode: number | null,
 *   signal?: string,
 *   status?: StatusRecord & { application: boolean },
 *   log?: { level: string, message: string },
 *   actionResults?: [string[], string][],
 *   actionFailed?: string,
 *   actionLog?: string,
 * }} CallRecord
 * @typedef {{ code: number, stdout?: string, stderr?: string, record?: Partial<CallRecord> }} Outcome
 * @typedef {{ type: 'boolean' | 'string', short?: string, usage: string }} Flag
 * @typedef {{ [name: string]: Flag }} Flags
 * @typedef {{ flags: Record<string, string | boolean>, args: string[] }} Parsed
 * @typedef {{ env: NodeJS.ProcessEnv, state: State, parsed: Parsed }} Call
 * @typedef {{ usage: string, purpose: string, flags: Flags, format?: boolean, run: (call: Call) => Outcome }} Tool
 */

/** Settable statuses, in the order Juju lists them in its error. */
const SETTABLE = ['maintenance', 'blocked', 'waiting', 'active'];
/** The order of severity Juju derives an application's status from its units' with. */
const SEVERITY = ['unknown', 'active', 'waiting', 'maintenance', 'blocked', 'error'];
/** `juju-log` levels as loggo parses them, case-insensitively. */
const LOG_LEVELS = {
  TRACE: 'TRACE',
  DEBUG: 'DEBUG',
  INFO: 'INFO',
  WARN: 'WARNING',
  WARNING: 'WARNING',
  ERROR: 'ERROR',
  CRITICAL: 'CRITICAL',
};
const FORMATS = ['smart', 'json', 'yaml'];
/** What Go's `strconv.ParseBool` accepts. */
const TRUE = ['1', 't', 'T', 'TRUE', 'true', 'True'];
const FALSE = ['0', 'f', 'F', 'FALSE', 'false', 'False'];
const UNIT = /^[a-z][a-z0-9]*(?:-[a-z0-9]*[a-z][a-z0-9]*)*\/\d+$/;
const APPLICATION = /^[a-z][a-z0-9]*(?:-[a-z0-9]*[a-z][a-z0-9]*)*$/;
const ACTION_KEY = /^[a-z0-9](?:[a-z0-9-.]*[a-z0-9])?$/;

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
 * @internal
 */
function withLock(root, fn) {
  const lock = join(root, 'lock');
  for (let attempt = 0; ; attempt += 1) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EEXIST') throw error;
      if (attempt % 100 === 99) {
        try {
          if (Date.now() - statSync(lock).mtimeMs > 10_000) rmdirSync(lock);
        } catch {
          // Released meanwhile: try again.
        }
      }
      sleep(attempt < 200 ? 0.2 : 2);
    }
  }
  try {
    return fn();
  } finally {
    rmdirSync(lock);
  }
}

/** @param {string} root @returns {State} @internal */
function readState(root) {
  return JSON.parse(readFileSync(join(root, 'state.json'), 'utf8'));
}

/** @param {string} root @param {State} state @internal */
function writeState(root, state) {
  const file = join(root, 'state.json');
  writeFileSync(`${file}.tmp`, JSON.stringify(state));
  renameSync(`${file}.tmp`, file);
}

/**
 * `--name` for a long flag, `-n` for a one-letter one, as gnuflag names them.
 *
 * @param {string} name
 */
function dashed(name) {
  return name.length === 1 ? `-${name}` : `--${name}`;
}

/**
 * Parses arguments as gnuflag does, with `node:util`'s tokens: flags anywhere before `--`;
 * `--name=value` and `--name value` for string flags; booleans that take `=value` as Go's
 * `ParseBool` reads it (`--application=False` is false); an undefined flag named without its
 * value.
 *
 * @param {string[]} argv
 * @param {Flags} flags
 * @returns {Parsed}
 */
function parse(argv, flags) {
  /** @type {Record<string, { type: 'boolean' | 'string', short?: string }>} */
  const options = { help: { type: 'boolean', short: 'h' } };
  for (const [name, flag] of Object.entries(flags)) {
    if (name.length === 1) continue; // one-letter flags are given as the short form of another
    options[name] = { type: flag.type, ...(flag.short ? { short: flag.short } : {}) };
  }
  const shortOnly = Object.entries(flags).filter(([name]) => name.length === 1);
  for (const [name, flag] of shortOnly) options[`short-${name}`] = { type: flag.type, short: name };
  const { tokens } = parseArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
  /** @type {Parsed} */
  const parsed = { flags: {}, args: [] };
  for (let i = 0; i < tokens.length; i += 1) {
    const token = /** @type {(typeof tokens)[number]} */ (tokens[i]);
    if (token.kind === 'positional') {
      parsed.args.push(token.value);
      continue;
    }
    if (token.kind === 'option-terminator') continue;
    const name = token.name.startsWith('short-') ? token.name.slice(6) : token.name;
    const flag =
      name === 'help'
        ? { type: 'boolean' }
        : (flags[name] ?? Object.values(flags).find((f) => f.short === name));
    const key = flags[name] ? name : (Object.keys(flags).find((n) => flags[n]?.short === name) ?? name);
    const raw = token.rawName.startsWith('--') ? `--${token.rawName.slice(2)}` : token.rawName;
    if (flag === undefined) throw new ToolExit(2, `flag provided but not defined: ${raw}`);
    if (flag.type === 'boolean') {
      if (token.inlineValue) {
        const value = /** @type {string} */ (token.value);
        if (!TRUE.includes(value) && !FALSE.includes(value)) {
          throw new ToolExit(2, `invalid value "${value}" for flag ${raw}: parse error`);
        }
        parsed.flags[key] = TRUE.includes(value);
      } else {
        parsed.flags[key] = true;
      }
      continue;
    }
    let value = token.value;
    if (value === undefined) {
      // parseArgs in loose mode reads `--name value` only for declared string options.
      const next = tokens[i + 1];
      if (next?.kind !== 'positional') throw new ToolExit(2, `flag needs an argument: ${raw}`);
      value = next.value;
      i += 1;
    }
    parsed.flags[key] = value;
  }
  return parsed;
}

/** @param {Parsed} parsed */
function formatOf(parsed) {
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
 * YAML as Go's yaml package writes it: keys sorted, strings quoted only where YAML needs it,
 * empty maps as `{}`.
 *
 * @param {unknown} value
 * @param {string} indent
 * @returns {string}
 */
function yaml(value, indent = '') {
  if (value === null || value === undefined) return 'null\n';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]\n';
    return value.map((v) => `${indent}- ${yaml(v, `${indent}  `).trimStart()}`).join('');
  }
  if (typeof value === 'object') {
    const keys = Object.keys(value).sort();
    if (keys.length === 0) return '{}\n';
    return keys
      .map((key) => {
        const v = /** @type {Record<string, unknown>} */ (value)[key];
        const nested = v !== null && typeof v === 'object' && Object.keys(v).length > 0;
        return nested
          ? `${indent}${scalar(key)}:\n${yaml(v, `${indent}  `)}`
          : `${indent}${scalar(key)}: ${yaml(v, indent)}`;
      })
      .join('');
  }
  return `${scalar(value)}\n`;
}

/** @param {unknown} value */
function scalar(value) {
  if (typeof value !== 'string') return String(value);
  const plain =
    /^[A-Za-z_/][\w ./-]*$/.test(value) &&
    !/^(true|false|yes|no|on|off|null|y|n|~)$/i.test(value) &&
    !value.endsWith(' ');
  return plain ? value : JSON.stringify(value);
}

/**
 * Prints a value as juju/cmd does in `format`: `smart` prints a string as it is, a boolean as
 * `True`/`False`, nothing for null, and anything else as YAML; a line end is added.
 *
 * @param {unknown} value
 * @param {string} format
 */
function render(value, format) {
  if (format === 'json') return `${JSON.stringify(value ?? null)}\n`;
  if (format === 'yaml') return value === null || value === undefined ? '' : yaml(value);
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'True\n' : 'False\n';
  if (typeof value === 'string') return value === '' || value.endsWith('\n') ? value : `${value}\n`;
  if (typeof value !== 'object') return `${String(value)}\n`;
  return yaml(value);
}

/** @param {string[]} extra */
function checkEmpty(extra) {
  if (extra.length > 0)
    throw new ToolExit(2, `unrecognized args: [${extra.map((a) => JSON.stringify(a)).join(' ')}]`);
}

/** @param {State} state */
function applicationName(state) {
  return state.unitName.split('/')[0] ?? state.unitName;
}

/**
 * What the unit shows: set by the charm, or as Juju starts it (`maintenance: installing charm
 * software` during `install`, `unknown` after).
 *
 * @param {State} state @param {NodeJS.ProcessEnv} env
 * @returns {StatusRecord}
 */
function unitStatus(state, env) {
  if (state.unit) return state.unit;
  if (env.JUJU_HOOK_NAME === 'install')
    return { status: 'maintenance', message: 'installing charm software' };
  return { status: 'unknown', message: '' };
}

/**
 * What the application shows: set by the leader, or derived from its units (the most severe).
 *
 * @param {State} state @param {NodeJS.ProcessEnv} env
 * @returns {StatusRecord}
 */
function applicationStatus(state, env) {
  if (state.application) return state.application;
  const unit = unitStatus(state, env);
  return SEVERITY.includes(unit.status) ? unit : { status: 'unknown', message: '' };
}

/**
 * The relation named by `-r` (`database:7` or `7`), or the hook's own (`JUJU_RELATION_ID`).
 *
 * @param {Call} call
 * @returns {Relation}
 */
function relationOf({ parsed, env, state }) {
  const given = parsed.flags.relation;
  const value = typeof given === 'string' ? given : env.JUJU_RELATION_ID;
  if (value === undefined || value === '') throw new ToolExit(2, 'no relation id specified');
  const where = typeof given === 'string' ? `invalid value "${given}" for flag -r: ` : '';
  const tail = value.slice(value.lastIndexOf(':') + 1);
  if (!/^\d+$/.test(tail)) throw new ToolExit(2, `${where}invalid relation id`);
  const relation = state.relations.find((r) => r.id === Number(tail));
  if (relation === undefined) throw new ToolExit(2, `${where}relation not found`);
  return relation;
}

/**
 * `key=value` arguments, as juju/utils `keyvalues.Parse(args, true)` reads them for
 * `state-set` and `relation-set`: split at the first `=`, key and value trimmed of white space,
 * an empty value allowed, an empty key or a key given twice refused (exit 2, from `Init`).
 *
 * @param {string[]} args
 * @returns {[string, string][]}
 */
function keyValues(args) {
  /** @type {Map<string, string>} */
  const pairs = new Map();
  for (const arg of args) {
    const at = arg.indexOf('=');
    if (at < 0) throw new ToolExit(2, `expected "key=value", got ${JSON.stringify(arg)}`);
    const key = arg.slice(0, at).trim();
    const value = arg.slice(at + 1).trim();
    if (key === '') throw new ToolExit(2, `expected "key=value", got "${key}=${value}"`);
    if (pairs.has(key)) throw new ToolExit(2, `key ${JSON.stringify(key)} specified more than once`);
    pairs.set(key, value);
  }
  return [...pairs];
}

/**
 * Sets `key` in a settings bag; the empty string removes it, as Juju does.
 *
 * @param {Record<string, string>} bag @param {string} key @param {string} value
 */
function put(bag, key, value) {
  if (value === '') Reflect.deleteProperty(bag, key);
  else bag[key] = value;
}

/** @type {Flags} */
const FORMAT_FLAG = { format: { type: 'string', usage: 'Specify output format (json|smart|yaml)' } };
/** @type {Flags} */
const RELATION_FLAGS = {
  relation: { type: 'string', short: 'r', usage: 'Specify a relation by id' },
  app: { type: 'boolean', usage: 'Get the relation data for the overall application, not just a unit' },
};

/**
 * Each simulated tool, keyed by the one list of their names (`SIMULATED_TOOLS` in
 * simulator.ts): tsc refuses a tool listed there and missing here, or one here that is not
 * listed.
 *
 * @type {Record<import('./simulator.js').SimulatedTool, Tool>}
 */
const TOOLS = {
  'status-set': {
    usage: 'status-set [options] <maintenance | blocked | waiting | active> [message]',
    purpose: 'Set status information.',
    flags: {
      application: {
        type: 'boolean',
        usage: 'set this status for the application to which the unit belongs if the unit is the leader',
      },
    },
    run({ parsed, state }) {
      const [status, message = '', ...extra] = parsed.args;
      if (status === undefined) throw new ToolExit(2, 'invalid args, require <status> [message] [data]');
      if (!SETTABLE.includes(status))
        throw new ToolExit(2, `invalid status "${status}", expected one of [${SETTABLE.join(' ')}]`);
      checkEmpty(extra);
      const application = parsed.flags.application === true;
      if (application && !state.leader) throw new ToolExit(1, 'this unit is not the leader');
      state[application ? 'application' : 'unit'] = { status, message };
      return { code: 0, record: { status: { status, message, application } } };
    },
  },

  'status-get': {
    usage: 'status-get [options] [--include-data] [--application]',
    purpose: 'Print status information.',
    format: true,
    flags: {
      'include-data': { type: 'boolean', usage: 'print all status data' },
      application: {
        type: 'boolean',
        usage: 'print status for all units of this application if this unit is the leader',
      },
    },
    run({ parsed, state, env }) {
      const format = formatOf(parsed);
      checkEmpty(parsed.args);
      const data = parsed.flags['include-data'] === true;
      /** @param {StatusRecord} s */
      const details = (s) =>
        data ? { message: s.message, status: s.status, 'status-data': {} } : { status: s.status };
      if (parsed.flags.application === true) {
        if (!state.leader) throw new ToolExit(1, 'finding application status: this unit is not the leader');
        const app = applicationStatus(state, env);
        const value =
          !data && format === 'smart'
            ? app.status
            : {
                'application-status': {
                  ...details(app),
                  units: { [state.unitName]: details(unitStatus(state, env)) },
                },
              };
        return { code: 0, stdout: render(value, format) };
      }
      // Juju reads the unit's status once per hook and answers the same after a status-set.
      const hook = env.JUJU_CONTEXT_ID ?? '';
      const unit = (state.unitReads[hook] ??= unitStatus(state, env));
      return { code: 0, stdout: render(!data && format === 'smart' ? unit.status : details(unit), format) };
    },
  },

  'juju-log': {
    usage: 'juju-log [options] <message>',
    purpose: 'write a message to the juju log',
    flags: {
      debug: { type: 'boolean', usage: 'log at debug level' },
      'log-level': { type: 'string', short: 'l', usage: 'Send log message at the given level' },
      format: { type: 'string', usage: 'deprecated format flag' },
    },
    run({ parsed, env }) {
      if (parsed.args.length === 0) throw new ToolExit(2, 'no message specified');
      const asked = parsed.flags['log-level'];
      /** @type {string} */
      let level = 'INFO';
      let stderr = '';
      if (parsed.flags.debug === true) level = 'DEBUG';
      else if (typeof asked === 'string') {
        const known = /** @type {Record<string, string>} */ (LOG_LEVELS)[asked.toUpperCase()];
        if (known === undefined) stderr = `WARNING Specified log level of "${asked}" is not valid\n`;
        level = known ?? 'INFO';
      }
      const relation = env.JUJU_RELATION_ID ? `${env.JUJU_RELATION_ID}: ` : '';
      return { code: 0, stderr, record: { log: { level, message: relation + parsed.args.join(' ') } } };
    },
  },

  'is-leader': {
    usage: 'is-leader [options]',
    purpose: 'Print application leadership status.',
    format: true,
    flags: {},
    run({ parsed, state }) {
      const format = formatOf(parsed);
      checkEmpty(parsed.args);
      return { code: 0, stdout: render(state.leader, format) };
    },
  },

  'config-get': {
    usage: 'config-get [options] [<key>]',
    purpose: 'Print application configuration.',
    format: true,
    flags: { all: { type: 'boolean', short: 'a', usage: 'print all keys' } },
    run({ parsed, state }) {
      const format = formatOf(parsed);
      const [key, ...extra] = parsed.args;
      if (key !== undefined && key !== '' && parsed.flags.all === true) {
        throw new ToolExit(2, `cannot use argument --all together with key "${key}"`);
      }
      checkEmpty(extra);
      if (key !== undefined && key !== '')
        return { code: 0, stdout: render(state.config[key] ?? null, format) };
      const all = parsed.flags.all === true;
      const settings = Object.fromEntries(Object.entries(state.config).filter(([, v]) => all || v !== null));
      return { code: 0, stdout: render(settings, format) };
    },
  },

  'relation-ids': {
    usage: 'relation-ids [options] <name>',
    purpose: 'List all relation ids for the given endpoint.',
    format: true,
    flags: {},
    run({ parsed, state, env }) {
      const format = formatOf(parsed);
      const [endpoint = env.JUJU_RELATION ?? '', ...extra] = parsed.args;
      checkEmpty(extra);
      if (endpoint === '') throw new ToolExit(2, 'no endpoint name specified');
      const ids = state.relations
        .filter((r) => r.endpoint === endpoint)
        .map((r) => `${r.endpoint}:${String(r.id)}`);
      return { code: 0, stdout: render(format === 'smart' ? ids.join('\n') : ids, format) };
    },
  },

  'relation-list': {
    usage: 'relation-list [options]',
    purpose: 'List relation units.',
    format: true,
    flags: RELATION_FLAGS,
    run(call) {
      const format = formatOf(call.parsed);
      const relation = relationOf(call);
      checkEmpty(call.parsed.args);
      if (call.parsed.flags.app === true) return { code: 0, stdout: render(relation.remoteApp, format) };
      const units = Object.keys(relation.remoteUnits).sort();
      return { code: 0, stdout: render(format === 'smart' ? units.join('\n') : units, format) };
    },
  },

  'relation-get': {
    usage: 'relation-get [options] <key> <unit id>',
    purpose: 'Get relation settings.',
    format: true,
    flags: RELATION_FLAGS,
    run(call) {
      const { parsed, state, env } = call;
      const format = formatOf(parsed);
      const relation = relationOf(call);
      const args = [...parsed.args];
      const given = args.shift();
      const key = given === undefined || given === '-' ? '' : given;
      let app = parsed.flags.app === true;
      /** @type {string | undefined} */
      let member = args.shift();
      if (member !== undefined) {
        if (app) member = UNIT.test(member) ? (member.split('/')[0] ?? member) : member;
        else if (!UNIT.test(member)) {
          throw new ToolExit(
            2,
            APPLICATION.test(member)
              ? `expected unit name, got application name "${member}"`
              : `invalid unit name "${member}"`,
          );
        }
      } else if (app) {
        member = env.JUJU_REMOTE_APP || undefined;
        if (member === undefined) throw new ToolExit(2, 'no unit or application specified');
      } else if (env.JUJU_REMOTE_UNIT) {
        member = env.JUJU_REMOTE_UNIT;
      } else if (env.JUJU_REMOTE_APP) {
        member = env.JUJU_REMOTE_APP;
        app = true;
      } else {
        throw new ToolExit(2, 'no unit or application specified');
      }
      checkEmpty(args);
      /** @type {Record<string, string>} */
      let settings;
      if (member === state.unitName) settings = relation.localUnitData;
      else if (member === applicationName(state)) settings = relation.localAppData;
      else if (app) settings = member === relation.remoteApp ? relation.remoteAppData : {};
      else settings = relation.remoteUnits[member] ?? {};
      return { code: 0, stdout: render(key === '' ? settings : (settings[key] ?? null), format) };
    },
  },

  'relation-set': {
    usage: 'relation-set [options] key=value [key=value ...]',
    purpose: 'Set relation settings.',
    flags: RELATION_FLAGS,
    run(call) {
      const relation = relationOf(call);
      const pairs = keyValues(call.parsed.args);
      const app = call.parsed.flags.app === true;
      if (app && !call.state.leader)
        throw new ToolExit(1, 'cannot write relation settings: this unit is not the leader');
      const bag = app ? relation.localAppData : relation.localUnitData;
      for (const [key, value] of pairs) put(bag, key, value);
      return { code: 0 };
    },
  },

  'state-get': {
    usage: 'state-get [options] [<key>]',
    purpose: 'print server-side-state value',
    format: true,
    flags: { strict: { type: 'boolean', usage: 'Return an error if the requested key does not exist' } },
    run({ parsed, state }) {
      const format = formatOf(parsed);
      const [given, ...extra] = parsed.args;
      checkEmpty(extra);
      const key = given === undefined || given === '-' ? '' : given;
      if (key === '') return { code: 0, stdout: render(state.charmState, format) };
      const value = state.charmState[key];
      if (value === undefined && parsed.flags.strict === true) throw new ToolExit(1, `"${key}" not found`);
      return { code: 0, stdout: render(value ?? '', format) };
    },
  },

  'state-set': {
    usage: 'state-set [options] key=value [key=value ...]',
    purpose: 'set server-side-state values',
    flags: {},
    run({ parsed, state }) {
      // jujuc/state-set.go, Run: SetCharmStateValue(k, v) for each pair; an empty value is
      // stored as one (only state-delete removes a key).
      for (const [key, value] of keyValues(parsed.args)) state.charmState[key] = value;
      return { code: 0 };
    },
  },

  'action-get': {
    usage: 'action-get [options] [<key>[.<key>.<key>...]]',
    purpose: 'Get action parameters.',
    format: true,
    flags: {},
    run({ parsed, state, env }) {
      const format = formatOf(parsed);
      const params = actionParams(state, env);
      const [key, ...extra] = parsed.args;
      checkEmpty(extra);
      /** @type {unknown} */
      let value = params;
      for (const part of key === undefined ? [] : key.split('.')) {
        value =
          value !== null && typeof value === 'object'
            ? /** @type {Record<string, unknown>} */ (value)[part]
            : undefined;
      }
      return { code: 0, stdout: render(value ?? null, format) };
    },
  },

  'action-set': {
    usage: 'action-set [options] <key>=<value> [<key>=<value> ...]',
    purpose: 'Set action results.',
    flags: {},
    run({ parsed, state, env }) {
      actionParams(state, env);
      /** @type {[string[], string][]} */
      const results = [];
      for (const arg of parsed.args) {
        const at = arg.indexOf('=');
        if (at < 0) throw new ToolExit(2, `argument "${arg}" must be of the form key...=value`);
        const keys = arg.slice(0, at).split('.');
        for (const key of keys) {
          if (!ACTION_KEY.test(key)) {
            throw new ToolExit(
              2,
              `key "${key}" must start and end with lowercase alphanumeric, and contain only lowercase alphanumeric, hyphens and periods`,
            );
          }
          if (['stdout', 'stdout-encoding', 'stderr', 'stderr-encoding'].includes(key)) {
            throw new ToolExit(2, `cannot set reserved action key "${key}"`);
          }
        }
        results.push([keys, arg.slice(at + 1)]);
      }
      return { code: 0, record: { actionResults: results } };
    },
  },

  'action-log': {
    usage: 'action-log [options] <message>',
    purpose: 'Record a progress message for the current action.',
    flags: {},
    run({ parsed, state, env }) {
      actionParams(state, env);
      if (parsed.args.length === 0) throw new ToolExit(2, 'no message specified');
      return { code: 0, record: { actionLog: parsed.args.join(' ') } };
    },
  },

  'action-fail': {
    usage: 'action-fail [options] ["<failure message>"]',
    purpose: 'Set action fail status with message.',
    flags: {},
    run({ parsed, state, env }) {
      actionParams(state, env);
      const [message = 'action failed without reason given, check action for errors', ...extra] = parsed.args;
      checkEmpty(extra);
      return { code: 0, record: { actionFailed: message } };
    },
  },
};

/**
 * The parameters of the action this hook runs; outside an action, the tool is not available.
 *
 * @param {State} state @param {NodeJS.ProcessEnv} env
 */
function actionParams(state, env) {
  const params = env.JUJU_ACTION_NAME ? state.actionParams[env.JUJU_CONTEXT_ID ?? ''] : undefined;
  if (params === undefined) throw new ToolExit(1, 'not running an action');
  return params;
}

/**
 * `--help`: what juju/cmd prints, on stdout, exit 0.
 *
 * @param {Tool} tool
 */
function help(tool) {
  const flags = { ...(tool.format ? FORMAT_FLAG : {}), ...tool.flags };
  const lines = Object.entries(flags).map(
    ([flag, f]) =>
      `${dashed(flag)}${f.short ? `, -${f.short}` : ''}${f.type === 'string' ? ' (= "")' : ' (= false)'}\n    ${f.usage}`,
  );
  return `Usage: ${tool.usage}\n\nSummary:\n${tool.purpose}\n${lines.length > 0 ? `\nOptions:\n${lines.join('\n')}\n` : ''}`;
}

/**
 * Runs one tool: waits the simulated delay, then, under the lock, applies its effect to the
 * state and records the call. A failure injected with `failNext` replaces the effect.
 *
 * @param {string} name
 * @param {string} root
 * @param {string[]} args
 * @internal
 */
function run(name, root, args) {
  const env = process.env;
  const delayMs = Number(readFileSync(join(root, 'delay'), 'utf8')) || 0;
  if (delayMs > 0) sleep(delayMs);
  /** @type {Failure | undefined} */
  let failure;
  /** @type {string | undefined} */
  let executable;
  /** @type {Outcome | undefined} */
  let outcome = withLock(root, () => {
    const state = readState(root);
    const index = state.failures.findIndex((f) => f.tool === name);
    const custom = state.custom[name];
    /** @type {Outcome} */
    let result;
    if (index >= 0) {
      failure = state.failures.splice(index, 1)[0];
      result =
        failure?.signal || failure?.hang
          ? { code: -1 }
          : { code: failure?.exitCode ?? 1, stderr: failure?.stderr ?? 'ERROR injected failure\n' };
    } else if (custom?.executable !== undefined) {
      // Run outside the lock (it may call other hook tools), and record it after.
      executable = custom.executable;
      return undefined;
    } else if (custom !== undefined) {
      result = { code: custom.exitCode ?? 0, stdout: custom.stdout ?? '', stderr: custom.stderr ?? '' };
    } else {
      const tool = /** @type {Tool} */ (/** @type {Record<string, Tool>} */ (TOOLS)[name]);
      try {
        const parsed = parse(args, { ...(tool.format ? FORMAT_FLAG : {}), ...tool.flags });
        result =
          parsed.flags.help === true ? { code: 0, stdout: help(tool) } : tool.run({ env, state, parsed });
      } catch (error) {
        if (!(error instanceof ToolExit)) throw error;
        result = { code: error.code, stderr: `ERROR ${error.message}\n` };
      }
    }
    record(root, state, name, args, result, failure);
    return result;
  });
  if (executable !== undefined) {
    const child = spawnSync(executable, args, { stdio: ['inherit', 'pipe', 'pipe'], env });
    const result = {
      code: child.status ?? 1,
      stdout: child.stdout.toString(),
      stderr: child.stderr.toString(),
    };
    withLock(root, () => {
      record(root, readState(root), name, args, result, undefined);
    });
    outcome = result;
  }
  if (failure?.hang) {
    // Hang as asked, but never outlive the simulator or the process that ran the tool.
    const parent = process.ppid;
    while (existsSync(root) && process.ppid === parent) sleep(100);
    process.exit(137);
  }
  if (failure?.signal) process.kill(process.pid, /** @type {NodeJS.Signals} */ (failure.signal));
  if (outcome?.stdout) process.stdout.write(outcome.stdout);
  if (outcome?.stderr) process.stderr.write(outcome.stderr);
  process.exitCode = outcome?.code ?? 1;
}

/**
 * Appends the record of one call and saves the state it changed. Under the lock.
 *
 * @param {string} root @param {State} state @param {string} name @param {string[]} args
 * @param {Outcome} result @param {Failure | undefined} failure
 */
function record(root, state, name, args, result, failure) {
  state.sequence += 1;
  /** @type {CallRecord} */
  const entry = {
    sequence: state.sequence,
    tool: name,
    args,
    hook: process.env.JUJU_CONTEXT_ID ?? '',
    exitCode: result.code < 0 ? null : result.code,
    ...(failure?.signal ? { signal: failure.signal } : {}),
    ...(result.code === 0 ? result.record : {}),
  };
  appendFileSync(join(root, 'calls.jsonl'), `${JSON.stringify(entry)}\n`);
  writeState(root, state);
}

module.exports = { withLock, readState, writeState, run };

// Run as a tool: `node hook-tool.cjs <tool> <simulator folder> <arguments…>`.
if (require.main === module) {
  const [name = '', root = '', ...args] = process.argv.slice(2);
  run(name, root, args);
}
