// What the client takes and gives: layers in Pebble's own words (the keys of its layer
// specification, so that a layer reads as it would in YAML), results in camelCase.

/** A service in a layer or the plan (Pebble's layer specification). */
export interface ServiceSpec {
  /** How this definition combines with one already in the plan. Required in a layer. */
  override?: 'merge' | 'replace';
  command?: string;
  summary?: string;
  description?: string;
  /** Whether `replan` (and Pebble's start) starts it; default `disabled`. */
  startup?: 'enabled' | 'disabled';
  after?: string[];
  before?: string[];
  requires?: string[];
  environment?: Record<string, string>;
  user?: string;
  'user-id'?: number;
  group?: string;
  'group-id'?: number;
  'working-dir'?: string;
  'on-success'?: 'restart' | 'shutdown' | 'failure-shutdown' | 'ignore';
  'on-failure'?: 'restart' | 'shutdown' | 'success-shutdown' | 'ignore';
  'on-check-failure'?: Record<string, 'restart' | 'shutdown' | 'success-shutdown' | 'ignore'>;
  'backoff-delay'?: string;
  'backoff-factor'?: number;
  'backoff-limit'?: string;
  'kill-delay'?: string;
}

/** A health check in a layer or the plan. */
export interface CheckSpec {
  override?: 'merge' | 'replace';
  level?: 'alive' | 'ready';
  startup?: 'enabled' | 'disabled';
  period?: string;
  timeout?: string;
  threshold?: number;
  http?: { url: string; headers?: Record<string, string> };
  tcp?: { port: number; host?: string };
  exec?: {
    command: string;
    'service-context'?: string;
    environment?: Record<string, string>;
    user?: string;
    'user-id'?: number;
    group?: string;
    'group-id'?: number;
    'working-dir'?: string;
  };
}

/** A configuration layer: what `addLayer()` adds to the plan. */
export interface Layer {
  summary?: string;
  description?: string;
  services?: Record<string, ServiceSpec>;
  checks?: Record<string, CheckSpec>;
  'log-targets'?: Record<string, Record<string, unknown>>;
}

/** The plan: every layer combined (`GET /v1/plan`). */
export interface Plan {
  services: Record<string, ServiceSpec>;
  checks: Record<string, CheckSpec>;
  'log-targets': Record<string, Record<string, unknown>>;
}

/** A service's state (`GET /v1/services`). */
export interface ServiceInfo {
  name: string;
  startup: 'enabled' | 'disabled';
  /** `backoff` is not running: Pebble is waiting to restart it. */
  current: 'active' | 'inactive' | 'backoff' | 'error';
  /** When it entered `current`; absent until it first started. */
  currentSince?: string;
}

/** A health check's state (`GET /v1/checks`). */
export interface CheckInfo {
  name: string;
  /** Absent for a check with no level. */
  level?: 'alive' | 'ready';
  /** `down` once `failures` reached `threshold`; `inactive` when stopped. */
  status: 'up' | 'down' | 'inactive';
  /** Successes since it started or came back up; absent where Pebble does not report it. */
  successes?: number;
  /** Consecutive failures (0 when Pebble leaves it out). */
  failures: number;
  threshold: number;
  changeId?: string;
}

/** A file or directory (`GET /v1/files?action=list`). */
export interface FileInfo {
  path: string;
  name: string;
  type: 'file' | 'directory' | 'symlink' | 'socket' | 'named-pipe' | 'device' | 'unknown';
  /** Size in bytes, for a regular file. */
  size?: number;
  /** Permission bits, such as `0o644`. */
  permissions: number;
  lastModified: string;
  userId?: number;
  user?: string;
  groupId?: number;
  group?: string;
}

/** A notice (`GET /v1/notices`). */
export interface Notice {
  id: string;
  /** The user it is for; `undefined` for a public notice. */
  userId?: number;
  type: 'custom' | 'change-update' | 'warning' | (string & {});
  key: string;
  firstOccurred: string;
  lastOccurred: string;
  lastRepeated: string;
  occurrences: number;
  lastData: Record<string, string>;
  repeatAfter?: string;
  expireAfter?: string;
}

/** What a command run with `exec()` printed, having exited 0. */
export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}
