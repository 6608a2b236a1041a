// action-get, action-set, action-log and action-fail.

import type { HookToolOptions } from '../index.js';
import { describeValue } from '../describe.js';
import { ACTION_RESULT_KEY, RESERVED_ACTION_KEYS } from '../juju/names.js';
import { json, run, text } from './call.js';

/**
 * The action's parameters (`action-get`), or one of them by its dotted key. Type them once, as
 * the charm declares them in `charmcraft.yaml`, instead of casting each value.
 *
 * @example
 * ```ts
 * interface Restart { force: boolean }
 * const { force } = await actionGet<Restart>();
 * ```
 */
export async function actionGet<P extends object = Record<string, unknown>>(
  options?: HookToolOptions,
): Promise<P>;
export async function actionGet<P extends object = Record<string, unknown>>(
  key: keyof P & string,
  options?: HookToolOptions,
): Promise<P[keyof P & string] | undefined>;
export async function actionGet(key?: string | HookToolOptions, options?: HookToolOptions): Promise<unknown> {
  if (typeof key === 'string' || (key !== undefined && typeof key !== 'object')) {
    return json('action-get', ['--', text(key, 'actionGet() key')], options);
  }
  return (await json('action-get', [], key)) ?? {};
}

/** An action's results: strings, nested under dotted keys. */
export interface ActionResults {
  [key: string]: string | ActionResults;
}

/**
 * Sets the action's results (`action-set -- key=value…`); nested objects become dotted keys.
 *
 * @example
 * ```ts
 * await actionSet({ restarted: 'true', took: { ms: '12' } });
 * ```
 */
export async function actionSet(results: ActionResults, options?: HookToolOptions): Promise<void> {
  const args: string[] = [];
  const walk = (node: unknown, prefix: string): void => {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) {
      throw new TypeError(
        `actionSet() results must be an object of keys to strings or objects, got ${describeValue(node)} at "${prefix}"`,
      );
    }
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      const dotted = prefix === '' ? key : `${prefix}.${key}`;
      // action-set splits each argument at its first "=" and the key at its periods: a key
      // with either would be another result, so each key is held to Juju's rule for one.
      if (key.includes('.') || !ACTION_RESULT_KEY.test(key)) {
        throw new TypeError(
          `actionSet() result key ${JSON.stringify(dotted)} is one Juju refuses: each key is lowercase letters, digits and hyphens, starting and ending with a letter or digit (nest objects for dotted keys)`,
        );
      }
      if (RESERVED_ACTION_KEYS.includes(key)) {
        throw new TypeError(
          `actionSet() result key ${JSON.stringify(dotted)} is one Juju keeps for itself (${RESERVED_ACTION_KEYS.join(', ')})`,
        );
      }
      if (typeof value === 'string') args.push(`${dotted}=${text(value, `actionSet() result ${dotted}`)}`);
      else walk(value, dotted);
    }
  };
  walk(results, '');
  await run('action-set', ['--', ...args], options);
}

/**
 * Records a progress message of the action (`action-log -- <message>`).
 *
 * @example
 * ```ts
 * await actionLog('Restarting the web server');
 * ```
 */
export async function actionLog(message: string, options?: HookToolOptions): Promise<void> {
  await run('action-log', ['--', text(message, 'actionLog() message')], options);
}

/**
 * Fails the action with a message (`action-fail -- <message>`); the action goes on running.
 *
 * @example
 * ```ts
 * await actionFail('the web server is not installed');
 * ```
 */
export async function actionFail(message?: string, options?: HookToolOptions): Promise<void> {
  await run(
    'action-fail',
    message === undefined ? [] : ['--', text(message, 'actionFail() message')],
    options,
  );
}
