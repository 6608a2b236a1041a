// action-get, action-set, action-log and action-fail, after juju/juju
// internal/worker/uniter/runner/jujuc/action-get.go, action-set.go, action-log.go and
// action-fail.go.

import { formatOf, render } from './format.js';
import { type Call, type Tool, ToolExit, checkEmpty } from './tool.js';

import { ACTION_RESULT_KEY as ACTION_KEY, RESERVED_ACTION_KEYS as RESERVED } from '../../juju/names.js';

/** The parameters of the action this hook runs; outside an action, the tool is not available. */
function actionParams({ env, hook }: Call): Record<string, unknown> {
  const params = env.JUJU_ACTION_NAME ? hook.actionParams : undefined;
  if (params === undefined) throw new ToolExit(1, 'not running an action');
  return params;
}

/** @internal */
export const ACTION_TOOLS = {
  'action-get': {
    usage: 'action-get [options] [<key>[.<key>.<key>...]]',
    purpose: 'Get action parameters.',
    format: true,
    flags: {},
    run(call) {
      const format = formatOf(call.parsed);
      const params = actionParams(call);
      const [key, ...extra] = call.parsed.args;
      checkEmpty(extra);
      let value: unknown = params;
      for (const part of key === undefined ? [] : key.split('.')) {
        value =
          value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
      }
      return { stdout: render(value ?? null, format) };
    },
  },

  'action-set': {
    usage: 'action-set [options] <key>=<value> [<key>=<value> ...]',
    purpose: 'Set action results.',
    flags: {},
    run(call) {
      actionParams(call);
      const results: [string[], string][] = [];
      for (const arg of call.parsed.args) {
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
          if (RESERVED.includes(key)) throw new ToolExit(2, `cannot set reserved action key "${key}"`);
        }
        results.push([keys, arg.slice(at + 1)]);
      }
      return { effect: { actionResults: results } };
    },
  },

  'action-log': {
    usage: 'action-log [options] <message>',
    purpose: 'Record a progress message for the current action.',
    flags: {},
    run(call) {
      actionParams(call);
      if (call.parsed.args.length === 0) throw new ToolExit(2, 'no message specified');
      return { effect: { actionLog: call.parsed.args.join(' ') } };
    },
  },

  'action-fail': {
    usage: 'action-fail [options] ["<failure message>"]',
    purpose: 'Set action fail status with message.',
    flags: {},
    run(call) {
      actionParams(call);
      const [message = 'action failed without reason given, check action for errors', ...extra] =
        call.parsed.args;
      checkEmpty(extra);
      return { effect: { actionFailed: message } };
    },
  },
} satisfies Record<string, Tool>;
