// The simulated Pebble's answers: Pebble's JSON envelopes (docs/reference/api.md, *Structure
// of the API* and *Errors*).

import type { PebbleReply } from '../../pebble/transport.js';

/** HTTP's words for the statuses Pebble answers with. */
const STATUS_TEXT: Readonly<Record<number, string>> = {
  200: 'OK',
  202: 'Accepted',
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  500: 'Internal Server Error',
};

/** A JSON object. @internal */
export type Json = Record<string, unknown>;

/** An answer with a JSON body. @internal */
export function reply(status: number, body: unknown, headers: Record<string, string> = {}): PebbleReply {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: new TextEncoder().encode(JSON.stringify(body)),
  };
}

/** A sync answer with its result. @internal */
export function sync(result: unknown): PebbleReply {
  return reply(200, { type: 'sync', 'status-code': 200, status: 'OK', result });
}

/** Pebble's error envelope. @internal */
export function error(status: number, message: string, kind?: string): PebbleReply {
  return reply(status, {
    type: 'error',
    'status-code': status,
    status: STATUS_TEXT[status] ?? '',
    result: { message, ...(kind === undefined ? {} : { kind }) },
  });
}

/** Whether `value` is a JSON object. @internal */
export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON string, or `''`. @internal */
export function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** A path's refusal, as a files answer reports it. @internal */
export function wrap(refused: { message: string; kind: string } | undefined): Json {
  return refused === undefined ? {} : { error: refused };
}
