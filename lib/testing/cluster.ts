// The units of one application as Juju's controller links them: the relation data each unit
// committed and its application's data (published when a hook commits, as `doFlush` writes
// them), the application's status, leadership, and, for each unit, what its uniter has seen
// so far, from which the next hook Juju would queue on it follows.
//
// The order of a unit's hooks follows Juju's uniter: after `install`, `relation-created` for
// each relation (createdRelationsResolver in internal/worker/uniter/relation/resolver.go),
// `leader-elected` on the leader, `config-changed`, `start`; then, relation by relation,
// `nextHookForRelation` in the same file: the `relation-changed` a `relation-joined` left
// pending, the units that left (`relation-departed`, naming the local unit as departing when
// it is the one dying), `relation-broken` (never for a peer relation), the application data
// (`relation-changed` with no remote unit), the units that joined, the units whose data
// changed. A dying unit then runs `stop` and `remove`.

import type { ApplicationLink, JujuModel } from './model.js';
import { unitStatus } from './tools/status.js';
import type { HookState, Relation, StatusRecord } from './world.js';

/**
 * A hook Juju would run next on a unit, with what its uniter learns once it succeeded.
 *
 * @internal
 */
export interface Queued {
  readonly hook: string;
  /** For messages: `cluster-relation-changed (webapp/0)`. */
  readonly label: string;
  readonly state: Omit<HookState, 'hook'>;
  readonly env: Record<string, string>;
  /** Before the hook: a unit joining becomes a member the hook can list and read. */
  readonly before?: () => void;
  /** After the hook succeeded: what the unit's uniter now knows. */
  readonly done: () => void;
}

/** What a unit's uniter has seen of one relation (the uniter's relation `State`). */
interface Seen {
  created: boolean;
  /** Each remote member joined, with the version of its data last seen. */
  members: Map<string, number>;
  /** The version of the remote application's data last seen (0: none ever set). */
  app: number;
  /** A unit joined whose `relation-changed` comes next (`ChangedPending`). */
  pending?: string | undefined;
}

/** A published data bag: its content, and a version that changes whenever it does. */
interface Published {
  json: string;
  data: Record<string, string>;
  version: number;
}

/**
 * One unit of the application: its model, and what its uniter has seen.
 *
 * @internal
 */
export class Member {
  readonly name: string;
  readonly number: number;
  readonly model: JujuModel;
  installed: boolean;
  started: boolean;
  dying = false;
  stopped = false;
  leaderSeen: boolean;
  config: number;
  readonly seen = new Map<number, Seen>();
  /** A hook that failed: Juju retries it, and runs nothing else on the unit until it succeeds. */
  held: Queued | undefined;

  constructor(name: string, model: JujuModel, deployed: boolean, config: number) {
    this.name = name;
    this.number = Number(name.slice(name.lastIndexOf('/') + 1));
    this.model = model;
    this.installed = deployed;
    this.started = deployed;
    this.leaderSeen = deployed && model.world.leader;
    this.config = deployed ? config : 0;
  }
}

/**
 * The relations of the application that are not peer relations: their remote side, as
 * declared (it does not change while the test runs).
 */
interface Remote {
  readonly endpoint: string;
  readonly app: string;
  readonly units: Record<string, Record<string, string>>;
  readonly appData: Record<string, string>;
}

/** @internal */
export class Cluster {
  readonly app: string;
  /** The units, alive or dying, by unit number. */
  readonly members: Member[] = [];
  /** Peer relations by id, with their endpoint. */
  readonly peers = new Map<number, string>();
  readonly remote = new Map<number, Remote>();
  /** The configuration's version: `config-changed` follows a change. */
  config = 1;
  readonly #unitData = new Map<string, Published>();
  readonly #appData = new Map<number, Published>();

  constructor(app: string) {
    this.app = app;
  }

  /** The leader, if a unit is. */
  get leader(): Member | undefined {
    return this.members.find((m) => m.model.world.leader);
  }

  /**
   * Links a unit in: its tools reach the others through the application, and its commits are
   * published. It has seen nothing yet: {@link formed} says otherwise for the units deployed
   * with the application.
   */
  add(member: Member): void {
    this.members.push(member);
    this.members.sort((a, b) => a.number - b.number);
    member.model.link = this.#linkOf(member);
  }

  /**
   * The units deployed with the application have settled: each has published its data and
   * seen every other unit's, as a test declares the world a hook finds.
   */
  formed(): void {
    for (const member of this.members) {
      for (const r of member.model.world.relations) {
        this.#publish(this.#unitData, `${String(r.id)} ${member.name}`, r.localUnitData);
        if (member.model.world.leader) this.#publish(this.#appData, r.id, r.localAppData);
      }
    }
    for (const member of this.members) {
      for (const r of member.model.world.relations) {
        const seen: Seen = { created: true, members: this.#remoteMembers(member, r.id), app: 0 };
        seen.app = this.#remoteApp(member, r.id)?.version ?? 0;
        member.seen.set(r.id, seen);
      }
    }
  }

  /** The application's data of relation `id`, as published. */
  appData(id: number): Record<string, string> {
    return { ...(this.#appData.get(id)?.data ?? {}) };
  }

  /** A unit's data on relation `id`, as published. */
  unitData(id: number, unit: string): Record<string, string> {
    return { ...(this.#unitData.get(`${String(id)} ${unit}`)?.data ?? {}) };
  }

  /** Every unit with its status, the leader first, then by number (the order ties go in). */
  units(): { unit: string; status: StatusRecord }[] {
    const leader = this.leader;
    return [...(leader === undefined ? [] : [leader]), ...this.members.filter((m) => m !== leader)].map(
      (m) => ({ unit: m.name, status: unitStatus(m.model.world) }),
    );
  }

  /** The next hook Juju would run on `member`, if any. */
  next(member: Member): Queued | undefined {
    if (member.held !== undefined) return undefined;
    const world = member.model.world;
    if (!member.installed) return plain('install', () => (member.installed = true));
    const relations = [...world.relations].sort((a, b) => a.id - b.id);
    if (!member.dying) {
      for (const r of relations) {
        const seen = this.#seen(member, r.id);
        if (!seen.created) return this.#relationHook(r, 'created', '', () => (seen.created = true));
      }
      if (world.leader && !member.leaderSeen)
        return plain('leader-elected', () => (member.leaderSeen = true));
      const version = this.config;
      if (member.config !== version) return plain('config-changed', () => (member.config = version));
      if (!member.started) return plain('start', () => (member.started = true));
    }
    for (const r of relations) {
      const queued = this.#nextForRelation(member, r);
      if (queued !== undefined) return queued;
    }
    if (member.dying && !member.stopped) return plain('stop', () => (member.stopped = true));
    if (member.dying)
      return plain('remove', () => {
        this.#remove(member);
      });
    return undefined;
  }

  /** nextHookForRelation (internal/worker/uniter/relation/resolver.go), for one relation. */
  #nextForRelation(member: Member, r: Relation): Queued | undefined {
    const seen = this.#seen(member, r.id);
    const remote = this.#remoteMembers(member, r.id);
    const app = this.#remoteApp(member, r.id);
    if (seen.pending !== undefined) {
      const unit = seen.pending;
      const version = remote.get(unit) ?? seen.members.get(unit) ?? 0;
      return this.#relationHook(r, 'changed', unit, () => {
        seen.pending = undefined;
        seen.members.set(unit, version);
      });
    }
    const all = [...new Set([...seen.members.keys(), ...remote.keys()])].sort(byUnit);
    for (const unit of all) {
      if (!seen.members.has(unit) || remote.has(unit)) continue;
      // The unit departing is this one when it is dying, else the remote unit.
      const departing = member.dying ? member.name : unit;
      return {
        ...this.#relationHook(r, 'departed', unit, () => seen.members.delete(unit)),
        state: { departing: { id: r.id, unit } },
        env: { ...relationVariables(r, unit), JUJU_DEPARTING_UNIT: departing },
      };
    }
    if (member.dying && !this.peers.has(r.id)) {
      return {
        ...this.#relationHook(r, 'broken', '', () => member.seen.delete(r.id)),
        state: { broken: r.id },
      };
    }
    if (app !== undefined && app.version !== seen.app) {
      const version = app.version;
      return this.#relationHook(r, 'changed', '', () => (seen.app = version));
    }
    for (const unit of all) {
      const version = remote.get(unit);
      if (version === undefined || seen.members.has(unit)) continue;
      return {
        ...this.#relationHook(r, 'joined', unit, () => {
          seen.members.set(unit, version);
          seen.pending = unit;
        }),
        before: () => {
          r.remoteUnits[unit] = this.#memberData(r.id, unit);
        },
      };
    }
    for (const unit of all) {
      const version = remote.get(unit);
      if (version === undefined || seen.members.get(unit) === version) continue;
      return this.#relationHook(r, 'changed', unit, () => seen.members.set(unit, version));
    }
    return undefined;
  }

  #relationHook(r: Relation, kind: string, unit: string, done: () => void): Queued {
    const hook = `${r.endpoint}-relation-${kind}`;
    return {
      hook,
      label: unit === '' ? hook : `${hook} (${unit})`,
      state: {},
      env: relationVariables(r, unit),
      done,
    };
  }

  #seen(member: Member, id: number): Seen {
    let seen = member.seen.get(id);
    if (seen === undefined) member.seen.set(id, (seen = { created: false, members: new Map(), app: 0 }));
    return seen;
  }

  /** The remote members of relation `id` as the controller has them for `member`. */
  #remoteMembers(member: Member, id: number): Map<string, number> {
    // A dying unit's relations are seen empty: it departs every member (resolver.go, NextOp).
    if (member.dying) return new Map();
    if (this.peers.has(id)) {
      return new Map(
        this.members
          .filter((m) => m !== member && !m.dying)
          .map((m) => [m.name, this.#unitData.get(`${String(id)} ${m.name}`)?.version ?? 0]),
      );
    }
    return new Map(Object.keys(this.remote.get(id)?.units ?? {}).map((u) => [u, 0]));
  }

  /** The remote application's data version on relation `id`, for `member`. */
  #remoteApp(member: Member, id: number): { version: number } | undefined {
    if (member.dying) return undefined;
    if (this.peers.has(id)) return { version: this.#appData.get(id)?.version ?? 0 };
    const remote = this.remote.get(id);
    return { version: Object.keys(remote?.appData ?? {}).length > 0 ? 1 : 0 };
  }

  /** What a unit joining relation `id` brings: its data, as published. */
  #memberData(id: number, unit: string): Record<string, string> {
    if (this.peers.has(id)) return this.unitData(id, unit);
    return { ...(this.remote.get(id)?.units[unit] ?? {}) };
  }

  #linkOf(member: Member): ApplicationLink {
    return {
      units: () => this.units(),
      applicationSet: (status) => {
        for (const m of this.members) m.model.world.application = { ...status };
      },
      committed: () => {
        this.#committed(member);
      },
    };
  }

  /**
   * A hook of `member` ended: the relation data it committed is published (doFlush writes a
   * hook's settings only when it succeeded; a failed one's were put back already), each unit
   * that has it as a member reads the new data, and every unit reads the application's data as
   * the leader last committed it.
   */
  #committed(member: Member): void {
    const world = member.model.world;
    for (const r of world.relations) {
      const key = `${String(r.id)} ${member.name}`;
      if (this.#publish(this.#unitData, key, r.localUnitData) && this.peers.has(r.id)) {
        for (const other of this.members) {
          const theirs = other.model.world.relations.find((x) => x.id === r.id);
          if (other !== member && theirs !== undefined && Object.hasOwn(theirs.remoteUnits, member.name))
            theirs.remoteUnits[member.name] = { ...r.localUnitData };
        }
      }
      if (world.leader) this.#publish(this.#appData, r.id, r.localAppData);
    }
    for (const other of this.members) {
      if (other.model.world.leader) continue;
      for (const r of other.model.world.relations) r.localAppData = this.appData(r.id);
    }
  }

  /** Publishes `data` under `key`; whether it changed. */
  #publish<K>(into: Map<K, Published>, key: K, data: Record<string, string>): boolean {
    const json = JSON.stringify(Object.entries(data).sort(([a], [b]) => (a < b ? -1 : 1)));
    const was = into.get(key);
    if (was?.json === json) return false;
    if (was === undefined && json === '[]') return false;
    into.set(key, { json, data: { ...data }, version: (was?.version ?? 0) + 1 });
    return true;
  }

  #remove(member: Member): void {
    this.members.splice(this.members.indexOf(member), 1);
    member.model.link = undefined;
  }
}

function plain(hook: string, done: () => void): Queued {
  return { hook, label: hook, state: {}, env: {}, done };
}

/** A relation hook's variables (HookVars), the remote unit `unit` (`''`: none). */
function relationVariables(r: Relation, unit: string): Record<string, string> {
  return {
    JUJU_RELATION: r.endpoint,
    JUJU_RELATION_ID: `${r.endpoint}:${String(r.id)}`,
    JUJU_REMOTE_APP: r.remoteApp,
    JUJU_REMOTE_UNIT: unit,
  };
}

/** Unit names in Juju's sorted order (`SortedValues`: by string). */
function byUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
