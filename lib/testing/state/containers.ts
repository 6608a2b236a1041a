// The workload containers of a Kubernetes charm, each with its Pebble as the hook finds it: the
// declared shape a test writes, the charm's `containers:` it is held to, and the model's record.
// Pebble applies a call at once, whatever the hook does after: a failed hook keeps every change
// made to a container (FAILED_HOOK in world.ts).

import { isPlainObject, rule } from '../../options.js';
import type { Layer } from '../../pebble/types.js';
import type { Metadata } from '../metadata.js';
import { keysIn, optional, strings, stringMap, whole } from './checks.js';

/** A file or directory in a simulated container. */
export interface SimulatedFile {
  /** The file's content (leave out for a directory, with `directory: true`). */
  content?: string | Uint8Array;
  /** A directory instead of a file. */
  directory?: boolean;
  /** Permission bits (default `0o644` for a file, `0o755` for a directory). */
  permissions?: number;
  /** The owner (default `root`, 0). */
  user?: string;
  /** The owner's id (default 0). */
  userId?: number;
  /** The group (default `root`, 0). */
  group?: string;
  /** The group's id (default 0). */
  groupId?: number;
}

/** A command the container answers to `exec`: the declared one whose prefix is longest wins. */
export interface SimulatedExec {
  /** The command's first words, such as `['nginx', '-t']`; `[]` answers any command. */
  command: string[];
  /** Its exit code (default 0). */
  exitCode?: number;
  /** What it prints on its standard output. */
  stdout?: string;
  /** What it prints on its standard error. */
  stderr?: string;
}

/** A health check's state, for a check the plan defines. */
export interface SimulatedCheck {
  /** Default `'up'`: a check that has not failed yet is up. */
  status?: 'up' | 'down' | 'inactive';
  /** Failures in a row (at the threshold, Pebble says `down`). */
  failures?: number;
  /** Successes since it started or came back up. */
  successes?: number;
}

/** A custom notice recorded in the container's Pebble (`pebble notify`). */
export interface SimulatedNotice {
  /** Its key, in Pebble's `example.com/path` form. */
  key: string;
  /** The data of its last occurrence. */
  data?: Record<string, string>;
}

/** A workload container's Pebble, as the hook finds it. */
export interface SimulatedContainer {
  /** Whether Pebble answers (default `false`: before the workload container is up). */
  canConnect?: boolean;
  /** The layers it has, by label, in order (those of the image, or added earlier). */
  layers?: Record<string, Layer>;
  /** Each service's state (default: `inactive`), for services the plan defines. */
  serviceStatuses?: Record<string, 'active' | 'inactive' | 'backoff' | 'error'>;
  /**
   * The services that fail to start, with the task's error (such as `cannot start service:
   * exited quickly with code 1`): start and replan then fail with Pebble's change error.
   */
  serviceErrors?: Record<string, string>;
  /** Each check's state (default: up, no failures), for checks the plan defines. */
  checks?: Record<string, SimulatedCheck>;
  /** Files and directories, by absolute path, such as `{ content: 'a=1' }`; parents are made as directories. */
  files?: Record<string, SimulatedFile>;
  /** The commands `exec` answers. */
  execs?: SimulatedExec[];
  /** Custom notices already recorded. */
  notices?: SimulatedNotice[];
}

/** A file or directory, as the model holds it. @internal */
export interface FileRecord {
  type: 'file' | 'directory';
  content: Uint8Array;
  permissions: number;
  user: string;
  userId: number;
  group: string;
  groupId: number;
  lastModified: string;
}

/** A notice, as the model holds it. @internal */
export interface NoticeRecord {
  id: string;
  type: string;
  key: string;
  firstOccurred: string;
  lastOccurred: string;
  lastRepeated: string;
  occurrences: number;
  lastData: Record<string, string>;
}

/** A container's Pebble, as the model holds it. @internal */
export interface ContainerRecord {
  canConnect: boolean;
  /** The layers, in order; `added` for those added over the API (a restart loses them). */
  layers: { label: string; layer: Layer; added: boolean }[];
  services: Record<
    string,
    { current: 'active' | 'inactive' | 'backoff' | 'error'; since?: string; config?: string }
  >;
  serviceErrors: Record<string, string>;
  checks: Record<string, { status: 'up' | 'down' | 'inactive'; failures: number; successes: number }>;
  files: Record<string, FileRecord>;
  execs: SimulatedExec[];
  notices: NoticeRecord[];
  /** The last notice id Pebble gave. */
  sequence: number;
}

const NOTICE_KEY = /^[a-z0-9]+(?:-[a-z0-9]+)*(?:\.[a-z0-9]+(?:-[a-z0-9]+)*)+(?:\/[a-z0-9]+(?:-[a-z0-9]+)*)+$/;
const STATES = ['active', 'inactive', 'backoff', 'error'];

const fileOk = (v: unknown): boolean =>
  isPlainObject(v) &&
  keysIn(v, ['content', 'directory', 'permissions', 'user', 'userId', 'group', 'groupId']) &&
  optional(v.content, (x) => typeof x === 'string' || x instanceof Uint8Array) &&
  optional(v.directory, (x) => typeof x === 'boolean') &&
  optional(v.permissions, (x) => whole(x, 0) && (x as number) <= 0o777) &&
  optional(v.user, (x) => typeof x === 'string') &&
  optional(v.group, (x) => typeof x === 'string') &&
  optional(v.userId, (x) => whole(x, 0)) &&
  optional(v.groupId, (x) => whole(x, 0));

const containerOk = (v: unknown): boolean =>
  isPlainObject(v) &&
  keysIn(v, [
    'canConnect',
    'layers',
    'serviceStatuses',
    'serviceErrors',
    'checks',
    'files',
    'execs',
    'notices',
  ]) &&
  optional(v.canConnect, (x) => typeof x === 'boolean') &&
  optional(v.layers, (x) => isPlainObject(x) && Object.values(x).every(isPlainObject)) &&
  optional(
    v.serviceStatuses,
    (x) => isPlainObject(x) && Object.values(x).every((s) => STATES.includes(s as string)),
  ) &&
  optional(v.serviceErrors, stringMap) &&
  optional(
    v.checks,
    (x) =>
      isPlainObject(x) &&
      Object.values(x).every(
        (c) =>
          isPlainObject(c) &&
          keysIn(c, ['status', 'failures', 'successes']) &&
          optional(c.status, (s) => s === 'up' || s === 'down' || s === 'inactive') &&
          optional(c.failures, (n) => whole(n, 0)) &&
          optional(c.successes, (n) => whole(n, 0)),
      ),
  ) &&
  optional(
    v.files,
    (x) => isPlainObject(x) && Object.entries(x).every(([p, f]) => p.startsWith('/') && fileOk(f)),
  ) &&
  optional(
    v.execs,
    (x) =>
      Array.isArray(x) &&
      x.every(
        (e) =>
          isPlainObject(e) &&
          keysIn(e, ['command', 'exitCode', 'stdout', 'stderr']) &&
          strings(e.command) &&
          optional(e.exitCode, (n) => whole(n, 0) && (n as number) <= 255) &&
          optional(e.stdout, (s) => typeof s === 'string') &&
          optional(e.stderr, (s) => typeof s === 'string'),
      ),
  ) &&
  optional(
    v.notices,
    (x) =>
      Array.isArray(x) &&
      x.every(
        (n) =>
          isPlainObject(n) &&
          keysIn(n, ['key', 'data']) &&
          typeof n.key === 'string' &&
          NOTICE_KEY.test(n.key) &&
          optional(n.data, stringMap),
      ),
  );

/** @internal */
export const CONTAINERS = rule<Record<string, SimulatedContainer>>(
  'an object of container names to { canConnect?, layers?, serviceStatuses?, serviceErrors?, checks?, files?, execs?, notices? } (files by absolute path; notice keys such as "example.com/db")',
  (v) => isPlainObject(v) && Object.values(v).every(containerOk),
);

/** Now, as Pebble writes times. */
export function now(): string {
  return new Date().toISOString();
}

/** The directories above `path`, outermost first: `/a`, `/a/b` of `/a/b/c`. */
export function parentsOf(path: string): string[] {
  const parts = path.split('/').filter(Boolean);
  return parts.slice(0, -1).map((_, i) => `/${parts.slice(0, i + 1).join('/')}`);
}

/**
 * A directory record, as Pebble makes one.
 *
 * @internal
 */
export function directory(permissions = 0o755): FileRecord {
  return {
    type: 'directory',
    content: new Uint8Array(),
    permissions,
    user: 'root',
    userId: 0,
    group: 'root',
    groupId: 0,
    lastModified: now(),
  };
}

/**
 * One declared container as the model holds it.
 *
 * @internal
 */
export function containerOf(declared: SimulatedContainer): ContainerRecord {
  const files: Record<string, FileRecord> = { '/': directory() };
  for (const [path, file] of Object.entries(declared.files ?? {})) {
    for (const parent of parentsOf(path)) files[parent] ??= directory();
    const content = file.content ?? '';
    files[path] = {
      type: file.directory === true ? 'directory' : 'file',
      content: typeof content === 'string' ? new TextEncoder().encode(content) : new Uint8Array(content),
      permissions: file.permissions ?? (file.directory === true ? 0o755 : 0o644),
      user: file.user ?? 'root',
      userId: file.userId ?? 0,
      group: file.group ?? 'root',
      groupId: file.groupId ?? 0,
      lastModified: now(),
    };
  }
  let sequence = 0;
  const notices = (declared.notices ?? []).map((n) => {
    sequence += 1;
    const at = now();
    return {
      id: String(sequence),
      type: 'custom',
      key: n.key,
      firstOccurred: at,
      lastOccurred: at,
      lastRepeated: at,
      occurrences: 1,
      lastData: { ...(n.data ?? {}) },
    };
  });
  const checks: ContainerRecord['checks'] = {};
  for (const [name, check] of Object.entries(declared.checks ?? {})) {
    checks[name] = {
      status: check.status ?? 'up',
      failures: check.failures ?? 0,
      successes: check.successes ?? 0,
    };
  }
  const services: ContainerRecord['services'] = {};
  for (const [name, current] of Object.entries(declared.serviceStatuses ?? {})) {
    services[name] = { current, ...(current === 'active' ? { since: now() } : {}) };
  }
  return {
    canConnect: declared.canConnect ?? false,
    layers: Object.entries(declared.layers ?? {}).map(([label, layer]) => ({
      label,
      layer: structuredClone(layer),
      added: false,
    })),
    services,
    serviceErrors: { ...(declared.serviceErrors ?? {}) },
    checks,
    files,
    execs: structuredClone(declared.execs ?? []),
    notices,
    sequence,
  };
}

/**
 * The declared containers as the model holds them, held to the charm's `containers:`.
 *
 * @throws TypeError for a container the charm does not declare.
 * @internal
 */
export function containersOf(
  declared: Record<string, SimulatedContainer>,
  metadata: Metadata | undefined,
  where = 'create() containers',
): Record<string, ContainerRecord> {
  const out: Record<string, ContainerRecord> = {};
  for (const [name, container] of Object.entries(declared)) {
    checkContainer(name, metadata, where);
    out[name] = containerOf(container);
  }
  return out;
}

/**
 * Refuses a container the charm does not declare, naming those it does.
 *
 * @internal
 */
export function checkContainer(name: string, metadata: Metadata | undefined, where: string): void {
  if (metadata === undefined || metadata.containers.includes(name)) return;
  throw new TypeError(
    `${where}: ${name} is not a container of the charm (${metadata.source} declares ${metadata.containers.length === 0 ? 'no containers' : metadata.containers.join(', ')})`,
  );
}

/**
 * A container in the shape `create()` takes: what the next hook would find (a test's
 * `run.after.containers`).
 *
 * @internal
 */
export function declaredContainer(record: ContainerRecord): SimulatedContainer {
  const files: Record<string, SimulatedFile> = {};
  for (const [path, file] of Object.entries(record.files)) {
    if (path === '/') continue;
    const text = new TextDecoder('utf-8', { fatal: true });
    let content: string | Uint8Array = file.content;
    try {
      content = text.decode(file.content);
    } catch {
      // Not text: kept as bytes.
    }
    files[path] = {
      ...(file.type === 'directory' ? { directory: true } : { content }),
      permissions: file.permissions,
      user: file.user,
      userId: file.userId,
      group: file.group,
      groupId: file.groupId,
    };
  }
  return {
    canConnect: record.canConnect,
    layers: Object.fromEntries(record.layers.map((l) => [l.label, structuredClone(l.layer)])),
    serviceStatuses: Object.fromEntries(Object.entries(record.services).map(([n, s]) => [n, s.current])),
    serviceErrors: { ...record.serviceErrors },
    checks: structuredClone(record.checks),
    files,
    execs: structuredClone(record.execs),
    notices: record.notices
      .filter((n) => n.type === 'custom')
      .map((n) => ({ key: n.key, data: { ...n.lastData } })),
  };
}
