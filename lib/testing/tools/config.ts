// is-leader and config-get, after juju/juju internal/worker/uniter/runner/jujuc/is-leader.go
// and config-get.go.

import { formatOf, render } from './format.js';
import { type Tool, ToolExit, checkEmpty } from './tool.js';

/** @internal */
export const CONFIG_TOOLS = {
  'is-leader': {
    usage: 'is-leader [options]',
    purpose: 'Print application leadership status.',
    format: true,
    flags: {},
    run({ parsed, world }) {
      const format = formatOf(parsed);
      checkEmpty(parsed.args);
      return { stdout: render(world.leader, format) };
    },
  },

  'config-get': {
    usage: 'config-get [options] [<key>]',
    purpose: 'Print application configuration.',
    format: true,
    flags: { all: { type: 'boolean', short: 'a', usage: 'print all keys' } },
    run({ parsed, world }) {
      const format = formatOf(parsed);
      const [key, ...extra] = parsed.args;
      if (key !== undefined && key !== '' && parsed.flags.all === true) {
        throw new ToolExit(2, `cannot use argument --all together with key "${key}"`);
      }
      checkEmpty(extra);
      if (key !== undefined && key !== '') return { stdout: render(world.config[key] ?? null, format) };
      const all = parsed.flags.all === true;
      const settings = Object.fromEntries(Object.entries(world.config).filter(([, v]) => all || v !== null));
      return { stdout: render(settings, format) };
    },
  },
} satisfies Record<string, Tool>;
