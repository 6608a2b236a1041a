// One container's Pebble, as its HTTP API answers (docs/reference/api.md, docs/specs/openapi.yaml,
// and for what they leave open, the handlers in internals/daemon): the same requests whether
// the charm's client reaches it in the test's process or over a unix socket. Responses are
// Pebble's JSON envelopes; a service operation is a change that is ready at once.

import { parse } from 'yaml';

import type { PebbleReply, PebbleRequest, PebbleSocket } from '../../pebble/transport.js';
import { type ContainerRecord, type NoticeRecord, now } from '../state/containers.js';
import { ExecSessions } from './exec.js';
import { type Json, error, isRecord, reply, str, sync } from './answers.js';
import { readFiles, writeFiles } from './files.js';
import { PebbleRefusal, addLayer, checksOf, planOf, servicesOf } from './plan.js';

const NOTICE_KEY = /^[a-z0-9]+(?:-[a-z0-9]+)*(?:\.[a-z0-9]+(?:-[a-z0-9]+)*)+(?:\/[a-z0-9]+(?:-[a-z0-9]+)*)+$/;

/** One change, as Pebble's changes API shows it. @internal */
export interface ChangeRecord extends Json {
  id: string;
  kind: string;
  summary: string;
  status: string;
  ready: boolean;
  err?: string;
  tasks: Json[];
}

/**
 * The Pebble of one container, answering from the container's record in the world.
 *
 * @internal
 */
export class SimulatedPebble {
  /** The container, as the world holds it now (setContainer() replaces the record). */
  readonly #container: () => ContainerRecord;
  readonly #changes = new Map<string, ChangeRecord>();
  /** The last change id: Pebble numbers changes apart from notices. */
  #lastChange = 0;
  readonly #waiting = new Map<string, (() => void)[]>();
  readonly #execs: ExecSessions;

  constructor(container: () => ContainerRecord) {
    this.#container = container;
    this.#execs = new ExecSessions((id, exitCode) => {
      this.#finish(
        id,
        exitCode === null
          ? { err: 'cannot perform the following tasks:\n- Execute command (timed out)' }
          : { exitCode },
      );
    });
  }

  /** Answers one request. */
  async handle(request: PebbleRequest): Promise<PebbleReply> {
    const url = new URL(request.url, 'http://localhost');
    const query = url.searchParams;
    const path = url.pathname;
    try {
      const body = (): Json => {
        const parsed: unknown = JSON.parse(new TextDecoder().decode(request.body ?? new Uint8Array()));
        if (!isRecord(parsed)) throw new PebbleRefusal(400, 'cannot decode request body: not an object');
        return parsed;
      };
      const route = `${request.method} ${path}`;
      if (route === 'GET /v1/system-info') return sync({ 'boot-id': 'simulated', version: 'v1.19.0' });
      if (route === 'GET /v1/plan') return this.#plan(query);
      if (route === 'POST /v1/layers') return this.#layers(body());
      if (route === 'GET /v1/services') return this.#services(query);
      if (route === 'POST /v1/services') return this.#serviceChange(body());
      if (route === 'GET /v1/checks') return this.#checks(query);
      if (route === 'GET /v1/files') return readFiles(this.#container(), query);
      if (route === 'POST /v1/files') return await writeFiles(this.#container(), request);
      if (route === 'POST /v1/exec') return this.#exec(body());
      if (route === 'GET /v1/notices') return this.#notices(query);
      if (route === 'POST /v1/notices') return this.#notify(body());
      const change = /^\/v1\/changes\/([^/]+)(\/wait)?$/.exec(path);
      if (request.method === 'GET' && change !== null)
        return await this.#change(change[1] ?? '', change[2] !== undefined, query);
      return error(404, 'not found');
    } catch (caught) {
      if (caught instanceof PebbleRefusal) return error(caught.status, caught.message, caught.kind);
      if (caught instanceof SyntaxError) return error(400, `cannot decode request body: ${caught.message}`);
      throw caught;
    }
  }

  /** A task's websocket (`/v1/tasks/{id}/websocket/{name}`), the server's end of it. */
  connect(url: string, socket: PebbleSocket): boolean {
    const match = /^\/v1\/tasks\/([^/]+)\/websocket\/(control|stdio|stderr)$/.exec(
      new URL(url, 'http://localhost').pathname,
    );
    return (
      match !== null &&
      this.#execs.connect(match[1] ?? '', match[2] as 'control' | 'stdio' | 'stderr', socket)
    );
  }

  /** Ends every exec session (the container went away). */
  close(): void {
    this.#execs.close();
  }

  #plan(query: URLSearchParams): PebbleReply {
    if (query.get('format') !== 'yaml')
      throw new PebbleRefusal(400, `invalid format ${JSON.stringify(query.get('format') ?? '')}`);
    const plan = planOf(this.#container().layers);
    // JSON is YAML: the client parses it as Pebble's YAML.
    const sections = Object.fromEntries(
      Object.entries(plan).filter(([, v]) => Object.keys(v as Json).length > 0),
    );
    return sync(Object.keys(sections).length === 0 ? '{}\n' : `${JSON.stringify(sections, null, 4)}\n`);
  }

  #layers(payload: Json): PebbleReply {
    if (payload.action !== 'add')
      throw new PebbleRefusal(400, `invalid action ${JSON.stringify(payload.action)}`);
    if (payload.format !== 'yaml')
      throw new PebbleRefusal(400, `invalid format ${JSON.stringify(payload.format)}`);
    const label = typeof payload.label === 'string' ? payload.label : '';
    let layer: unknown;
    try {
      // The client sends JSON, which is YAML; a layer of YAML proper is parsed by the model.
      layer = JSON.parse(String(payload.layer));
    } catch {
      layer = yamlLayer(String(payload.layer));
    }
    if (!isRecord(layer)) throw new PebbleRefusal(400, 'cannot parse layer: not a map');
    addLayer(this.#container(), label, layer, payload.combine === true);
    return sync(true);
  }

  #services(query: URLSearchParams): PebbleReply {
    const names = (query.get('names') ?? '').split(',').filter(Boolean);
    const container = this.#container();
    return sync(
      servicesOf(container)
        .filter(([name]) => names.length === 0 || names.includes(name))
        .map(([name, spec]) => {
          const state = container.services[name];
          return {
            name,
            startup: spec.startup ?? 'disabled',
            current: state?.current ?? 'inactive',
            ...(state?.since === undefined ? {} : { 'current-since': state.since }),
          };
        }),
    );
  }

  /** start, stop, restart, replan (v1PostServices): a change, ready at once. */
  #serviceChange(payload: Json): PebbleReply {
    const action = str(payload.action);
    const names = Array.isArray(payload.services) ? payload.services.map(String) : [];
    const container = this.#container();
    const plan = new Map(servicesOf(container));
    if (!['start', 'stop', 'restart', 'replan'].includes(action))
      throw new PebbleRefusal(400, `invalid action ${JSON.stringify(action)}`);
    if (action === 'replan' && names.length > 0)
      throw new PebbleRefusal(400, 'replan accepts no service names');
    if (action !== 'replan' && names.length === 0)
      throw new PebbleRefusal(400, `must specify services for ${action} action`);
    for (const name of names) {
      if (!plan.has(name))
        throw new PebbleRefusal(
          400,
          `cannot ${action} services: service ${JSON.stringify(name)} does not exist`,
        );
    }
    const tasks: Json[] = [];
    const failed: string[] = [];
    const stop = (name: string): void => {
      const state = container.services[name];
      if (state?.current !== 'active' && state?.current !== 'backoff') return;
      container.services[name] = { current: 'inactive', since: now() };
      tasks.push({ kind: 'stop', summary: `Stop service ${JSON.stringify(name)}`, status: 'Done' });
    };
    const start = (name: string): void => {
      if (container.services[name]?.current === 'active') return;
      const why = container.serviceErrors[name];
      const summary = `Start service ${JSON.stringify(name)}`;
      if (why !== undefined) {
        container.services[name] = { current: 'error', since: now() };
        tasks.push({ kind: 'start', summary, status: 'Error', log: [`ERROR ${why}`] });
        failed.push(`- ${summary} (${why})`);
        return;
      }
      container.services[name] = { current: 'active', since: now(), config: JSON.stringify(plan.get(name)) };
      tasks.push({ kind: 'start', summary, status: 'Done' });
    };
    if (action === 'stop') names.forEach(stop);
    if (action === 'start') names.forEach(start);
    if (action === 'restart') {
      names.forEach(stop);
      names.forEach(start);
    }
    if (action === 'replan') {
      // Restarts what changed since it started; starts what the plan starts (Replan).
      for (const [name, spec] of plan) {
        const state = container.services[name];
        if (state?.current === 'active' && state.config !== JSON.stringify(spec)) {
          stop(name);
          start(name);
        } else if (spec.startup === 'enabled') start(name);
      }
    }
    const id = this.#newChange(
      action,
      `${action[0]?.toUpperCase() ?? ''}${action.slice(1)} service${names.length === 1 ? ` ${JSON.stringify(names[0])}` : 's'}`,
      tasks,
    );
    this.#finish(
      id,
      failed.length === 0 ? {} : { err: `cannot perform the following tasks:\n${failed.join('\n')}` },
    );
    return reply(202, { type: 'async', 'status-code': 202, status: 'Accepted', change: id, result: null });
  }

  #checks(query: URLSearchParams): PebbleReply {
    const level = query.get('level') ?? '';
    if (level !== '' && level !== 'alive' && level !== 'ready')
      throw new PebbleRefusal(400, 'level must be "alive" or "ready"');
    const names = (query.get('names') ?? '').split(',').filter(Boolean);
    const container = this.#container();
    return sync(
      checksOf(container)
        .filter(
          ([name, spec]) =>
            (level === '' || spec.level === level) && (names.length === 0 || names.includes(name)),
        )
        .map(([name, spec]) => {
          const state = container.checks[name];
          const status = state?.status ?? (spec.startup === 'disabled' ? 'inactive' : 'up');
          return {
            name,
            ...(spec.level === undefined ? {} : { level: spec.level }),
            startup: spec.startup ?? 'enabled',
            status,
            successes: state?.successes ?? 0,
            ...((state?.failures ?? 0) > 0 ? { failures: state?.failures } : {}),
            threshold: spec.threshold ?? 3,
          };
        }),
    );
  }

  #exec(payload: Json): PebbleReply {
    const command = Array.isArray(payload.command) ? payload.command.map(String) : [];
    if (command.length === 0) throw new PebbleRefusal(400, 'must specify command');
    const container = this.#container();
    const program = command[0] ?? '';
    // Pebble looks the program up before it starts anything (api_exec.go): one the test
    // declared no command of is not in this container.
    if (!container.execs.some((e) => e.command.length === 0 || e.command[0] === program)) {
      throw new PebbleRefusal(400, `cannot find executable ${JSON.stringify(program)}`);
    }
    const id = this.#newChange('exec', `Execute command ${JSON.stringify(program)}`, [
      { kind: 'exec', summary: `Execute command ${JSON.stringify(program)}`, status: 'Doing' },
    ]);
    const task = `${id}-task`;
    // A declared command answers at once: Pebble's `timeout` cannot be reached.
    if (typeof payload.timeout === 'string') durationMs(payload.timeout);
    this.#execs.start(task, id, command, container.execs);
    return reply(202, {
      type: 'async',
      'status-code': 202,
      status: 'Accepted',
      change: id,
      result: {
        'task-id': task,
        environment: payload.environment ?? {},
        'working-dir': payload['working-dir'] ?? '/',
      },
    });
  }

  #notices(query: URLSearchParams): PebbleReply {
    const types = (query.get('types') ?? '').split(',').filter(Boolean);
    const keys = (query.get('keys') ?? '').split(',').filter(Boolean);
    const after = query.get('after');
    return sync(
      this.#container()
        .notices.filter(
          (n) =>
            (types.length === 0 || types.includes(n.type)) &&
            (keys.length === 0 || keys.includes(n.key)) &&
            (after === null || n.lastRepeated > new Date(after).toISOString()),
        )
        .sort((a, b) => (a.lastRepeated < b.lastRepeated ? -1 : a.lastRepeated > b.lastRepeated ? 1 : 0))
        .map(noticeJson),
    );
  }

  #notify(payload: Json): PebbleReply {
    if (payload.action !== 'add')
      throw new PebbleRefusal(400, `invalid action ${JSON.stringify(payload.action)}`);
    if (payload.type !== 'custom')
      throw new PebbleRefusal(
        400,
        `invalid type ${JSON.stringify(payload.type)} (can only add "custom" notices)`,
      );
    const key = str(payload.key);
    if (!NOTICE_KEY.test(key))
      throw new PebbleRefusal(
        400,
        `invalid key ${JSON.stringify(key)} (must be in "example.com/path" format)`,
      );
    const data = isRecord(payload.data) ? (payload.data as Record<string, string>) : {};
    const container = this.#container();
    const at = now();
    const found = container.notices.find((n) => n.type === 'custom' && n.key === key);
    if (found !== undefined) {
      found.occurrences += 1;
      found.lastOccurred = at;
      found.lastRepeated = at;
      found.lastData = { ...data };
      return sync({ id: found.id });
    }
    container.sequence += 1;
    const id = String(container.sequence);
    container.notices.push({
      id,
      type: 'custom',
      key,
      firstOccurred: at,
      lastOccurred: at,
      lastRepeated: at,
      occurrences: 1,
      lastData: { ...data },
    });
    return sync({ id });
  }

  async #change(id: string, wait: boolean, query: URLSearchParams): Promise<PebbleReply> {
    const change = this.#changes.get(id);
    if (change === undefined)
      throw new PebbleRefusal(404, `cannot find change with id ${JSON.stringify(id)}`);
    if (wait && !change.ready) {
      const timeout = durationMs(query.get('timeout') ?? '');
      await new Promise<void>((resolve) => {
        const list = this.#waiting.get(id) ?? [];
        list.push(resolve);
        this.#waiting.set(id, list);
        if (timeout !== undefined && timeout > 0) setTimeout(resolve, timeout).unref();
      });
    }
    return sync(change);
  }

  #newChange(kind: string, summary: string, tasks: Json[]): string {
    this.#lastChange += 1;
    const id = String(this.#lastChange);
    const at = now();
    this.#changes.set(id, {
      id,
      kind,
      summary,
      status: 'Doing',
      ready: false,
      'spawn-time': at,
      tasks: tasks.map((t, i) => ({
        id: `${id}-${String(i)}`,
        progress: { label: '', done: 1, total: 1 },
        'spawn-time': at,
        ...t,
      })),
    });
    return id;
  }

  #finish(id: string, outcome: { err?: string; exitCode?: number }): void {
    const change = this.#changes.get(id);
    if (change === undefined) return;
    change.ready = true;
    change.status = outcome.err === undefined ? 'Done' : 'Error';
    change['ready-time'] = now();
    if (outcome.err !== undefined) change.err = outcome.err;
    if (outcome.exitCode !== undefined) {
      for (const task of change.tasks) {
        task.status = 'Done';
        task.data = { 'exit-code': outcome.exitCode };
      }
    }
    for (const resolve of this.#waiting.get(id) ?? []) resolve();
    this.#waiting.delete(id);
  }
}

function noticeJson(n: NoticeRecord): Json {
  return {
    id: n.id,
    'user-id': null,
    type: n.type,
    key: n.key,
    'first-occurred': n.firstOccurred,
    'last-occurred': n.lastOccurred,
    'last-repeated': n.lastRepeated,
    occurrences: n.occurrences,
    'last-data': n.lastData,
    'expire-after': '168h0m0s',
  };
}

/** A Go duration (`300ms`, `1.5s`, `2m`) in milliseconds; `undefined` for none. */
function durationMs(text: string): number | undefined {
  if (text === '') return undefined;
  const units: Record<string, number> = {
    ns: 1e-6,
    us: 1e-3,
    µs: 1e-3,
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
  };
  let total = 0;
  let rest = text;
  while (rest !== '') {
    const match = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/.exec(rest);
    if (match === null) throw new PebbleRefusal(400, `invalid duration ${JSON.stringify(text)}`);
    total += Number(match[1]) * (units[match[2] ?? 's'] ?? 1);
    rest = rest.slice(match[0].length);
  }
  return total;
}

/** A layer given as YAML proper (not JSON), read as Pebble reads it. */
function yamlLayer(text: string): unknown {
  try {
    return parse(text);
  } catch (caught) {
    throw new PebbleRefusal(
      400,
      `cannot parse layer: ${caught instanceof Error ? caught.message : String(caught)}`,
    );
  }
}
