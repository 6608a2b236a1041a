// relation-ids, relation-list, relation-get and relation-set.

import type { HookToolOptions } from '../index.js';
import { json, pairs, relationId, run, settingsFile, text } from './call.js';

/** A relation id: `'database:7'` or `7`. */
export type RelationId = string | number;

/** Options of {@link relationGet} and {@link relationSet}. */
export interface RelationDataOptions extends HookToolOptions {
  /** The application's data instead of a unit's (`--app`; writing it takes the leader). */
  app?: boolean;
}

/**
 * The ids of the relations on `endpoint` (`relation-ids`), such as `['database:7']`.
 *
 * @example
 * ```ts
 * const [id] = await relationIds('database');
 * ```
 */
export async function relationIds(endpoint: string, options?: HookToolOptions): Promise<string[]> {
  return ((await json('relation-ids', ['--', text(endpoint, 'relationIds() endpoint')], options)) ??
    []) as string[];
}

/**
 * The remote units of a relation (`relation-list -r <id>`).
 *
 * @example
 * ```ts
 * const units = await relationList('database:7'); // ['postgresql/0']
 * ```
 */
export async function relationList(id: RelationId, options?: HookToolOptions): Promise<string[]> {
  return ((await json('relation-list', ['-r', relationId(id, 'relationList()')], options)) ?? []) as string[];
}

/**
 * The data a unit or application set on a relation (`relation-get -r <id> - <member>`): this
 * unit's or application's own, or a remote one's.
 *
 * @example
 * ```ts
 * const { host } = await relationGet('database:7', 'postgresql/0');
 * ```
 */
export async function relationGet(
  id: RelationId,
  member: string,
  options: RelationDataOptions = {},
): Promise<Record<string, string>> {
  const { app = false, ...tool } = options;
  const args = [
    '-r',
    relationId(id, 'relationGet()'),
    ...(app ? ['--app'] : []),
    '-',
    text(member, 'relationGet() member'),
  ];
  return ((await json('relation-get', args, tool)) ?? {}) as Record<string, string>;
}

/**
 * Sets this unit's data on a relation, or with `{ app: true }` its application's (leader
 * only); an empty string removes a key (`relation-set -r <id> --file -`, the
 * settings as YAML on stdin, as ops sends them).
 *
 * @example
 * ```ts
 * await relationSet('database:7', { database: 'webapp' });
 * ```
 */
export async function relationSet(
  id: RelationId,
  data: Record<string, string>,
  options: RelationDataOptions = {},
): Promise<void> {
  const { app = false, ...tool } = options;
  const settings = settingsFile(pairs(data, 'relationSet() data'));
  const args = ['-r', relationId(id, 'relationSet()'), ...(app ? ['--app'] : []), '--file', '-'];
  await run('relation-set', args, tool, settings);
}

/** The model of a related application, as `relation-model-get` describes it. */
export interface RelationModel {
  /** The model's UUID. */
  uuid: string;
}

/**
 * The model of the application at the other end of a relation (`relation-model-get`): its
 * UUID, another model's for a cross-model relation. Left out, the hook's own relation.
 *
 * @example
 * ```ts
 * const { uuid } = await relationModelGet('database:7');
 * ```
 */
export async function relationModelGet(id?: RelationId, options?: HookToolOptions): Promise<RelationModel> {
  const args = id === undefined ? [] : ['-r', relationId(id, 'relationModelGet()')];
  return ((await json('relation-model-get', args, options)) ?? { uuid: '' }) as RelationModel;
}

/**
 * The application at the other end of a relation (`relation-list --app`): the remote
 * application, whether or not any of its units has joined yet; on a peer relation, this
 * application.
 *
 * @example
 * ```ts
 * import { relationIds, remoteApplication } from 'charms-contextual-status/hook-tools';
 * const [id] = await relationIds('database');
 * const provider = id === undefined ? undefined : await remoteApplication(id); // 'postgresql'
 * ```
 */
export async function remoteApplication(id: RelationId, options?: HookToolOptions): Promise<string> {
  const app = await json('relation-list', ['-r', relationId(id, 'remoteApplication()'), '--app'], options);
  return text(app, 'relation-list --app');
}
