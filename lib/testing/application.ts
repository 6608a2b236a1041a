// An application of several units, tested whole: one simulator per unit, linked by the
// application (`cluster.ts`), and `settle()` running the hooks Juju would queue on each.

import { resolve } from 'node:path';

import { describeValue } from '../describe.js';
import { checkOptions, rule } from '../options.js';
import { StatusBase, type StatusName } from '../index.js';
import { Cluster, Member, type Queued } from './cluster.js';
import { type Metadata, readMetadata } from './metadata.js';
import { missingPeers } from './state/relations.js';
import {
  type Charm,
  NAME,
  SIMULATOR_OPTIONS,
  type SimulatedRelation,
  type SimulatorOptions,
  checkCharm,
  normalize,
} from './options.js';
import type { HookRun } from './run.js';
import { HookToolsSimulator, INTERNALS, type UnitInternals } from './simulator.js';
import { applicationStatus } from './tools/status.js';

/** Options of {@link SimulatedApplication.create}: the application before its hooks. */
export interface ApplicationOptions extends Omit<
  SimulatorOptions,
  'leader' | 'unitName' | 'unitStatus' | 'state'
> {
  /** How many units it has: `<app>/0`, `<app>/1`, … */
  units: number;
  /** Its leader: a unit number, or a unit name (default: the first unit). */
  leader?: number | string;
  /** The application's name (default: the charm's `name`, else `'app'`). */
  name?: string;
}

/** Options of {@link SimulatedApplication.settle}. */
export interface SettleOptions {
  /** At most this many runs (default 200): a charm whose units keep re-triggering each other fails. */
  maxRuns?: number;
}

/** One run `settle()` made: the hook's run, and on which unit, which hook. */
export interface SettledRun extends HookRun {
  /** The unit it ran on, such as `'webapp/1'`. */
  readonly unit: string;
  /** The hook, such as `'cluster-relation-changed'`. */
  readonly hook: string;
}

/**
 * `settle()` could not settle: a hook failed, or `maxRuns` was reached with hooks still queued.
 * Every run it made is in {@link runs}.
 */
export class SettleError extends Error {
  /** The class's name, for messages and logs. */
  override readonly name = 'SettleError';
  /** Every run settle() made, in order, the failed ones included. */
  readonly runs: readonly SettledRun[];
  /** The runs that failed: Juju would retry each, and run nothing else on that unit meanwhile. */
  readonly failed: readonly SettledRun[];
  /** What was still queued, by unit: `webapp/1: cluster-relation-changed (webapp/0)`. */
  readonly queued: readonly string[];

  /** @internal */
  constructor(message: string, runs: SettledRun[], failed: SettledRun[], queued: string[]) {
    super(message);
    this.runs = runs;
    this.failed = failed;
    this.queued = queued;
  }
}

const UNITS = rule<number>(
  'a whole number of units, 1 or more',
  (v) => typeof v === 'number' && Number.isInteger(v) && v >= 1,
);
const APPLICATION_OPTIONS = {
  ...SIMULATOR_OPTIONS,
  units: UNITS,
  leader: rule<number | string>(
    'a unit number such as 0, or a unit name such as "webapp/0"',
    (v) => (typeof v === 'number' && Number.isInteger(v) && v >= 0) || typeof v === 'string',
  ),
  name: rule<string>('an application name such as "webapp"', (v) => typeof v === 'string' && NAME.test(v)),
};
const PER_UNIT = ['unitName', 'unitStatus', 'state'] as const;
const SETTLE_OPTIONS = {
  maxRuns: UNITS,
};

/**
 * One application of several units sharing one model, as Juju runs them: the configuration,
 * each relation's application data, the peer relation (each unit reads the others' data; only
 * the leader writes the application's), leadership and the application's status. Each unit is
 * a {@link HookToolsSimulator} of its own ({@link unit}), with its own charm folder, unit state,
 * statuses, logs and calls, run in the test's process or through `dispatch` like any other.
 *
 * The units it is made with have formed: each is a member of the others' peer relation and
 * nothing is queued. {@link addUnit}, {@link removeUnit}, {@link setLeader}, {@link setConfig}
 * and the hooks the units commit change the world; {@link settle} then runs the hooks Juju
 * would queue on each unit, in Juju's order, until none is.
 *
 * @example
 * ```ts
 * import { SimulatedApplication } from 'charms-contextual-status/testing';
 * import { charm } from '../src/charm.js';
 *
 * const app = await SimulatedApplication.create({ units: 3, charmDir: '.' });
 * try {
 *   for (const name of app.units) await app.unit(name).runHook(charm, 'config-changed');
 *   await app.settle(charm);
 *   String(await app.status()); // 'active: Ready'
 * } finally {
 *   await app.cleanup();
 * }
 * ```
 */
export class SimulatedApplication {
  /** The application's name. */
  readonly name: string;
  readonly #cluster: Cluster;
  readonly #simulators = new Map<string, HookToolsSimulator>();
  readonly #base: SimulatorOptions;
  readonly #next: { number: number };
  #config: Record<string, unknown>;

  private constructor(name: string, cluster: Cluster, base: SimulatorOptions, units: number) {
    this.name = name;
    this.#cluster = cluster;
    this.#base = base;
    this.#config = base.config ?? {};
    this.#next = { number: units };
  }

  /**
   * Makes an application of `units` units, formed and settled, the leader as given.
   *
   * @throws TypeError (as a rejection) for options of the wrong shape, a leader that is not one
   *   of the units, or a peer relation declared with remote units (its units are the
   *   application's own).
   */
  static async create(options: ApplicationOptions): Promise<SimulatedApplication> {
    const checked = checkOptions(options, 'SimulatedApplication.create() options', APPLICATION_OPTIONS);
    for (const key of PER_UNIT) {
      if (checked[key] !== undefined)
        throw new TypeError(
          `SimulatedApplication.create() options: ${key} is each unit's own; set it on app.unit(n) or declare it per unit in a test of one unit`,
        );
    }
    if (checked.units === undefined) {
      throw new TypeError(
        'SimulatedApplication.create() options must say how many units, such as { units: 3 }',
      );
    }
    const metadata =
      checked.charmDir === undefined ? undefined : await readMetadata(resolve(checked.charmDir));
    const name = checked.name ?? metadata?.name ?? 'app';
    const names = Array.from({ length: checked.units }, (_, i) => `${name}/${String(i)}`);
    const leader = typeof checked.leader === 'number' ? `${name}/${String(checked.leader)}` : checked.leader;
    if (leader !== undefined && !names.includes(leader)) {
      throw new TypeError(
        `SimulatedApplication.create() leader must be one of the units (${names.join(', ')}) or its number, got ${describeValue(checked.leader)}`,
      );
    }
    const { units: _units, leader: _leader, name: _name, relations = [], ...base } = checked;
    const cluster = new Cluster(name);
    const declared = withPeers(normalize(relations), metadata, name);
    for (const r of declared) {
      if (!r.peer) {
        cluster.remote.set(r.id, {
          endpoint: r.endpoint,
          app: r.remoteApp,
          units: r.remoteUnits,
          appData: r.remoteAppData,
        });
        continue;
      }
      if (Object.keys(r.remoteUnits).length > 0) {
        throw new TypeError(
          `SimulatedApplication.create() relations: ${r.endpoint} is a peer relation, whose units are the application's own: declare no remoteUnits`,
        );
      }
      cluster.peers.set(r.id, r.endpoint);
    }
    const app = new SimulatedApplication(name, cluster, base, checked.units);
    try {
      for (const unit of names) {
        const relationsOf = declared.map(({ peer, ...r }) =>
          peer
            ? {
                ...r,
                remoteApp: name,
                remoteUnits: Object.fromEntries(names.filter((n) => n !== unit).map((n) => [n, {}])),
              }
            : r,
        );
        await app.#make(unit, unit === (leader ?? names[0]), relationsOf, true);
      }
    } catch (error) {
      await app.cleanup();
      throw error;
    }
    cluster.formed();
    return app;
  }

  /** The units' names, by unit number (a unit being removed included until it is gone). */
  get units(): string[] {
    return this.#cluster.members.map((m) => m.name);
  }

  /** The leader's name. */
  get leader(): string | undefined {
    return this.#cluster.leader?.name;
  }

  /**
   * One unit's simulator: by number (`1`) or name (`'webapp/1'`).
   *
   * @throws TypeError for a unit that is not one of this application's.
   */
  unit(unit: number | string): HookToolsSimulator {
    const member = this.#member(unit, 'unit()');
    const simulator = this.#simulators.get(member.name);
    if (simulator === undefined) throw new Error(`${member.name} has no simulator`);
    return simulator;
  }

  /**
   * The application's row in `juju status`: the status the leader set, or, until it sets one,
   * the units' derived as Juju derives it (the most severe; ties to the leader, then the
   * lowest-numbered unit, as Juju 4 breaks them; Juju 3.6 picks one of the equals at random
   * and Juju 4.0.0 derived none).
   */
  async status(): Promise<StatusBase> {
    const leader = this.#cluster.leader ?? this.#cluster.members[0];
    const units = this.#cluster.units();
    const shown =
      leader === undefined
        ? { status: 'unknown', message: '' }
        : applicationStatus(leader.model.world, units);
    return Promise.resolve(StatusBase.fromName(shown.status as StatusName, shown.message));
  }

  /**
   * Adds a unit, numbered after every unit the application ever had (Juju never reuses a
   * number). {@link settle} then runs its `install`, `relation-created`, `config-changed` and
   * `start`, and each unit's `relation-joined` and `relation-changed` for the other.
   */
  async addUnit(): Promise<HookToolsSimulator> {
    const unit = `${this.name}/${String(this.#next.number)}`;
    this.#next.number += 1;
    const world = (this.#cluster.leader ?? this.#cluster.members[0])?.model.world;
    const relations = (world?.relations ?? []).map((r) => ({
      endpoint: r.endpoint,
      id: r.id,
      remoteApp: r.remoteApp,
      remoteUnits: {},
      remoteAppData: this.#cluster.peers.has(r.id)
        ? {}
        : { ...(this.#cluster.remote.get(r.id)?.appData ?? {}) },
      localAppData: this.#cluster.appData(r.id),
      ...(r.remoteModelUuid === undefined ? {} : { remoteModelUuid: r.remoteModelUuid }),
    }));
    await this.#make(unit, false, relations, false);
    return this.unit(unit);
  }

  /**
   * Removes a unit, as `juju remove-unit` does: {@link settle} runs its `relation-departed`
   * for each member, `relation-broken` for each relation but the peer ones, `stop` and
   * `remove`, and the others' `relation-departed`. A leader removed hands leadership at once to
   * the lowest-numbered other unit (Juju hands it to whichever unit claims it once the dying
   * unit's lease lapses: {@link setLeader} picks another).
   *
   * @throws TypeError for a unit not of this application, or the last one.
   */
  async removeUnit(unit: number | string): Promise<void> {
    const member = this.#member(unit, 'removeUnit()');
    const alive = this.#cluster.members.filter((m) => !m.dying);
    if (alive.length === 1 && alive[0] === member) {
      throw new TypeError(
        `removeUnit() cannot remove ${member.name}, the last unit: an application keeps at least one`,
      );
    }
    member.dying = true;
    if (member.model.world.leader) {
      const heir = alive.find((m) => m !== member);
      if (heir !== undefined) this.#lead(heir);
    }
    return Promise.resolve();
  }

  /** Makes `unit` the leader ({@link settle} runs its `leader-elected`). */
  async setLeader(unit: number | string): Promise<void> {
    const member = this.#member(unit, 'setLeader()');
    if (member.dying)
      throw new TypeError(`setLeader() takes a unit that is not being removed, got ${member.name}`);
    this.#lead(member);
    return Promise.resolve();
  }

  /**
   * Sets the application's configuration, as `juju config` does: every unit serves it, and
   * {@link settle} runs `config-changed` on each.
   *
   * @throws TypeError (as a rejection) for an undeclared option or a value of the wrong type.
   */
  async setConfig(config: Record<string, unknown>): Promise<void> {
    for (const simulator of this.#simulators.values()) await simulator.setConfig(config);
    this.#config = config;
    this.#cluster.config += 1;
  }

  /** The hooks Juju would run next, one per unit: `webapp/1: cluster-relation-changed (webapp/0)`. */
  queued(): string[] {
    return this.#cluster.members.flatMap((m) => {
      const next = m.held ?? this.#cluster.next(m);
      return next === undefined
        ? []
        : [`${m.name}: ${next.label}${m.held === undefined ? '' : ' (failed, to retry)'}`];
    });
  }

  /**
   * Runs the hooks Juju would queue after what has changed, until none is queued, and
   * resolves to the runs it made. It goes in passes: each pass gives every unit, by unit
   * number, the next hook Juju would run on it (one hook at a time per unit, in the order the
   * uniter picks them), so that what one unit commits is seen by the others in the next pass.
   *
   * A hook that fails is kept in the runs; Juju would retry it and run nothing else on that
   * unit until it succeeds, so settle() runs nothing more on that unit, finishes the others,
   * and then rejects with a {@link SettleError} naming it. The next settle() retries it first,
   * as Juju would.
   *
   * @throws SettleError (as a rejection) when a hook failed, or `maxRuns` runs were made with
   *   hooks still queued (units that keep re-triggering each other).
   * @throws TypeError (as a rejection) for a charm or options of the wrong shape.
   */
  async settle(charm: string | Charm, options: SettleOptions = {}): Promise<SettledRun[]> {
    const target = checkCharm(charm, 'settle()');
    const { maxRuns = 200 } = checkOptions(options, 'settle() options', SETTLE_OPTIONS);
    const runs: SettledRun[] = [];
    const failed: SettledRun[] = [];
    // The units whose failed hook has had its retry in this settle(): nothing more runs there.
    const retried = new Set<Member>();
    for (let progressed = true; progressed;) {
      progressed = false;
      for (const member of [...this.#cluster.members]) {
        let next: Queued | undefined = member.held;
        if (next !== undefined && retried.has(member)) continue;
        if (next !== undefined) retried.add(member);
        next ??= this.#cluster.next(member);
        if (next === undefined) continue;
        if (runs.length >= maxRuns) {
          const queued = this.queued();
          throw new SettleError(
            `settle() made ${String(maxRuns)} runs and hooks are still queued (units that keep re-triggering each other?): ${queued.join('; ')}`,
            runs,
            failed,
            queued,
          );
        }
        next.before?.();
        const run = await internalsOf(this.unit(member.name)).run(target, next.hook, next.state, next.env);
        const settled: SettledRun = { ...run, unit: member.name, hook: next.hook };
        runs.push(settled);
        if (run.exitCode === 0) {
          member.held = undefined;
          next.done();
        } else {
          member.held = next;
          retried.add(member);
          failed.push(settled);
        }
        progressed = true;
      }
    }
    if (failed.length > 0) {
      const queued = this.queued();
      throw new SettleError(
        `settle() ran ${String(runs.length)} hooks, and these failed (Juju retries each, and runs nothing else on that unit until it succeeds): ${failed.map((r) => `${r.unit} ${r.hook} (exit ${String(r.exitCode)}): ${r.stderr.trim().split('\n').at(-1) ?? ''}`).join('; ')}`,
        runs,
        failed,
        queued,
      );
    }
    return runs;
  }

  /** Cleans every unit's simulator up, removed units' included. */
  async cleanup(): Promise<void> {
    await Promise.all([...this.#simulators.values()].map((s) => s.cleanup()));
  }

  async #make(
    unit: string,
    leader: boolean,
    relations: SimulatedRelation[],
    deployed: boolean,
  ): Promise<void> {
    const simulator = await HookToolsSimulator.create({
      ...this.#base,
      config: this.#config,
      unitName: unit,
      leader,
      relations,
    });
    this.#simulators.set(unit, simulator);
    this.#cluster.add(new Member(unit, internalsOf(simulator).model, deployed, this.#cluster.config));
  }

  #lead(member: Member): void {
    for (const m of this.#cluster.members) {
      const was = m.model.world.leader;
      m.model.world.leader = m === member;
      if (was && m !== member) m.leaderSeen = false;
    }
  }

  #member(unit: number | string, where: string): Member {
    const name = typeof unit === 'number' ? `${this.name}/${String(unit)}` : unit;
    const found = this.#cluster.members.find((m) => m.name === name);
    if (found === undefined) {
      throw new TypeError(
        `${where} takes a unit of ${this.name}, by number or name (${this.units.join(', ')}), got ${describeValue(unit)}`,
      );
    }
    return found;
  }
}

function internalsOf(simulator: HookToolsSimulator): UnitInternals {
  const internals = INTERNALS.get(simulator);
  if (internals === undefined) throw new Error('a simulator without its internals');
  return internals;
}

/**
 * The declared relations, each marked peer or not, with one relation added for each peer
 * endpoint the charm declares and the test did not (Juju makes them when it deploys the
 * application). Without metadata, a relation whose remote application is this one is a peer.
 */
function withPeers(
  relations: ReturnType<typeof normalize>,
  metadata: Metadata | undefined,
  app: string,
): (ReturnType<typeof normalize>[number] & { peer: boolean })[] {
  const isPeer = (endpoint: string, remoteApp: string): boolean =>
    metadata === undefined
      ? remoteApp === app
      : Object.hasOwn(metadata.endpoints, endpoint) && metadata.endpoints[endpoint] === 'peers';
  const out = relations.map((r) => ({ ...r, peer: isPeer(r.endpoint, r.remoteApp) }));
  for (const r of metadata === undefined ? [] : missingPeers(metadata, out, app)) {
    out.push({ ...r, remoteUnits: {}, remoteAppData: {}, localUnitData: {}, localAppData: {}, peer: true });
  }
  return out;
}
