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
