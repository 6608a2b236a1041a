// A workload container, as the charm reaches it through the Pebble daemon in it: layers and
// the plan, services, checks, files, exec, notices. One HTTP request per call (and, for service
// changes, a wait for the change to finish, as ops does), written from Pebble's API reference
// (docs/reference/api.md, docs/specs/openapi.yaml) and ops' `Container` (ops/model.py).

import { describeValue } from '../describe.js';
import { charmEnv, currentHook } from '../hook.js';
import { type Api, call, waitChange } from './api.js';
import { PebbleError } from './errors.js';
import { execute } from './exec.js';
import { listFiles, makeDir, pull, push, remove } from './files.js';
import { guarded, socketTransport } from './http.js';
import type { PebbleTransport } from './transport.js';
import type {
  CheckInfo,
  ExecOptions,
  ExecResult,
  FileInfo,
  Layer,
  Notice,
  Plan,
  PushOptions,
  ServiceInfo,
} from './types.js';

/** Where Juju mounts each workload container's Pebble socket in the charm container. */
const JUJU_CONTAINERS = '/charm/containers';
/**
 * Where the sockets are instead, when set: the test harness sets it for a charm it runs
 * through `dispatch`, so that the charm's unchanged code finds the simulated Pebble.
 */
export const CONTAINERS_VARIABLE = 'CHARMS_CONTEXTUAL_STATUS_CONTAINERS';
const DEFAULT_TIMEOUT_MS = 30_000;
const NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
/** A custom notice's key: Pebble's `example.com/path` form (daemon/api_notices.go). */
const NOTICE_KEY = /^[a-z0-9]+(?:-[a-z0-9]+)*(?:\.[a-z0-9]+(?:-[a-z0-9]+)*)+(?:\/[a-z0-9]+(?:-[a-z0-9]+)*)+$/;

/** Options of {@link Container}. */
export interface ContainerOptions {
  /** The Pebble socket (default: where Juju mounts it, `/charm/containers/<name>/pebble.socket`). */
  socketPath?: string;
  /** How long one call may take, a change waited for included (default 30 000 ms). */
  timeoutMs?: number;
}

/** Which notices {@link Container.notices} returns. */
export interface NoticesFilter {
  /** Only notices of these types, such as `['custom']`. */
  types?: string[];
  /** Only notices with these keys. */
  keys?: string[];
  /** Only those that occurred after this time. */
  after?: Date;
}

/**
 * A workload container of a Kubernetes charm, reached through its Pebble: the counterpart of
 * ops' `Container`. Every call is a `PebbleError` when it fails (see its subclasses), and none
 * waits longer than `timeoutMs`. In a test, the simulator answers it: in the test's own
 * process with no socket, or through `dispatch` on a socket of its own.
 *
 * @example
 * ```ts
 * import { Container } from 'charms-contextual-status/pebble';
 *
 * const web = new Container('web');
 * if (await web.canConnect()) {
 *   await web.addLayer('web', {
 *     services: { web: { override: 'replace', command: 'nginx -g "daemon off;"', startup: 'enabled' } },
 *   }, { combine: true });
 *   await web.replan();
 * }
 * ```
 */
export class Container {
  /** The container's name, as `charmcraft.yaml` declares it under `containers:`. */
  readonly name: string;
  readonly #socketPath: string | undefined;
  readonly #api: Api;

  /**
   * @throws TypeError for a name that is not a container name, or options of the wrong shape.
   */
  constructor(name: string, options: ContainerOptions = {}) {
    if (typeof name !== 'string' || !NAME.test(name)) {
      throw new TypeError(`Container() takes a container name such as "web", got ${describeValue(name)}`);
    }
    const { socketPath, timeoutMs = DEFAULT_TIMEOUT_MS } = options;
    if (socketPath !== undefined && (typeof socketPath !== 'string' || !socketPath.startsWith('/'))) {
      throw new TypeError(
        `Container() socketPath must be an absolute path, got ${describeValue(socketPath)}`,
      );
    }
    if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw new TypeError(
        `Container() timeoutMs must be a number of milliseconds above 0, got ${describeValue(timeoutMs)}`,
      );
    }
    this.name = name;
    this.#socketPath = socketPath;
    this.#api = { container: name, timeoutMs, transport: () => this.#transport() };
  }

  /** The socket this container's Pebble listens on. */
  get socketPath(): string {
    const root = charmEnv()[CONTAINERS_VARIABLE];
    return (
      this.#socketPath ??
      `${root !== undefined && root !== '' ? root : JUJU_CONTAINERS}/${this.name}/pebble.socket`
    );
  }

  #transport(): PebbleTransport {
    // A hook run in a test's own process: the simulator's model answers, with no socket.
    const simulated = currentHook()?.pebble?.(this.name);
    return simulated === undefined
      ? socketTransport(this.socketPath, this.name)
      : guarded(simulated, `Pebble in ${this.name} (simulated)`);
  }

  /**
   * Whether Pebble answers (`GET /v1/system-info`): `false` while the workload container is
   * still starting, never a throw.
   */
  async canConnect(): Promise<boolean> {
    try {
      await call(this.#api, 'GET', '/v1/system-info');
      return true;
    } catch (error) {
      if (error instanceof PebbleError) return false;
      throw error;
    }
  }

  /**
   * Adds a layer to the plan (`POST /v1/layers`): an object in Pebble's layer words, or its
   * YAML. With `combine`, a layer already there with this label is combined with it (each
   * service by its `override`); without, a second layer of one label is refused.
   *
   * @throws TypeError for a label that is not a non-empty string, or a layer that is neither.
   */
  async addLayer(label: string, layer: Layer | string, options: { combine?: boolean } = {}): Promise<void> {
    if (typeof label !== 'string' || label === '') {
      throw new TypeError(`addLayer() takes a label such as "web", got ${describeValue(label)}`);
    }
    let text: string;
    if (typeof layer === 'string') {
      const { parse } = await import('yaml');
      const parsed: unknown = parse(layer);
      if (!isRecord(parsed)) {
        throw new TypeError(
          `addLayer() takes a layer object or its YAML, got YAML of ${describeValue(parsed)}`,
        );
      }
      text = layer;
    } else if (isRecord(layer)) {
      // JSON is YAML: Pebble reads it as any other layer.
      text = JSON.stringify(layer);
    } else {
      throw new TypeError(
        `addLayer() takes a layer object such as { services: { … } } or its YAML, got ${describeValue(layer)}`,
      );
    }
    await call(this.#api, 'POST', '/v1/layers', {
      action: 'add',
      label,
      combine: options.combine === true,
      format: 'yaml',
      layer: text,
    });
  }

  /** The plan: every layer combined (`GET /v1/plan?format=yaml`). */
  async plan(): Promise<Plan> {
    const { result } = await call(this.#api, 'GET', '/v1/plan?format=yaml');
    const { parse } = await import('yaml');
    const parsed: unknown = typeof result === 'string' ? parse(result) : undefined;
    const plan = isRecord(parsed) ? parsed : {};
    return {
      services: (isRecord(plan.services) ? plan.services : {}) as Plan['services'],
      checks: (isRecord(plan.checks) ? plan.checks : {}) as Plan['checks'],
      'log-targets': (isRecord(plan['log-targets']) ? plan['log-targets'] : {}) as Plan['log-targets'],
    };
  }

  /**
   * Applies the plan (`replan`): starts what it starts (`startup: enabled`) and restarts what
   * changed, then waits for the change.
   *
   * @throws ChangeError (as a rejection) naming a service that did not start.
   */
  async replan(): Promise<void> {
    await this.#services('replan', []);
  }

  /** Starts services and waits for them; one already running is left running. */
  async start(...services: string[]): Promise<void> {
    await this.#services('start', services);
  }

  /** Stops services and waits for them; one already stopped is left stopped. */
  async stop(...services: string[]): Promise<void> {
    await this.#services('stop', services);
  }

  /** Stops (where running) and starts services, and waits for them. */
  async restart(...services: string[]): Promise<void> {
    await this.#services('restart', services);
  }

  async #services(action: string, services: string[]): Promise<void> {
    checkNames(services, `${action}()`);
    if (action !== 'replan' && services.length === 0) {
      throw new TypeError(`${action}() takes at least one service name, such as ${action}("web")`);
    }
    const body = action === 'replan' ? { action } : { action, services };
    const { change } = await call(this.#api, 'POST', '/v1/services', body);
    if (change === undefined) {
      throw new PebbleError(`Pebble answered ${action} with no change to wait for`, {
        method: 'POST',
        path: '/v1/services',
      });
    }
    await waitChange(this.#api, change, 'POST', '/v1/services');
  }

  /** The services named (all, when none is), by name (`GET /v1/services`). */
  async services(...names: string[]): Promise<ServiceInfo[]> {
    checkNames(names, 'services()');
    const query = names.length === 0 ? '' : `?names=${names.map(encodeURIComponent).join(',')}`;
    const { result } = await call(this.#api, 'GET', `/v1/services${query}`);
    return records(result).map((s) => ({
      name: text(s.name),
      startup: s.startup === 'enabled' ? 'enabled' : 'disabled',
      current: (['active', 'inactive', 'backoff', 'error'].includes(text(s.current))
        ? s.current
        : 'inactive') as ServiceInfo['current'],
      ...(typeof s['current-since'] === 'string' ? { currentSince: s['current-since'] } : {}),
    }));
  }

  /**
   * The health checks (`GET /v1/checks`), at one level or all, by name. What Pebble leaves out
   * stays out: `successes` and `level` may be absent; absent `failures` are none.
   */
  async checks(filter: { level?: 'alive' | 'ready'; names?: string[] } = {}): Promise<CheckInfo[]> {
    const { level, names = [] } = filter;
    const given: unknown = level;
    if (given !== undefined && given !== 'alive' && given !== 'ready') {
      throw new TypeError(`checks() level is "alive" or "ready", got ${describeValue(level)}`);
    }
    checkNames(names, 'checks()');
    const query = new URLSearchParams();
    if (level !== undefined) query.set('level', level);
    if (names.length > 0) query.set('names', names.join(','));
    const search = query.size === 0 ? '' : `?${query.toString()}`;
    const { result } = await call(this.#api, 'GET', `/v1/checks${search}`);
    return records(result).map((c) => ({
      name: text(c.name),
      ...(c.level === 'alive' || c.level === 'ready' ? { level: c.level } : {}),
      status: c.status === 'down' || c.status === 'inactive' ? c.status : 'up',
      ...(typeof c.successes === 'number' ? { successes: c.successes } : {}),
      failures: typeof c.failures === 'number' ? c.failures : 0,
      threshold: typeof c.threshold === 'number' ? c.threshold : 0,
      ...(typeof c['change-id'] === 'string' ? { changeId: c['change-id'] } : {}),
    }));
  }

  /**
   * Writes a file (`POST /v1/files`, multipart), its parents made with `makeDirs`.
   *
   * @throws PathError (as a rejection) when Pebble refuses the path; TypeError for a relative
   *   path or bad permissions.
   */
  async push(path: string, content: string | Uint8Array, options: PushOptions = {}): Promise<void> {
    await push(this.#api, path, content, options);
  }

  /** Reads a file: text (UTF-8) by default, bytes with `{ encoding: null }`. */
  async pull(path: string, options?: { encoding?: 'utf8' }): Promise<string>;
  async pull(path: string, options: { encoding: null }): Promise<Uint8Array>;
  async pull(path: string, options: { encoding?: 'utf8' | null } = {}): Promise<string | Uint8Array> {
    const bytes = await pull(this.#api, path);
    return options.encoding === null ? bytes : new TextDecoder().decode(bytes);
  }

  /** Lists a directory (or, with `itself`, describes the path itself), filtered by a glob. */
  async listFiles(path: string, options: { pattern?: string; itself?: boolean } = {}): Promise<FileInfo[]> {
    return listFiles(this.#api, path, options);
  }

  /** Makes a directory, and its parents with `makeParents` (then one already there is fine). */
  async makeDir(
    path: string,
    options: { makeParents?: boolean; permissions?: number; user?: string; group?: string } = {},
  ): Promise<void> {
    await makeDir(this.#api, path, options);
  }

  /** Removes a file or directory (a directory with what it holds, with `recursive`). */
  async remove(path: string, options: { recursive?: boolean } = {}): Promise<void> {
    await remove(this.#api, path, options);
  }

  /**
   * Runs a command in the container and resolves to what it printed once it exits 0.
   *
   * @throws ExecError (as a rejection) when it exits non-zero, with its exit code and output.
   */
  async exec(command: string[], options: ExecOptions = {}): Promise<ExecResult> {
    return execute(this.#api, command, options);
  }

  /** The notices that match `filter`, oldest repeat first (`GET /v1/notices`). */
  async notices(filter: NoticesFilter = {}): Promise<Notice[]> {
    const query = new URLSearchParams();
    if (filter.types !== undefined) query.set('types', filter.types.join(','));
    if (filter.keys !== undefined) query.set('keys', filter.keys.join(','));
    if (filter.after !== undefined) {
      if (!(filter.after instanceof Date) || Number.isNaN(filter.after.getTime())) {
        throw new TypeError(`notices() after must be a valid Date, got ${describeValue(filter.after)}`);
      }
      query.set('after', filter.after.toISOString());
    }
    const search = query.size === 0 ? '' : `?${query.toString()}`;
    const { result } = await call(this.#api, 'GET', `/v1/notices${search}`);
    return records(result).map((n) => ({
      id: text(n.id),
      ...(typeof n['user-id'] === 'number' ? { userId: n['user-id'] } : {}),
      type: text(n.type),
      key: text(n.key),
      firstOccurred: text(n['first-occurred']),
      lastOccurred: text(n['last-occurred']),
      lastRepeated: text(n['last-repeated']),
      occurrences: typeof n.occurrences === 'number' ? n.occurrences : 0,
      lastData: isRecord(n['last-data']) ? (n['last-data'] as Record<string, string>) : {},
      ...(typeof n['repeat-after'] === 'string' ? { repeatAfter: n['repeat-after'] } : {}),
      ...(typeof n['expire-after'] === 'string' ? { expireAfter: n['expire-after'] } : {}),
    }));
  }

  /**
   * Records a custom notice (`POST /v1/notices`): Juju then runs the charm's
   * `<container>-pebble-custom-notice` hook. Resolves to the notice's id.
   *
   * @throws TypeError for a key not in Pebble's `example.com/path` form, or data that is not
   *   strings.
   */
  async notify(key: string, data: Record<string, string> = {}): Promise<string> {
    if (typeof key !== 'string' || key.length > 256 || !NOTICE_KEY.test(key)) {
      throw new TypeError(
        `notify() takes a key in Pebble's "example.com/path" form, got ${describeValue(key)}`,
      );
    }
    if (!isRecord(data) || !Object.values(data).every((v) => typeof v === 'string')) {
      throw new TypeError(`notify() data maps names to strings, got ${describeValue(data)}`);
    }
    const { result } = await call(this.#api, 'POST', '/v1/notices', {
      action: 'add',
      type: 'custom',
      key,
      data,
    });
    return isRecord(result) ? text(result.id) : '';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function checkNames(names: readonly unknown[], where: string): void {
  for (const name of names) {
    if (typeof name !== 'string' || name === '') {
      throw new TypeError(`${where} takes names as strings, such as "web", got ${describeValue(name)}`);
    }
  }
}
