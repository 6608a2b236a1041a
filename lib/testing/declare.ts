// The world as a test declares it, built and changed: the world `create()` starts from, a
// relation added, replaced or removed between hooks, and a charm's metadata learned at its
// first run through `dispatch`. The simulator's verbs delegate here.

import { join } from 'node:path';

import { describeValue } from '../describe.js';
import { RELATION_ID } from '../juju/names.js';
import { checkOptions, isPlainObject } from '../options.js';
import type { StatusBase } from '../index.js';
import { MODEL_UUID } from './environment.js';
import { type Metadata, configOf } from './metadata.js';
import { checkEndpoint, checkPeer, missingPeers } from './state/relations.js';
import {
  RELATION_OPTIONS,
  type SIMULATOR_OPTIONS,
  type SimulatedRelation,
  cloned,
  normalize,
  relationNumber,
} from './options.js';
import type { Checked } from '../options.js';
import { checkContainer } from './state/containers.js';
import { declaredWorld } from './state/index.js';
import { type World, applicationName } from './world.js';

/**
 * The world `create()` starts from: the options checked, held to the charm's metadata where it
 * is known, the unit's files under `root`.
 *
 * @internal
 */
export function worldOf(
  checked: Checked<typeof SIMULATOR_OPTIONS>,
  metadata: Metadata | undefined,
  root: string,
): World {
  const {
    leader = false,
    // The charm's name names its application, as a deployed charm's does by default.
    unitName = `${metadata?.name ?? 'app'}/0`,
    config = {},
    relations = [],
    state = {},
    actionParams = {},
  } = checked;
  return {
    leader,
    unitName,
    unit: checked.unitStatus === undefined ? null : record(checked.unitStatus),
    application: checked.applicationStatus === undefined ? null : record(checked.applicationStatus),
    config: metadata === undefined ? cloned(config, 'config') : configOf(metadata, cloned(config, 'config')),
    // The peer relations Juju makes at deploy, where the test declares none.
    relations: normalize([
      ...relations,
      ...(metadata === undefined
        ? []
        : missingPeers(metadata, relations, unitName.split('/')[0] ?? unitName)),
    ]).map((r, i) => {
      if (metadata !== undefined) {
        checkEndpoint(metadata, r.endpoint, 'create() relations');
        checkPeer(metadata, r, relations[i] ?? {}, unitName, 'create() relations');
      }
      return r;
    }),
    charmState: { ...state },
    actionParams: cloned(actionParams, 'actionParams'),
    ...declaredWorld(checked, metadata, join(root, 'storage')),
    modelUuid: MODEL_UUID,
    storageRoot: join(root, 'storage'),
    since: new Date()
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d{3}Z$/, 'Z'),
  };
}

/**
 * Adds or replaces relation `id` (`'database:1'`), keeping what this side wrote unless given.
 *
 * @throws TypeError for what `create({ relations })` refuses.
 * @internal
 */
export function replaceRelation(
  world: World,
  metadata: Metadata | undefined,
  id: string,
  remoteUnits: Record<string, Record<string, string>>,
  more: Omit<SimulatedRelation, 'endpoint' | 'id' | 'remoteUnits'>,
): void {
  const match = typeof id === 'string' ? RELATION_ID.exec(id) : null;
  if (match === null) {
    throw new TypeError(`setRelation() takes a relation id such as "database:1", got ${describeValue(id)}`);
  }
  if (!isPlainObject(more)) {
    throw new TypeError(
      `setRelation() takes, third, { remoteApp?, remoteAppData?, localUnitData?, localAppData? }, got ${describeValue(more)}`,
    );
  }
  const declared = checkOptions(
    { endpoint: match[1], id: Number(match[2]), remoteUnits, ...more },
    'setRelation() relation',
    RELATION_OPTIONS,
  );
  if (metadata !== undefined) checkEndpoint(metadata, match[1] ?? '', 'setRelation()');
  const [relation] = normalize([{ ...declared, endpoint: match[1] ?? '' }]);
  if (relation === undefined) return;
  if (metadata !== undefined) checkPeer(metadata, relation, more, world.unitName, 'setRelation()');
  const kept = world.relations.find((r) => r.id === relation.id);
  world.relations = [
    ...world.relations.filter((r) => r.id !== relation.id),
    {
      ...relation,
      localUnitData: more.localUnitData === undefined && kept ? kept.localUnitData : relation.localUnitData,
      localAppData: more.localAppData === undefined && kept ? kept.localAppData : relation.localAppData,
    },
  ];
}

/**
 * Removes relation `id` (`'database:1'` or `1`), as when it is broken.
 *
 * @throws TypeError for an id in neither form, or of no relation here.
 * @internal
 */
export function dropRelation(world: World, id: string | number): void {
  const number = relationNumber(id);
  const found = world.relations.find(
    (r) => r.id === number && (typeof id === 'number' || id === `${r.endpoint}:${String(r.id)}`),
  );
  if (found === undefined) {
    const ids = world.relations.map((r) => `${r.endpoint}:${String(r.id)}`);
    throw new TypeError(
      `removeRelation() takes the id of a relation here, such as "database:1" or 1, got ${describeValue(id)}: the relations are ${ids.length === 0 ? 'none' : ids.join(', ')}`,
    );
  }
  world.relations = world.relations.filter((r) => r !== found);
}

/**
 * What a charm's metadata, learned at its first run through `dispatch`, changes in the world:
 * its configuration's defaults, its peer relations, its bindings and storage; and what it
 * refuses (relations and containers it does not declare).
 *
 * @internal
 */
export function learnMetadata(world: World, metadata: Metadata): void {
  world.config = configOf(metadata, world.config);
  for (const r of world.relations) {
    checkEndpoint(metadata, r.endpoint, 'the relations');
    checkPeer(metadata, r, {}, world.unitName, 'the relations');
  }
  // The peer relations Juju made at deploy, which the world declared none of.
  world.relations.push(...normalize(missingPeers(metadata, world.relations, applicationName(world))));
  for (const name of Object.keys(world.containers)) checkContainer(name, metadata, 'the containers');
  world.bindings = [...Object.keys(metadata.endpoints), ...metadata.extraBindings];
  world.storageTypes = { ...metadata.storage };
}

function record(status: StatusBase): { status: string; message: string } {
  return { status: status.name, message: status.message };
}
