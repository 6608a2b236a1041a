// The doors to the containers' simulated Pebbles: in the test's process, the model answers the
// charm's client directly (the same request bytes, no socket); through `dispatch`, each
// container reachable gets a real HTTP server on a unix socket, where the charm's unchanged
// code finds it (`CHARMS_CONTEXTUAL_STATUS_CONTAINERS`), exec's websockets included (the
// client's own framing, `lib/pebble/websocket.ts`, serving the other end).

import { mkdirSync, rmSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';

import type { PebbleReply, PebbleRequest, PebbleSocket, PebbleTransport } from '../../pebble/transport.js';
import type { ContainerRecord } from '../state/containers.js';
import { SimulatedPebble } from '../pebble/server.js';
import { acceptKey, websocketOver } from '../../pebble/websocket.js';

/** Linux's cap on a unix socket's path (sun_path, with its NUL). */
const SOCKET_PATH_MAX = 107;

/** A connection refused, as the client's transport reads one (`code`). */
function refused(name: string): Error {
  return Object.assign(
    new Error(`connect ECONNREFUSED: the ${name} container's Pebble is not up (canConnect: false)`),
    {
      code: 'ECONNREFUSED',
    },
  );
}

/**
 * One end of an in-memory websocket: what it sends, its peer receives, in order (kept until the
 * peer listens, as `lib/pebble/websocket.ts` keeps it); closing either closes both, after what
 * was sent before.
 */
class MemorySocket implements PebbleSocket {
  peer: MemorySocket | undefined;
  readonly #listeners: ((data: string | Uint8Array) => void)[] = [];
  readonly #closers: (() => void)[] = [];
  /** What arrives before anyone listens, for the first listener (as the socket client keeps it). */
  #early: (string | Uint8Array)[] | undefined = [];
  #open = true;

  send(data: string | Uint8Array): void {
    const peer = this.peer;
    if (this.#open && peer !== undefined)
      queueMicrotask(() => {
        peer.receive(data);
      });
  }

  receive(data: string | Uint8Array): void {
    if (!this.#open) return;
    if (this.#early !== undefined) this.#early.push(data);
    else for (const listener of this.#listeners) listener(data);
  }

  onMessage(listener: (data: string | Uint8Array) => void): void {
    this.#listeners.push(listener);
    const kept = this.#early ?? [];
    this.#early = undefined;
    for (const data of kept) listener(data);
  }

  onClose(listener: () => void): void {
    if (this.#open) this.#closers.push(listener);
    else queueMicrotask(listener);
  }

  close(): void {
    queueMicrotask(() => {
      this.shut();
      this.peer?.shut();
    });
  }

  shut(): void {
    if (!this.#open) return;
    this.#open = false;
    for (const closer of this.#closers) closer();
  }
}

function socketPair(): [PebbleSocket, PebbleSocket] {
  const client = new MemorySocket();
  const server = new MemorySocket();
  client.peer = server;
  server.peer = client;
  return [client, server];
}

/** @internal */
export class Workloads {
  /** The world's containers, as they stand now. */
  readonly #containers: () => Record<string, ContainerRecord>;
  readonly #pebbles = new Map<string, SimulatedPebble>();
  readonly #servers = new Map<string, Server>();
  /** Exec's upgraded sockets, which the HTTP server no longer closes. */
  readonly #upgraded = new Set<Duplex>();

  constructor(containers: () => Record<string, ContainerRecord>) {
    this.#containers = containers;
  }

  /** The Pebble of container `name` (made once; it reads the container as it stands). */
  #pebble(name: string): SimulatedPebble {
    let pebble = this.#pebbles.get(name);
    if (pebble === undefined) {
      pebble = new SimulatedPebble(() => {
        const container = this.#containers()[name];
        if (container === undefined) throw refused(name);
        return container;
      });
      this.#pebbles.set(name, pebble);
    }
    return pebble;
  }

  #reachable(name: string): boolean {
    return this.#containers()[name]?.canConnect === true;
  }

  /** The transport of container `name` for a run in the test's process. */
  inProcess(name: string): PebbleTransport {
    return {
      request: async (request: PebbleRequest): Promise<PebbleReply> => {
        if (!this.#reachable(name)) throw refused(name);
        return this.#pebble(name).handle(request);
      },
      websocket: (url: string): Promise<PebbleSocket> => {
        if (!this.#reachable(name)) return Promise.reject(refused(name));
        const [client, server] = socketPair();
        if (!this.#pebble(name).connect(url, server)) {
          return Promise.reject(new Error(`Unexpected server response: 404 (${url})`));
        }
        return Promise.resolve(client);
      },
    };
  }

  /**
   * Serves each reachable container's Pebble on `<root>/<name>/pebble.socket`, and stops
   * serving those that are not (their socket gone, as before a container is up).
   */
  async serve(root: string): Promise<void> {
    const containers = this.#containers();
    for (const [name, server] of this.#servers) {
      if (containers[name]?.canConnect === true) continue;
      this.#servers.delete(name);
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
      server.closeAllConnections();
    }
    for (const [name, container] of Object.entries(containers)) {
      if (!container.canConnect || this.#servers.has(name)) continue;
      const socketPath = join(root, name, 'pebble.socket');
      if (Buffer.byteLength(socketPath) > SOCKET_PATH_MAX) {
        throw new Error(
          `the ${name} container's Pebble socket path would be ${String(Buffer.byteLength(socketPath))} bytes, over Linux's ${String(SOCKET_PATH_MAX)}: ${socketPath}`,
        );
      }
      mkdirSync(join(root, name), { recursive: true });
      rmSync(socketPath, { force: true });
      const server = await this.#listen(name, socketPath);
      this.#servers.set(name, server);
    }
  }

  async #listen(name: string, socketPath: string): Promise<Server> {
    const pebble = this.#pebble(name);
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const headers: Record<string, string> = {};
        for (const [key, value] of Object.entries(request.headers))
          if (typeof value === 'string') headers[key] = value;
        pebble
          .handle({
            method: request.method === 'POST' ? 'POST' : 'GET',
            url: request.url ?? '/',
            headers,
            body: Buffer.concat(chunks),
          })
          .then(
            (reply) => {
              response.writeHead(reply.status, {
                ...reply.headers,
                'content-length': String(reply.body.byteLength),
              });
              response.end(reply.body);
            },
            (error: unknown) => {
              response.writeHead(500, { 'content-type': 'application/json' });
              response.end(
                JSON.stringify({
                  type: 'error',
                  'status-code': 500,
                  status: 'Internal Server Error',
                  result: { message: String(error) },
                }),
              );
            },
          );
      });
    });
    server.on('upgrade', (request, socket, head) => {
      this.#upgraded.add(socket);
      socket.on('close', () => this.#upgraded.delete(socket));
      // A task's websocket (RFC 6455's handshake), for exec.
      const key = request.headers['sec-websocket-key'];
      const end = typeof key === 'string' ? websocketOver(socket, false, head) : undefined;
      if (typeof key !== 'string' || end === undefined) {
        socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
        return;
      }
      socket.write(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acceptKey(key)}\r\n\r\n`,
      );
      if (!pebble.connect(request.url ?? '', end)) end.close();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => {
        resolve();
      });
    });
    return server;
  }

  /** Stops serving every socket and ends every exec session. */
  async close(): Promise<void> {
    for (const pebble of this.#pebbles.values()) pebble.close();
    for (const socket of this.#upgraded) socket.destroy();
    const servers = [...this.#servers.values()];
    this.#servers.clear();
    await Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => {
              resolve();
            });
            server.closeAllConnections();
          }),
      ),
    );
  }
}
