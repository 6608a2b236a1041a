// state-get, state-set and state-delete, after juju/juju
// internal/worker/uniter/runner/jujuc/state-get.go, state-set.go and state-delete.go.

import { settings } from './flags.js';
import { formatOf, render } from './format.js';
import { type Tool, ToolExit, checkEmpty } from './tool.js';

/** @internal */
/** core/quota: MaxCharmStateKeySize and MaxCharmStateValueSize. */
const MAX_KEY_BYTES = 256;
const MAX_VALUE_BYTES = 64 * 1024;

export const STATE_TOOLS = {
  'state-get': {
    usage: 'state-get [options] [<key>]',
    purpose: 'print server-side-state value',
    format: true,
    flags: { strict: { type: 'boolean', usage: 'Return an error if the requested key does not exist' } },
    run({ parsed, world }) {
      const format = formatOf(parsed);
      const [given, ...extra] = parsed.args;
      checkEmpty(extra);
      const key = given === undefined || given === '-' ? '' : given;
      if (key === '') return { stdout: render(world.charmState, format) };
      const value = world.charmState[key];
      if (value === undefined && parsed.flags.strict === true) throw new ToolExit(1, `"${key}" not found`);
      return { stdout: render(value ?? '', format) };
    },
  },

  'state-set': {
    usage: 'state-set [options] key=value [key=value ...]',
    purpose: 'set server-side-state values',
    flags: { file: { type: 'string', usage: 'file containing key-value pairs' } },
    run({ parsed, world, file }) {
      // state-set.go, Run: the --file settings, the key=value arguments over them, then
      // SetCharmStateValue(k, v) for each pair, in order; an empty value is
      // stored as one (only state-delete removes a key). SetCharmStateValue refuses a key or
      // value past core/quota's limits (quota.CheckTupleSize, lengths in bytes), exit 1, the
      // pairs before it set.
      for (const [key, value] of settings(file, parsed.args)) {
        if (Buffer.byteLength(key) > MAX_KEY_BYTES) {
          throw new ToolExit(1, `max allowed key length (${String(MAX_KEY_BYTES)}) exceeded`);
        }
        if (Buffer.byteLength(value) > MAX_VALUE_BYTES) {
          throw new ToolExit(1, `max allowed value length (${String(MAX_VALUE_BYTES)}) exceeded`);
        }
        world.charmState[key] = value;
      }
      return {};
    },
  },

  'state-delete': {
    usage: 'state-delete [options] <key>',
    purpose: 'delete server-side-state key value pair',
    flags: {},
    run({ parsed, world }) {
      // state-delete.go: one key (none: nothing to do), extra arguments refused in Init;
      // DeleteCharmStateValue of a missing key is no error.
      const [key, ...extra] = parsed.args;
      checkEmpty(extra);
      if (key !== undefined && key !== '') Reflect.deleteProperty(world.charmState, key);
      return {};
    },
  },
} satisfies Record<string, Tool>;
