// juju-log, after juju/juju internal/worker/uniter/runner/jujuc/juju-log.go.

import { type Tool, ToolExit } from './tool.js';

/** `juju-log` levels as loggo parses them, case-insensitively. */
const LOG_LEVELS: Readonly<Record<string, string>> = {
  TRACE: 'TRACE',
  DEBUG: 'DEBUG',
  INFO: 'INFO',
  WARN: 'WARNING',
  WARNING: 'WARNING',
  ERROR: 'ERROR',
  CRITICAL: 'CRITICAL',
};

/** @internal */
export const LOG_TOOLS = {
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
      let level = 'INFO';
      let stderr = '';
      if (parsed.flags.debug === true) level = 'DEBUG';
      else if (typeof asked === 'string') {
        const known = LOG_LEVELS[asked.toUpperCase()];
        if (known === undefined) stderr = `WARNING Specified log level of "${asked}" is not valid\n`;
        level = known ?? 'INFO';
      }
      const relation = env.JUJU_RELATION_ID ? `${env.JUJU_RELATION_ID}: ` : '';
      return { stderr, effect: { log: { level, message: relation + parsed.args.join(' ') } } };
    },
  },
} satisfies Record<string, Tool>;
