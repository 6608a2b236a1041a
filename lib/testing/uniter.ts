// One hook as Juju's uniter runs it: one at a time on a unit, Juju's own statuses before and
// after it, and, when it ends, its changes committed or discarded. The transports (in the
// test's process, or `dispatch` in a process of its own) only run the charm in between.

import type { JujuModel } from './model.js';
import { storageLocation } from './tools/storage.js';
import { FAILED_HOOK, type HookState, type StatusRecord, type World } from './world.js';

/** How a hook's process ended: its exit code, `null` when it was stopped. */
export interface Exit {
  readonly exitCode: number | null;
}

/** The unit status Juju sets before a hook, by hook (runhook.go, `beforeHook`). */
const BEFORE: Readonly<Record<string, StatusRecord>> = {
  install: { status: 'maintenance', message: 'installing charm software' },
  stop: { status: 'maintenance', message: 'stopping charm software' },
  remove: { status: 'maintenance', message: 'cleaning up prior to charm deletion' },
};

/** The parts of the world a failed hook does not keep, by {@link FAILED_HOOK}. */
const UNKEPT = (Object.keys(FAILED_HOOK) as (keyof World)[]).filter((key) => FAILED_HOOK[key] !== 'kept');

/** @internal */
export class Uniter {
  readonly #model: JujuModel;
  /** The hook running now, or the last one: the next waits for it to end. */
  #turn: Promise<void> = Promise.resolve();

  constructor(model: JujuModel) {
    this.#model = model;
  }

  /**
   * Runs the hook `id` with `charm`, once every hook asked for before it has ended: Juju runs
   * one hook of a unit at a time (the uniter's resolver loop hands out one operation after
   * another), so a second run on the same unit waits for the first, and neither rolls back what
   * the other committed.
   */
  async run<R extends Exit>(id: string, hook: HookState, charm: () => Promise<R>): Promise<[R, HookState]> {
    const before = this.#turn;
    let done = (): void => undefined;
    this.#turn = new Promise((resolve) => (done = resolve));
    await before;
    try {
      const kept = this.#begin(id, hook);
      let exitCode: number | null = null;
      try {
        const ran = await charm();
        exitCode = ran.exitCode;
        return [ran, hook];
      } finally {
        this.#end(id, hook, kept, exitCode);
        this.#model.link?.committed();
      }
    } finally {
      done();
    }
  }

  /**
   * A hook begins: what Juju holds for it while it runs, the parts of the world it keeps only
   * if it succeeds as they stand, and Juju's own status before it (runhook.go, `beforeHook`:
   * install, unless the charm ever set one; stop; remove).
   */
  #begin(id: string, hook: HookState): World {
    const world = this.#model.world;
    const kept = structuredClone(
      Object.fromEntries(UNKEPT.map((key) => [key, world[key]])),
    ) as unknown as World;
    hook.committedRevisions = Object.fromEntries(world.secrets.map((s) => [s.id, s.latest]));
    hook.committedPorts = structuredClone(world.ports);
    this.#model.enter(id, hook);
    const status = BEFORE[hook.hook];
    if (status !== undefined && (hook.hook !== 'install' || !this.#model.statusSet))
      world.unit = { ...status };
    return kept;
  }

  /**
   * A hook ended with `exitCode`. Juju commits a hook's changes only when it succeeded
   * (internal/worker/uniter/runner/context/context.go, `Flush`: `doFlush`, which writes them,
   * runs only when the hook returned no error): a failed hook's are put back, as
   * {@link FAILED_HOOK} says part by part; `status-set` took effect at once and stays.
   */
  #end(id: string, hook: HookState, before: World, ran: number | null): void {
    // A hook that exited 0 with changes the controller refuses fails when Juju commits it.
    const exitCode = ran === 0 && (hook.refusals?.length ?? 0) > 0 ? 1 : ran;
    this.#model.leave(id);
    const world = this.#model.world;
    // Membership is Juju's, not the hook's: the departed unit has left the relation however
    // the hook ended. A broken relation is gone once relation-broken succeeds; a failed one is
    // retried on the relation as it stands.
    const { departing, broken } = hook;
    const left = world.relations.find((r) => r.id === departing?.id);
    if (left !== undefined && departing !== undefined)
      Reflect.deleteProperty(left.remoteUnits, departing.unit);
    if (exitCode !== 0) {
      for (const key of UNKEPT) {
        const rule = FAILED_HOOK[key];
        if (rule === 'discarded') Object.assign(world, { [key]: before[key] });
        else if (typeof rule === 'function') rule(world, before);
      }
      return;
    }
    if (broken !== undefined) world.relations = world.relations.filter((r) => r.id !== broken);
    // The secrets and revisions it removed (doFlush: RemoveSecrets).
    for (const [secretId, revisions] of Object.entries(hook.secretRemovals ?? {})) {
      const secret = world.secrets.find((s) => s.id === secretId);
      if (revisions === 'all' || secret === undefined) {
        world.secrets = world.secrets.filter((s) => s.id !== secretId);
        continue;
      }
      for (const revision of revisions) Reflect.deleteProperty(secret.revisions, String(revision));
    }
    // The storage it added (doFlush: AddStorage), each instance numbered after the last of its
    // name, attached once the hook has committed.
    for (const [name, count] of Object.entries(hook.storageAdds ?? {})) {
      for (let i = 0; i < count; i += 1) {
        const index = Math.max(-1, ...world.storage.filter((s) => s.name === name).map((s) => s.index)) + 1;
        world.storage.push({
          name,
          index,
          kind: world.storageTypes?.[name]?.type ?? 'filesystem',
          location: storageLocation(world, name, index),
        });
      }
    }
    // And after a hook that succeeded (runhook.go, afterHook): stop leaves maintenance with no
    // message; start leaves unknown when the charm has never set a status.
    if (hook.hook === 'stop') world.unit = { status: 'maintenance', message: '' };
    if (hook.hook === 'start' && !this.#model.statusSet) world.unit = { status: 'unknown', message: '' };
  }
}
