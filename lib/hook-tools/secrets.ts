// secret-add, secret-get, secret-set, secret-remove, secret-grant, secret-revoke, secret-ids
// and secret-info-get.

import type { HookToolOptions } from '../index.js';
import { describeValue } from '../describe.js';
import { hookEnv } from '../hook.js';
import { APPLICATION, SECRET_KEY, SECRET_ROTATE_POLICIES, UNIT, secretXidOf } from '../juju/names.js';
import { json, relationId, run, text } from './call.js';
import type { RelationId } from './relations.js';

/** How often the owner is asked to rotate a secret. */
export type SecretRotate = (typeof SECRET_ROTATE_POLICIES)[number];

const ROTATE: readonly string[] = SECRET_ROTATE_POLICIES;

/** The metadata `secretAdd` and `secretSet` take. */
export interface SecretOptions extends HookToolOptions {
  /** The owner's name for the secret, to find it by in later hooks. */
  label?: string;
  /** What the secret is for, shown to the operator. */
  description?: string;
  /** When it expires: a date, or a Go duration such as `'24h'`. */
  expire?: Date | string;
  /** How often Juju asks the owner to rotate it (`secret-rotate` hooks). */
  rotate?: SecretRotate;
  /** Who owns it: the `'application'` (default; managed by its leader) or this `'unit'`. */
  owner?: 'application' | 'unit';
}

/** For arguments typed as objects that JavaScript callers may pass anything as. */
function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function secretId(id: unknown, where: string): string {
  if (typeof id !== 'string' || secretXidOf(id) === undefined) {
    throw new TypeError(
      `${where} takes a secret id such as "secret:d4ef5g6h7i8j9k0l1m2n" (secret:, then 20 of 0-9 and a-v), got ${describeValue(id)}`,
    );
  }
  return id;
}

function flags(options: SecretOptions, where: string): { args: string[]; tool: HookToolOptions } {
  const { label, description, expire, rotate, owner, ...tool } = options;
  const args: string[] = [];
  if (label !== undefined) args.push(`--label=${text(label, `${where} label`)}`);
  if (description !== undefined) args.push(`--description=${text(description, `${where} description`)}`);
  if (expire !== undefined) {
    if (expire instanceof Date && !Number.isNaN(expire.getTime())) {
      args.push(`--expire=${expire.toISOString().replace(/\.\d{3}Z$/, 'Z')}`);
    } else if (typeof expire === 'string' && expire !== '') {
      args.push(`--expire=${expire}`);
    } else {
      throw new TypeError(
        `${where} expire must be a Date or a duration such as '24h', got ${describeValue(expire)}`,
      );
    }
  }
  if (rotate !== undefined) {
    if (!ROTATE.includes(rotate))
      throw new TypeError(
        `${where} rotate must be one of ${ROTATE.join(', ')}, got ${describeValue(rotate)}`,
      );
    args.push(`--rotate=${rotate}`);
  }
  if (owner !== undefined) {
    if (!(['application', 'unit'] as unknown[]).includes(owner)) {
      throw new TypeError(`${where} owner must be 'application' or 'unit', got ${describeValue(owner)}`);
    }
    args.push(`--owner=${owner}`);
  }
  return { args, tool };
}

function contentOf(content: unknown, where: string): string {
  if (
    typeof content !== 'object' ||
    content === null ||
    Array.isArray(content) ||
    Object.keys(content).length === 0
  ) {
    throw new TypeError(
      `${where} content must be a non-empty object of keys to strings, got ${describeValue(content)}`,
    );
  }
  for (const [key, value] of Object.entries(content as Record<string, unknown>)) {
    if (!SECRET_KEY.test(key)) {
      throw new TypeError(
        `${where} content key ${JSON.stringify(key)} is one Juju refuses: 3 or more of a-z, 0-9 and single "-", starting with a letter`,
      );
    }
    text(value, `${where} content ${key}`);
  }
  return JSON.stringify(content);
}

/**
 * Runs `tool` with the content in a file of its own that only this user can read, as Juju
 * reads `--file` (a path, never stdin), so that no secret appears in a process's arguments;
 * the file is gone when the call ends.
 */
async function withContent(
  tool: string,
  args: readonly string[],
  content: string | undefined,
  options: HookToolOptions,
): Promise<string> {
  if (content === undefined) return run(tool, args, options);
  // Taken at the first call: importing fs/promises as an ES module costs every hook's start.
  const fs = process.getBuiltinModule('node:fs/promises');
  const path = process.getBuiltinModule('node:path');
  const dir = await fs.mkdtemp(path.join(process.getBuiltinModule('node:os').tmpdir(), 'secret-'));
  try {
    const file = path.join(dir, 'content.json');
    await fs.writeFile(file, content, { mode: 0o600 });
    return await run(tool, ['--file', file, ...args], options);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/**
 * Adds a secret (`secret-add`), owned by the application (its leader) or this unit, and
 * resolves to its id. Juju keeps it only if the hook succeeds.
 *
 * @example
 * ```ts
 * const id = await secretAdd({ password: 'hunter22' }, { label: 'db-password' });
 * await secretGrant(id, 'database:7');
 * ```
 */
export async function secretAdd(
  content: Record<string, string>,
  options: SecretOptions = {},
): Promise<string> {
  const file = contentOf(content, 'secretAdd()');
  const { args, tool } = flags(options, 'secretAdd()');
  return (await withContent('secret-add', args, file, tool)).trim();
}

/** Options of {@link secretGet}: which secret, and which revision. */
export interface SecretGetOptions extends HookToolOptions {
  /** The secret's id; given with `label`, the id finds it and the label is set. */
  id?: string;
  /** The secret's label: the owner's, or the one this unit gave a secret it was granted. */
  label?: string;
  /** Read the latest revision and track it from now on (`--refresh`). */
  refresh?: boolean;
  /** Read the latest revision this once (`--peek`). */
  peek?: boolean;
}

/**
 * A secret's content (`secret-get`): the revision this unit tracks (the first read tracks the
 * latest), or the latest with `refresh` or `peek`.
 *
 * @example
 * ```ts
 * const { password } = await secretGet({ label: 'db-password' });
 * ```
 */
export async function secretGet(options: SecretGetOptions): Promise<Record<string, string>> {
  if (!isObject(options)) {
    throw new TypeError(`secretGet() takes { id } or { label }, got ${describeValue(options)}`);
  }
  const { id, label, refresh = false, peek = false, ...tool } = options;
  if (id === undefined && label === undefined)
    throw new TypeError('secretGet() takes { id } or { label }, got neither');
  if (refresh && peek) throw new TypeError('secretGet() takes refresh or peek, not both');
  const args = [
    ...(label === undefined ? [] : [`--label=${text(label, 'secretGet() label')}`]),
    ...(refresh ? ['--refresh'] : []),
    ...(peek ? ['--peek'] : []),
    ...(id === undefined ? [] : ['--', secretId(id, 'secretGet()')]),
  ];
  return ((await json('secret-get', args, tool)) ?? {}) as Record<string, string>;
}

/** Options of {@link secretSet}: new content (a new revision) and metadata. */
export interface SecretSetOptions extends SecretOptions {
  /** New content: a new revision, unless it equals the latest. */
  content?: Record<string, string>;
}

/**
 * Updates a secret this unit may manage (`secret-set`): new content makes a new revision
 * (unless it equals the latest); label, description, expiry and rotation change in place.
 *
 * @example
 * ```ts
 * await secretSet(id, { content: { password: 'correct-horse' } });
 * ```
 */
export async function secretSet(id: string, options: SecretSetOptions): Promise<void> {
  if (!isObject(options)) {
    throw new TypeError(`secretSet() takes, second, { content?, label?, … }, got ${describeValue(options)}`);
  }
  const { content, ...rest } = options;
  const file = content === undefined ? undefined : contentOf(content, 'secretSet()');
  const { args, tool } = flags(rest, 'secretSet()');
  await withContent('secret-set', [...args, '--', secretId(id, 'secretSet()')], file, tool);
}

/** Options of {@link secretRemove}. */
export interface SecretRemoveOptions extends HookToolOptions {
  /** Only this revision; left out, the whole secret. */
  revision?: number;
}

/**
 * Removes a secret, or one revision of it (`secret-remove`).
 *
 * @example
 * ```ts
 * await secretRemove(id, { revision: 1 });
 * ```
 */
export async function secretRemove(id: string, options: SecretRemoveOptions = {}): Promise<void> {
  const { revision, ...tool } = options;
  if (revision !== undefined && (!Number.isInteger(revision) || revision < 1)) {
    throw new TypeError(
      `secretRemove() revision must be a whole number from 1, got ${describeValue(revision)}`,
    );
  }
  const args = [
    ...(revision === undefined ? [] : [`--revision=${String(revision)}`]),
    '--',
    secretId(id, 'secretRemove()'),
  ];
  await run('secret-remove', args, tool);
}

/** Options of {@link secretGrant}. */
export interface SecretGrantOptions extends HookToolOptions {
  /** Only this unit of the related application (default: all of them). */
  unit?: string;
}

/**
 * Lets the application at the other end of a relation read a secret (`secret-grant`), or one
 * of its units.
 *
 * @example
 * ```ts
 * await secretGrant(id, 'database:7');
 * ```
 */
export async function secretGrant(
  id: string,
  relation: RelationId,
  options: SecretGrantOptions = {},
): Promise<void> {
  const { unit, ...tool } = options;
  if (unit !== undefined && (typeof unit !== 'string' || !UNIT.test(unit))) {
    throw new TypeError(
      `secretGrant() unit must be a unit name such as "postgresql/0", got ${describeValue(unit)}`,
    );
  }
  const args = [
    '-r',
    relationId(relation, 'secretGrant()'),
    ...(unit === undefined ? [] : [`--unit=${unit}`]),
    '--',
    secretId(id, 'secretGrant()'),
  ];
  await run('secret-grant', args, tool);
}

/** Whom {@link secretRevoke} revokes: the application of a relation, an application, or a unit. */
export interface SecretRevokeOptions extends HookToolOptions {
  /** The relation whose remote application loses the grant. */
  relationId?: RelationId;
  /** The application that loses it. */
  app?: string;
  /** The unit that loses it. */
  unit?: string;
}

/**
 * Takes back a grant (`secret-revoke`): from the application at the other end of `relationId`,
 * from an `app`, or from one `unit`.
 *
 * In a relation hook Juju's `secret-revoke` takes the hook's relation unless told another, and
 * refuses `--app` beside it: there `{ app }` naming the hook relation's application revokes it
 * through the relation, and `{ app }` naming any other application is a `TypeError` (as a
 * rejection), since Juju would refuse the call; pass the `relationId` of a relation with that
 * application instead.
 *
 * @example
 * ```ts
 * await secretRevoke(id, { relationId: 'database:7' });
 * ```
 */
export async function secretRevoke(id: string, options: SecretRevokeOptions): Promise<void> {
  if (!isObject(options)) {
    throw new TypeError(
      `secretRevoke() takes, second, { relationId }, { app } or { unit }, got ${describeValue(options)}`,
    );
  }
  const { relationId: relation, app, unit, ...tool } = options;
  if (relation === undefined && app === undefined && unit === undefined) {
    throw new TypeError('secretRevoke() takes { relationId }, { app } or { unit }, got none of them');
  }
  if (app !== undefined && (typeof app !== 'string' || !APPLICATION.test(app))) {
    throw new TypeError(
      `secretRevoke() app must be an application name such as "postgresql", got ${describeValue(app)}`,
    );
  }
  if (unit !== undefined && (typeof unit !== 'string' || !UNIT.test(unit))) {
    throw new TypeError(
      `secretRevoke() unit must be a unit name such as "postgresql/0", got ${describeValue(unit)}`,
    );
  }
  // In a relation hook, -r defaults to the hook's relation (jujuc NewRelationIdValue), and
  // secret-revoke refuses --app beside a relation.
  const env = (options as SecretRevokeOptions).env ?? hookEnv();
  const hookRelation = env.JUJU_RELATION_ID ?? '';
  let byApp = app;
  if (app !== undefined && relation === undefined && hookRelation !== '') {
    if (app !== env.JUJU_REMOTE_APP) {
      throw new TypeError(
        `secretRevoke() { app: "${app}" } cannot run in this relation hook: Juju's secret-revoke revokes the hook's relation (${hookRelation}, application ${env.JUJU_REMOTE_APP ?? 'unknown'}) unless told another, and refuses --app beside it; pass the relationId of a relation with ${app}`,
      );
    }
    byApp = undefined;
  }
  const args = [
    ...(relation === undefined ? [] : ['-r', relationId(relation, 'secretRevoke()')]),
    ...(byApp === undefined ? [] : [`--app=${byApp}`]),
    ...(unit === undefined ? [] : [`--unit=${unit}`]),
    '--',
    secretId(id, 'secretRevoke()'),
  ];
  await run('secret-revoke', args, tool);
}

/**
 * The ids of the secrets this unit owns, its application's included (`secret-ids`), as Juju
 * prints them (the bare id).
 *
 * @example
 * ```ts
 * const ids = await secretIds();
 * ```
 */
export async function secretIds(options?: HookToolOptions): Promise<string[]> {
  return ((await json('secret-ids', [], options)) ?? []) as string[];
}

/** Options of {@link secretInfoGet}: the secret's id, or its label. */
export interface SecretInfoGetOptions extends HookToolOptions {
  /** The secret's id. */
  id?: string;
  /** Or its label. */
  label?: string;
}

/** A secret's metadata, as its owner sees it. */
export interface SecretInfo {
  /** The bare id, as Juju keys it. */
  id: string;
  /** The latest revision. */
  revision: number;
  /** The owner's label. */
  label?: string;
  /** `'application'` or `'unit'`. */
  owner: string;
  /** Its description. */
  description?: string;
  /** Its rotation policy. */
  rotation?: SecretRotate;
  /** When its latest revision expires. */
  expiry?: Date;
  /** When it is next to be rotated. */
  rotates?: Date;
  /** Who may read it. */
  access?: SecretAccess[];
}

/** A grant of a secret, in {@link SecretInfo}. */
export interface SecretAccess {
  /** Who: a Juju tag, such as `'application-postgresql'` or `'unit-postgresql-0'`. */
  target: string;
  /** Through what: a relation's tag. */
  scope: string;
  /** What they may do: `'view'`. */
  role: string;
}

/**
 * The metadata of a secret this unit owns (`secret-info-get`), by id or by label.
 *
 * @example
 * ```ts
 * const { revision } = await secretInfoGet({ label: 'db-password' });
 * ```
 */
export async function secretInfoGet(options: SecretInfoGetOptions): Promise<SecretInfo> {
  if (!isObject(options) || (options.id === undefined) === (options.label === undefined)) {
    throw new TypeError(
      `secretInfoGet() takes { id } or { label } (one of them), got ${describeValue(options)}`,
    );
  }
  const { id: given, label, ...tool } = options;
  const args =
    given === undefined
      ? [`--label=${text(label, 'secretInfoGet() label')}`]
      : ['--', secretId(given, 'secretInfoGet()')];
  const raw = ((await json('secret-info-get', args, tool)) ?? {}) as Record<string, Record<string, unknown>>;
  const [[id, info] = ['', {}]] = Object.entries(raw);
  const date = (value: unknown): Date | undefined =>
    typeof value === 'string' && value !== '' ? new Date(value) : undefined;
  const expiry = date(info.expiry);
  const rotates = date(info.rotates);
  return {
    id,
    revision: Number(info.revision),
    ...(typeof info.label === 'string' && info.label !== '' ? { label: info.label } : {}),
    owner: String(info.owner),
    ...(typeof info.description === 'string' ? { description: info.description } : {}),
    ...(typeof info.rotation === 'string' ? { rotation: info.rotation as SecretRotate } : {}),
    ...(expiry === undefined ? {} : { expiry }),
    ...(rotates === undefined ? {} : { rotates }),
    ...(Array.isArray(info.access) ? { access: info.access as SecretAccess[] } : {}),
  };
}
