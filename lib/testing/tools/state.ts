// state-get and state-set, after juju/juju internal/worker/uniter/runner/jujuc/state-get.go
// and state-set.go.

import { keyValues } from './flags.js';
import { formatOf, render } from './format.js';
import { type Tool, ToolExit, checkEmpty } from './tool.js';

/** @internal */
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
    flags: {},
    run({ parsed, world }) {
      // state-set.go, Run: SetCharmStateValue(k, v) for each pair; an empty value is stored as
      // one (only state-delete removes a key).
      for (const [key, value] of keyValues(parsed.args)) world.charmState[key] = value;
      return {};
    },
  },
} satisfies Record<string, Tool>;
