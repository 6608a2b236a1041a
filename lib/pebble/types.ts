// What the client takes and gives: layers in Pebble's own words (the keys of its layer
// specification, so that a layer reads as it would in YAML), results in camelCase.

/** A service in a layer or the plan (Pebble's layer specification). */
export interface ServiceSpec {
  /** How this definition combines with one already in the plan. Required in a layer. */
  override?: 'merge' | 'replace';
  /** The command that runs it (not through a shell); default arguments may follow in `[ … ]`. */
  command?: string;
  /** A one-line summary. */
  summary?: string;
  /** A longer description. */
  description?: string;
  /** Whether `replan` (and Pebble's start) starts it; default `disabled`. */
  startup?: 'enabled' | 'disabled';
  /** Services it starts after. */
  after?: string[];
  /** Services it starts before. */
  before?: string[];
  /** Services it needs to start. */
  requires?: string[];
  /** Its environment variables. */
  environment?: Record<string, string>;
  /** The user it runs as. */
  user?: string;
  /** The user's id it runs as. */
  'user-id'?: number;
  /** The group it runs as. */
  group?: string;
  /** The group's id it runs as. */
  'group-id'?: number;
  /** Where its command runs. */
  'working-dir'?: string;
  /** What Pebble does when it exits 0 (default `restart`). */
  'on-success'?: 'restart' | 'shutdown' | 'failure-shutdown' | 'ignore';
  /** What Pebble does when it exits non-zero (default `restart`). */
  'on-failure'?: 'restart' | 'shutdown' | 'success-shutdown' | 'ignore';
  /** What Pebble does when each named check fails. */
  'on-check-failure'?: Record<string, 'restart' | 'shutdown' | 'success-shutdown' | 'ignore'>;
  /** The first restart's delay, a duration such as `500ms`. */
  'backoff-delay'?: string;
  /** What each restart's delay is multiplied by (default 2). */
  'backoff-factor'?: number;
  /** The longest restart delay (default `30s`). */
  'backoff-limit'?: string;
  /** How long it has to stop after SIGTERM before SIGKILL (default `5s`). */
  'kill-delay'?: string;
}

/** A health check in a layer or the plan. */
export interface CheckSpec {
  /** How this definition combines with one already in the plan. Required in a layer. */
  override?: 'merge' | 'replace';
  /** Its level: readiness takes alive checks too. */
  level?: 'alive' | 'ready';
  /** Whether Pebble runs it (default `enabled`). */
  startup?: 'enabled' | 'disabled';
  /** How often it runs, a duration (default `10s`). */
  period?: string;
  /** How long one run may take (default `3s`). */
  timeout?: string;
  /** Failures in a row before it is down (default 3). */
  threshold?: number;
  /** Up when a GET of its URL answers 2xx. */
  http?: HttpCheck;
  /** Up when its port accepts a connection. */
  tcp?: TcpCheck;
  /** Up when its command exits 0. */
  exec?: ExecCheck;
}

/** An HTTP check. */
export interface HttpCheck {
  /** The URL to GET, such as `http://localhost:8080/ready`. */
  url: string;
  /** Headers to send. */
  headers?: Record<string, string>;
}

/** A TCP check. */
export interface TcpCheck {
  /** The port to connect to. */
  port: number;
  /** The host (default `localhost`). */
  host?: string;
}

/** A command check. */
export interface ExecCheck {
  /** The command (not through a shell). */
  command: string;
  /** A service whose environment, user and working folder it runs with. */
  'service-context'?: string;
  /** Its environment variables. */
  environment?: Record<string, string>;
  /** The user it runs as. */
  user?: string;
  /** The user's id it runs as. */
  'user-id'?: number;
  /** The group it runs as. */
  group?: string;
  /** The group's id it runs as. */
  'group-id'?: number;
  /** Where it runs. */
  'working-dir'?: string;
}

/** A configuration layer: what `addLayer()` adds to the plan. */
export interface Layer {
  /** A one-line summary. */
  summary?: string;
  /** A longer description. */
  description?: string;
  /** Its services, by name. */
  services?: Record<string, ServiceSpec>;
  /** Its health checks, by name. */
  checks?: Record<string, CheckSpec>;
  /** Where services' logs are forwarded, by target name. */
  'log-targets'?: Record<string, Record<string, unknown>>;
}

/** The plan: every layer combined (`GET /v1/plan`). */
export interface Plan {
  /** The services, by name. */
  services: Record<string, ServiceSpec>;
  /** The health checks, by name. */
  checks: Record<string, CheckSpec>;
  /** The log targets, by name. */
  'log-targets': Record<string, Record<string, unknown>>;
}

/** A service's state (`GET /v1/services`). */
export interface ServiceInfo {
  /** The service's name. */
  name: string;
  /** Whether the plan starts it. */
  startup: 'enabled' | 'disabled';
  /** `backoff` is not running: Pebble is waiting to restart it. */
  current: 'active' | 'inactive' | 'backoff' | 'error';
  /** When it entered `current`; absent until it first started. */
  currentSince?: string;
}

/** A health check's state (`GET /v1/checks`). */
export interface CheckInfo {
  /** The check's name. */
  name: string;
  /** Absent for a check with no level. */
  level?: 'alive' | 'ready';
  /** `down` once `failures` reached `threshold`; `inactive` when stopped. */
  status: 'up' | 'down' | 'inactive';
  /** Successes since it started or came back up; absent where Pebble does not report it. */
  successes?: number;
  /** Consecutive failures (0 when Pebble leaves it out). */
  failures: number;
  /** Failures in a row at which it is down. */
  threshold: number;
  /** The change that runs it. */
  changeId?: string;
}

/** A file or directory (`GET /v1/files?action=list`). */
export interface FileInfo {
  /** Its absolute path. */
  path: string;
  /** Its name, the path's last part. */
  name: string;
  /** What it is. */
  type: 'file' | 'directory' | 'symlink' | 'socket' | 'named-pipe' | 'device' | 'unknown';
  /** Size in bytes, for a regular file. */
  size?: number;
  /** Permission bits, such as `0o644`. */
  permissions: number;
  /** When it last changed (RFC 3339). */
  lastModified: string;
  /** Its owner's id. */
  userId?: number;
  /** Its owner. */
  user?: string;
  /** Its group's id. */
  groupId?: number;
  /** Its group. */
  group?: string;
}

/** A notice (`GET /v1/notices`). */
export interface Notice {
  /** Pebble's id for it. */
  id: string;
  /** The user it is for; `undefined` for a public notice. */
  userId?: number;
  /** What kind of notice: `custom` for `notify()`'s. */
  type: 'custom' | 'change-update' | 'warning' | (string & {});
  /** Its key (`example.com/path` for a custom notice). */
  key: string;
  /** When it first occurred (RFC 3339). */
  firstOccurred: string;
  /** When it last occurred. */
  lastOccurred: string;
  /** When it last repeated (occurred after its `repeatAfter`). */
  lastRepeated: string;
  /** How many times it occurred. */
  occurrences: number;
  /** The data of its last occurrence. */
  lastData: Record<string, string>;
  /** How long after an occurrence another one repeats it. */
  repeatAfter?: string;
  /** How long after its last occurrence Pebble forgets it. */
  expireAfter?: string;
}

/** What a command run with `exec()` printed, having exited 0. */
export interface ExecResult {
  /** 0. */
  exitCode: number;
  /** What it wrote on its standard output. */
  stdout: string;
  /** What it wrote on its standard error. */
  stderr: string;
}

/** Options of `Container.push()`. */
export interface PushOptions {
  /** Make the missing parent directories (default `false`: a missing parent is refused). */
  makeDirs?: boolean;
  /** Permission bits, such as `0o600` (default Pebble's: `0o644`). */
  permissions?: number;
  /** Its owner. */
  user?: string;
  /** Its owner's id. */
  userId?: number;
  /** Its group. */
  group?: string;
  /** Its group's id. */
  groupId?: number;
}

/** Options of `Container.exec()`. */
export interface ExecOptions {
  /** Its environment variables. */
  environment?: Record<string, string>;
  /** Where it runs. */
  workingDir?: string;
  /** Pebble ends the command after this long (and the call fails). */
  timeoutMs?: number;
  /** The user it runs as. */
  user?: string;
  /** The user's id it runs as. */
  userId?: number;
  /** The group it runs as. */
  group?: string;
  /** The group's id it runs as. */
  groupId?: number;
  /** What the command reads on its standard input. */
  stdin?: string | Uint8Array;
}
