// A hook's environment, as Juju builds it, in one place: from scratch (`HookVars` in
// internal/worker/uniter/runner/context/context.go and, on Ubuntu, `ubuntuEnv` in env.go), the
// hook's own variables (relation, storage, action), the tools first on PATH, and nothing else
// of the process that runs the hook.

import { delimiter } from 'node:path';

import { relationNumber, type HookRelation } from './options.js';
import type { World } from './world.js';

/** The simulated model's UUID (`JUJU_MODEL_UUID`). */
export const MODEL_UUID = '00000000-0000-4000-8000-000000000000';

const RELATION_HOOK = /^(.+)-relation-(created|joined|changed|departed|broken)$/;
const STORAGE_HOOK = /^(.+)-storage-(?:attached|detaching)$/;

/**
 * The variables every hook of the unit has: its name, its charm folder, the model, Juju's
 * version; the tools' folder `bin` first on PATH (the agent's own PATH after it: here the
 * test's). The socket's address is added once it listens.
 *
 * @internal
 */
export function unitEnvironment(unitName: string, charmDir: string, bin: string): Record<string, string> {
  return {
    CHARM_DIR: charmDir,
    JUJU_CHARM_DIR: charmDir,
    JUJU_CONTEXT_ID: `${unitName}-simulated`,
    JUJU_HOOK_NAME: '',
    JUJU_UNIT_NAME: unitName,
    JUJU_MODEL_UUID: MODEL_UUID,
    JUJU_MODEL_NAME: 'simulated',
    JUJU_API_ADDRESSES: '',
    JUJU_SLA: 'unsupported',
    JUJU_MACHINE_ID: '0',
    JUJU_PRINCIPAL_UNIT: '',
    JUJU_AVAILABILITY_ZONE: '',
    JUJU_VERSION: '3.6.0',
    CLOUD_API_VERSION: '',
    JUJU_CHARM_HTTP_PROXY: '',
    JUJU_CHARM_HTTPS_PROXY: '',
    JUJU_CHARM_FTP_PROXY: '',
    JUJU_CHARM_NO_PROXY: '',
    APT_LISTCHANGES_FRONTEND: 'none',
    DEBIAN_FRONTEND: 'noninteractive',
    LANG: 'C.UTF-8',
    TERM: 'tmux-256color',
    PATH: [bin, process.env.PATH ?? ''].filter(Boolean).join(delimiter),
  };
}

/** The endpoint of a relation hook (`database` of `database-relation-changed`), if it is one. */
export function relationEndpoint(hook: string): string | undefined {
  return RELATION_HOOK.exec(hook)?.[1];
}

/**
 * A relation hook's variables. `HookVars` exports `JUJU_RELATION`, `JUJU_RELATION_ID`,
 * `JUJU_REMOTE_APP` and `JUJU_REMOTE_UNIT` in every relation hook, the last empty where the hook
 * is about no unit (relation-created, relation-broken), and `JUJU_DEPARTING_UNIT` in
 * relation-departed. Juju runs a relation hook only for a relation that exists: one whose
 * endpoint has no relation here is refused.
 *
 * @throws TypeError for a relation option on another hook, a relation not in the world, or a
 *   remote unit on a hook about none.
 * @internal
 */
export function relationEnvironment(
  world: World,
  hook: string,
  relation: HookRelation | undefined,
): Record<string, string> {
  const match = RELATION_HOOK.exec(hook);
  if (match === null) {
    if (relation !== undefined)
      throw new TypeError(`runHook() relation is for relation hooks (<endpoint>-relation-…), not ${hook}`);
    return {};
  }
  const [, endpoint = '', kind = ''] = match;
  const ids = world.relations.map((r) => `${r.endpoint}:${String(r.id)}`);
  const there = ids.length === 0 ? 'there are none' : `there are ${ids.join(', ')}`;
  const found =
    relation === undefined
      ? world.relations.find((r) => r.endpoint === endpoint)
      : world.relations.find((r) => r.id === relationNumber(relation.id));
  if (found === undefined) {
    throw new TypeError(
      relation === undefined
        ? `runHook() ${hook}: Juju runs a relation hook only on a relation, and no relation on ${endpoint} is declared (${there}); declare one in create({ relations }) or setRelation()`
        : `runHook() relation ${String(relation.id)} was not declared (${there}): declare it in create({ relations }) or setRelation()`,
    );
  }
  if (found.endpoint !== endpoint) {
    throw new TypeError(
      `runHook() ${hook} is about a relation on ${endpoint}, but relation ${String(relation?.id)} is on ${found.endpoint}`,
    );
  }
  const unitless = kind === 'created' || kind === 'broken';
  if (unitless && relation?.remoteUnit !== undefined) {
    throw new TypeError(`runHook() relation.remoteUnit: a relation-${kind} hook is about no remote unit`);
  }
  const remoteUnit = unitless ? '' : (relation?.remoteUnit ?? Object.keys(found.remoteUnits).sort()[0] ?? '');
  return {
    JUJU_RELATION: found.endpoint,
    JUJU_RELATION_ID: `${found.endpoint}:${String(found.id)}`,
    JUJU_REMOTE_APP: found.remoteApp,
    JUJU_REMOTE_UNIT: remoteUnit,
    ...(kind === 'departed' && remoteUnit !== '' ? { JUJU_DEPARTING_UNIT: remoteUnit } : {}),
  };
}

/**
 * A storage hook's variables (HookVars: `JUJU_STORAGE_ID`, `_LOCATION`, `_KIND`), for the first
 * instance of the hook's storage the unit has.
 *
 * @throws TypeError for a storage hook on storage the unit has none of.
 * @internal
 */
export function storageEnvironment(world: World, hook: string): Record<string, string> {
  const name = STORAGE_HOOK.exec(hook)?.[1];
  if (name === undefined) return {};
  const storage = world.storage.find((s) => s.name === name);
  if (storage === undefined) {
    throw new TypeError(
      `runHook() ${hook} is about storage ${name}, which the unit has none of: declare it in create({ storage })`,
    );
  }
  return {
    JUJU_STORAGE_ID: `${storage.name}/${String(storage.index)}`,
    JUJU_STORAGE_LOCATION: storage.location,
    JUJU_STORAGE_KIND: storage.kind,
  };
}

const WORKLOAD_HOOK = /^(.+)-pebble-(ready|check-failed|check-recovered|custom-notice)$/;

/**
 * A workload hook's variables (HookVars: `JUJU_WORKLOAD_NAME`; `JUJU_PEBBLE_CHECK_NAME` for a
 * check's hooks; `JUJU_NOTICE_ID`, `_TYPE`, `_KEY` for a custom notice's). Juju runs them for a
 * container the charm has; a check or notice option on another hook is refused.
 *
 * @throws TypeError for a container the world has not, a missing or misplaced check or notice.
 * @internal
 */
export function workloadEnvironment(
  world: World,
  hook: string,
  options: { check?: string | undefined; notice?: string | undefined },
): Record<string, string> {
  const match = WORKLOAD_HOOK.exec(hook);
  if (match === null) {
    if (options.check !== undefined)
      throw new TypeError(
        `runHook() check is for <container>-pebble-check-failed and -check-recovered, not ${hook}`,
      );
    if (options.notice !== undefined)
      throw new TypeError(`runHook() notice is for <container>-pebble-custom-notice, not ${hook}`);
    return {};
  }
  const [, name = '', kind = ''] = match;
  const container = world.containers[name];
  if (container === undefined) {
    const names = Object.keys(world.containers);
    throw new TypeError(
      `runHook() ${hook} is about container ${name}, which the unit has not (${names.length === 0 ? 'no containers' : names.join(', ')}): declare it in create({ containers })`,
    );
  }
  const env: Record<string, string> = { JUJU_WORKLOAD_NAME: name };
  const checks = kind === 'check-failed' || kind === 'check-recovered';
  if (checks !== (options.check !== undefined)) {
    throw new TypeError(
      checks
        ? `runHook() ${hook} needs { check }: the name of the check it is about`
        : `runHook() check is for <container>-pebble-check-failed and -check-recovered, not ${hook}`,
    );
  }
  if (options.check !== undefined) env.JUJU_PEBBLE_CHECK_NAME = options.check;
  if ((kind === 'custom-notice') !== (options.notice !== undefined)) {
    throw new TypeError(
      kind === 'custom-notice'
        ? `runHook() ${hook} needs { notice }: the key of the notice it is about`
        : `runHook() notice is for <container>-pebble-custom-notice, not ${hook}`,
    );
  }
  if (options.notice !== undefined) {
    const notice = container.notices.find((n) => n.type === 'custom' && n.key === options.notice);
    if (notice === undefined) {
      throw new TypeError(
        `runHook() ${hook}: no custom notice ${JSON.stringify(options.notice)} is recorded in ${name}; declare it in the container's notices`,
      );
    }
    Object.assign(env, {
      JUJU_NOTICE_ID: notice.id,
      JUJU_NOTICE_TYPE: notice.type,
      JUJU_NOTICE_KEY: notice.key,
    });
  }
  return env;
}
