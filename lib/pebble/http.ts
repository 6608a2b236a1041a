// Pebble over its unix socket: one `node:http` request per call, and exec's websockets with a
// client of our own (`websocket.ts`: Node's global WebSocket cannot dial a unix socket). A
// machine charm loads none of this.

import { request as httpRequest } from 'node:http';

import { ConnectionError, TimeoutError } from './errors.js';
import type { PebbleReply, PebbleRequest, PebbleSocket, PebbleTransport } from './transport.js';
import { connect } from './websocket.js';

/** The API path of a URL, for error messages: `/v1/services` of `/v1/services?names=web`. */
export function pathOf(url: string): string {
  const at = url.indexOf('?');
  return at < 0 ? url : url.slice(0, at);
}

/**
 * What a failure to reach Pebble is to a charm: not there (no socket, or refused), or gone
 * before it answered; a time-out stays one.
 */
function failureOf(where: string, method: string, url: string, error: unknown): Error {
  if (error instanceof TimeoutError || error instanceof ConnectionError) return error;
  const code = (error as { code?: unknown }).code;
  const details = { method, path: pathOf(url), cause: error };
  if (code === 'ENOENT' || code === 'ECONNREFUSED') {
    return new ConnectionError(
      `${where} is not reachable: ${code === 'ENOENT' ? 'no socket there yet' : 'it refused the connection'}`,
      details,
    );
  }
  return new ConnectionError(
    `${where} closed the connection before answering ${method} ${pathOf(url)}: ${error instanceof Error ? error.message : String(error)}`,
    details,
  );
}

/**
 * `transport` with its failures read as the socket's are: the transport a test's in-process
 * run hands the client, whose errors come from another bundle.
 *
 * @internal
 */
export function guarded(transport: PebbleTransport, where: string): PebbleTransport {
  return {
    request: (request, timeoutMs) =>
      transport.request(request, timeoutMs).catch((error: unknown) => {
        throw failureOf(where, request.method, request.url, error);
      }),
    websocket: (url, timeoutMs) =>
      transport.websocket(url, timeoutMs).catch((error: unknown) => {
        throw failureOf(where, 'GET', url, error);
      }),
  };
}

/**
 * The transport to the Pebble listening on `socketPath`, for the container `name`.
 *
 * @internal
 */
export function socketTransport(socketPath: string, name: string): PebbleTransport {
  const where = `Pebble in ${name} (${socketPath})`;
  const failure = (method: string, url: string, error: unknown): Error =>
    failureOf(where, method, url, error);
  return {
    request: (request: PebbleRequest, timeoutMs: number): Promise<PebbleReply> =>
      new Promise((resolve, reject) => {
        const body = request.body ?? new Uint8Array();
        const call = httpRequest({
          socketPath,
          method: request.method,
          path: request.url,
          headers: { ...request.headers, Host: 'localhost', 'Content-Length': String(body.byteLength) },
        });
        const timer = setTimeout(() => {
          call.destroy(
            new TimeoutError(
              `${where} did not answer ${request.method} ${pathOf(request.url)} within ${String(timeoutMs)} ms`,
              { method: request.method, path: pathOf(request.url) },
            ),
          );
        }, timeoutMs);
        call.on('error', (error) => {
          clearTimeout(timer);
          reject(failure(request.method, request.url, error));
        });
        call.on('response', (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', (error) => {
            clearTimeout(timer);
            reject(failure(request.method, request.url, error));
          });
          response.on('end', () => {
            clearTimeout(timer);
            if (!response.complete) {
              reject(failure(request.method, request.url, new Error('the answer was cut short')));
              return;
            }
            const headers: Record<string, string> = {};
            for (const [key, value] of Object.entries(response.headers)) {
              if (typeof value === 'string') headers[key] = value;
            }
            resolve({ status: response.statusCode ?? 0, headers, body: Buffer.concat(chunks) });
          });
        });
        call.end(body);
      }),

    async websocket(url: string, timeoutMs: number): Promise<PebbleSocket> {
      try {
        return await connect(socketPath, url, timeoutMs);
      } catch (error) {
        throw failure('GET', url, error);
      }
    },
  };
}
