// The world of one simulated unit: what `HookToolsSimulator.create()` declares and what hooks
// change. Plain data, so that a hook's changes can be kept aside and put back when it fails.

/**
 * A status as Juju holds it.
 *
 * @internal
 */
export interface StatusRecord {
  status: string;
  message: string;
}

/**
 * A relation as the model holds it, ids and defaults filled in.
 *
 * @internal
 */
export interface Relation {
  endpoint: string;
  id: number;
  remoteApp: string;
  remoteUnits: Record<string, Record<string, string>>;
  remoteAppData: Record<string, string>;
  localUnitData: Record<string, string>;
  localAppData: Record<string, string>;
  /** The UUID of the remote application's model, when it is another model's (cross-model). */
  remoteModelUuid?: string;
}

/**
 * A port range the unit opened, on one endpoint (`''`: all of them), as Juju's
 * `network.PortRange` holds it (`icmp` has no ports: -1 to -1).
 *
 * @internal
 */
export interface PortRecord {
  endpoint: string;
  protocol: string;
  from: number;
  to: number;
}

/**
 * A secret this unit owns (`owner`) or was granted (`owner: null`), with its revisions.
 *
 * @internal
 */
export interface SecretRecord {
  /** The secret's id, 20 characters of Juju's xid alphabet. */
  id: string;
  owner: 'application' | 'unit' | null;
  /** The owner's label, or for a granted secret the label this unit gave it. */
  label?: string;
  description?: string;
  /** RFC 3339, UTC. */
  expire?: string;
  rotate?: string;
  /** Content by revision number. */
  revisions: Record<string, Record<string, string>>;
  latest: number;
  /** The revision this unit reads, once it read one (Juju tracks it per unit). */
  tracked?: number;
  /** Who was granted it: an application or a unit, on a relation. */
  grants: { relation: number; target: string }[];
}

/**
 * A storage instance attached to the unit, such as `data/0`.
 *
 * @internal
 */
export interface StorageRecord {
  name: string;
  index: number;
  kind: string;
  location: string;
}

/**
 * What `network-get` answers for a binding.
 *
 * @internal
 */
export interface NetworkRecord {
  bindAddresses: {
    macAddress: string;
    interfaceName: string;
    addresses: { hostname: string; value: string; cidr: string }[];
  }[];
  ingressAddresses: string[];
  egressSubnets: string[];
}

import type { ContainerRecord } from './state/containers.js';

/**
 * What the unit's world holds.
 *
 * @internal
 */
export interface World {
  leader: boolean;
  unitName: string;
  /** The unit's status, as set; `null` until the charm sets one. */
  unit: StatusRecord | null;
  /** The application's status, as set by the leader; `null` until then. */
  application: StatusRecord | null;
  config: Record<string, unknown>;
  relations: Relation[];
  /** The unit's server-side state (`state-get`, `state-set`). */
  charmState: Record<string, string>;
  /** The parameters `runAction` gives an action when it is given none. */
  actionParams: Record<string, unknown>;
  /** The port ranges the unit opened (`open-port`, `close-port`, `opened-ports`). */
  ports: PortRecord[];
  /** The workload version the unit reports (`application-version-set`); `''` until set. */
  workloadVersion: string;
  /** What `network-get` answers, by binding; a binding not here gets {@link defaultNetwork}. */
  networks: Record<string, NetworkRecord>;
  secrets: SecretRecord[];
  storage: StorageRecord[];
  /** The path `resource-get` answers, by resource name. */
  resources: Record<string, string>;
  /** What `credential-get` answers; `null` where the application is not trusted. */
  credential: Record<string, unknown> | null;
  modelUuid: string;
  /** The workload containers, each with its Pebble, by name (a Kubernetes charm's). */
  containers: Record<string, ContainerRecord>;
  /** The charm's declared storage, where its metadata is known; else `null`. */
  storageTypes: Record<string, { type: string; location?: string }> | null;
  /** The charm's endpoints and extra bindings, where its metadata is known; else `null`. */
  bindings: string[] | null;
  /** When the world was made, for `goal-state`'s `since`. */
  since: string;
  /**
   * Where this simulator's storage instances live unless a test names a location: a folder of
   * its own, so that a charm run in the test's process never writes where the charm's declared
   * location is on the test machine.
   */
  storageRoot: string;
}

/**
 * The network every binding has unless `create({ networks })` declares its own: one address
 * on one interface, as a unit on a machine with one NIC sees it.
 *
 * @internal
 */
export function defaultNetwork(): NetworkRecord {
  return {
    bindAddresses: [
      {
        macAddress: '00:16:3e:00:00:01',
        interfaceName: 'eth0',
        addresses: [{ hostname: '', value: '10.0.0.10', cidr: '10.0.0.0/24' }],
      },
    ],
    ingressAddresses: ['10.0.0.10'],
    egressSubnets: ['10.0.0.10/32'],
  };
}

/**
 * What Juju holds for one hook while it runs, by `JUJU_CONTEXT_ID`.
 *
 * @internal
 */
export interface HookState {
  /** The hook's name, for `unitStatus` (Juju's own status during `install`). */
  readonly hook: string;
  /** The action's parameters, in an action. */
  readonly actionParams?: Record<string, unknown>;
  /** In relation-departed: the unit leaving, which `relation-list` no longer lists. */
  readonly departing?: { readonly id: number; readonly unit: string };
  /** In relation-broken: the relation ending, which is gone once the hook ends. */
  readonly broken?: number;
  /** The unit's status as the hook's first `status-get` found it: Juju answers the same after. */
  unitRead?: StatusRecord;
  /** In a storage hook: the storage instance it is about (`JUJU_STORAGE_ID`). */
  readonly storage?: string;
  /**
   * Each secret's latest revision when the hook began: what a first read answers, as this
   * hook's own new revisions are Juju's only once it commits.
   */
  committedRevisions?: Readonly<Record<string, number>>;
  /** Storage `storage-add` asked for, by name: added when the hook commits. */
  storageAdds?: Record<string, number>;
  /** The port ranges open when the hook began (`close-port` checks conflicts against them). */
  committedPorts?: readonly PortRecord[];
  /**
   * Secrets `secret-remove` asked to remove, by id: the revisions, or `'all'`; removed when the
   * hook commits (until then the hook still reads them, and its metadata no longer lists them).
   */
  secretRemovals?: Record<string, number[] | 'all'>;
  /**
   * Changes the hook made that Juju records without complaint and the controller refuses when
   * the hook commits them (`Flush`): a hook that exits 0 with one of these fails, keeping none
   * of its changes.
   */
  refusals?: string[];
  /** What `juju-reboot` asked for. */
  reboot?: 'after-hook' | 'now';
  /** Ends the hook's process now, as Juju does for `juju-reboot --now`. */
  readonly kill?: (why: string) => void;
}

/**
 * The application's name of a unit: `webapp` of `webapp/0`.
 *
 * @internal
 */
export function applicationName(world: World): string {
  return world.unitName.split('/')[0] ?? world.unitName;
}

/**
 * What a failed hook does to each part of the world: `'kept'` (Juju applied it at once, or a
 * hook cannot change it), `'discarded'` (Juju writes it only when the hook succeeds:
 * `Flush` in internal/worker/uniter/runner/context/context.go runs `doFlush` only for a hook
 * that returned no error), or a function that puts back what the failed hook changed. A part
 * added to {@link World} without an entry here does not compile.
 *
 * @internal
 */
export const FAILED_HOOK: {
  readonly [K in keyof World]: 'kept' | 'discarded' | ((now: World, before: World) => void);
} = {
  leader: 'kept',
  unitName: 'kept',
  // status-set takes effect at once (the uniter's StatusSet calls the API in the hook).
  unit: 'kept',
  application: 'kept',
  config: 'kept',
  // Membership is Juju's, not the hook's; only this unit's and its application's settings are
  // the hook's (relation-set, written by doFlush).
  relations: (now, before) => {
    for (const relation of now.relations) {
      const was = before.relations.find((r) => r.id === relation.id);
      if (was === undefined) continue;
      relation.localUnitData = was.localUnitData;
      relation.localAppData = was.localAppData;
    }
  },
  charmState: 'discarded',
  actionParams: 'kept',
  ports: 'discarded',
  // application-version-set calls the API at once (jujuc application-version-set.go, Run).
  workloadVersion: 'kept',
  networks: 'kept',
  secrets: 'discarded',
  // storage-add is held in the hook's state and added by doFlush: nothing to put back here.
  storage: 'kept',
  resources: 'kept',
  credential: 'kept',
  // Pebble applies each call at once, in the workload container: a failed hook undoes none.
  containers: 'kept',
  modelUuid: 'kept',
  storageTypes: 'kept',
  bindings: 'kept',
  since: 'kept',
  storageRoot: 'kept',
};
