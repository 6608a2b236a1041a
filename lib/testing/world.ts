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
}

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
}

/**
 * The application's name of a unit: `webapp` of `webapp/0`.
 *
 * @internal
 */
export function applicationName(world: World): string {
  return world.unitName.split('/')[0] ?? world.unitName;
}
