// One call to Pebble's API, as every method of `Container` makes it: the request through the
// container's transport, Pebble's JSON envelope read, its errors turned into the client's, and
// a change waited for until it is ready.

import { ChangeError, type Change, PebbleError, TimeoutError } from './errors.js';
import { pathOf } from './http.js';
import type { PebbleReply, PebbleTransport } from './transport.js';

/** Pebble's answer envelope: `{ type, status-code, result, change }`. */
export interface Envelope {
  readonly type: string;
  readonly statusCode: number;
  readonly result: unknown;
  readonly change?: string;
}

/**
 * What the methods of a container share: how to reach its Pebble, and for how long to wait.
 *
 * @internal
 */
export interface Api {
  readonly container: string;
  readonly timeoutMs: number;
  transport(): PebbleTransport;
}

const JSON_HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json' };

/** Sends one request with a JSON body (or none) and reads Pebble's envelope. */
export async function call(
  api: Api,
  method: 'GET' | 'POST',
  url: string,
  body?: unknown,
  timeoutMs = api.timeoutMs,
): Promise<Envelope> {
  const reply = await api.transport().request(
    {
      method,
      url,
      headers: JSON_HEADERS,
      ...(body === undefined ? {} : { body: new TextEncoder().encode(JSON.stringify(body)) }),
    },
    timeoutMs,
  );
  return envelope(method, url, reply);
}

/**
 * Reads Pebble's JSON envelope from `reply`; an error envelope (or status) is a PebbleError
 * with Pebble's message and kind, an answer that is not JSON one that says so.
 */
export function envelope(method: string, url: string, reply: PebbleReply): Envelope {
  const path = pathOf(url);
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(reply.body));
  } catch (error) {
    throw new PebbleError(
      `Pebble answered ${method} ${path} with status ${String(reply.status)} and a body that is not JSON`,
      { method, path, statusCode: reply.status, cause: error },
    );
  }
  const value = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  const result = value.result;
  if (value.type === 'error' || reply.status >= 400) {
    const details = (typeof result === 'object' && result !== null ? result : {}) as Record<string, unknown>;
    const message = typeof details.message === 'string' ? details.message : `status ${String(reply.status)}`;
    const kind = typeof details.kind === 'string' ? details.kind : undefined;
    throw new PebbleError(`Pebble refused ${method} ${path}: ${message}`, {
      method,
      path,
      statusCode: reply.status,
      ...(kind === undefined ? {} : { kind }),
    });
  }
  return {
    type: typeof value.type === 'string' ? value.type : '',
    statusCode: reply.status,
    result,
    ...(typeof value.change === 'string' ? { change: value.change } : {}),
  };
}

/** A change as the client types it, from Pebble's JSON. */
export function changeOf(raw: unknown): Change {
  const value = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const text = (key: string): string => (typeof value[key] === 'string' ? value[key] : '');
  const tasks = Array.isArray(value.tasks) ? (value.tasks as Record<string, unknown>[]) : [];
  return {
    id: text('id'),
    kind: text('kind'),
    summary: text('summary'),
    status: text('status'),
    ready: value.ready === true,
    ...(typeof value.err === 'string' && value.err !== '' ? { err: value.err } : {}),
    tasks: tasks.map((t) => ({
      id: typeof t.id === 'string' ? t.id : '',
      kind: typeof t.kind === 'string' ? t.kind : '',
      summary: typeof t.summary === 'string' ? t.summary : '',
      status: typeof t.status === 'string' ? t.status : '',
      ...(Array.isArray(t.log) ? { log: t.log.filter((l): l is string => typeof l === 'string') } : {}),
      ...(typeof t.data === 'object' && t.data !== null ? { data: t.data as Record<string, unknown> } : {}),
    })),
  };
}

/**
 * Waits for change `id` to be ready (`GET /v1/changes/{id}/wait`, Pebble holding the request
 * until then or its `timeout`), as ops does after every service operation; a change that
 * failed is a ChangeError with Pebble's text.
 */
export async function waitChange(api: Api, id: string, method: string, path: string): Promise<Change> {
  const url = `/v1/changes/${encodeURIComponent(id)}/wait?timeout=${String(api.timeoutMs)}ms`;
  // The HTTP request may take as long as Pebble's wait, and a little more.
  const { result } = await call(api, 'GET', url, undefined, api.timeoutMs + 1000);
  const change = changeOf(result);
  if (!change.ready) {
    throw new TimeoutError(
      `Pebble in ${api.container}: change ${id} (${change.summary}) was not ready after ${String(api.timeoutMs)} ms`,
      { method, path },
    );
  }
  if (change.err !== undefined) throw new ChangeError(change.err, { method, path, change });
  return change;
}
