// The little of WebSocket (RFC 6455) that Pebble's exec needs, over a unix socket: a client
// upgrade and the framing, both ways. Node's global WebSocket cannot dial a unix socket, and
// the `ws` package costs a hook that runs a command 30–45 ms to load (bench/README.md,
// Kubernetes charms): this costs nothing until exec runs. The simulator's Pebble serves its
// end with the same framing.

import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { Duplex } from 'node:stream';

import type { PebbleSocket } from './transport.js';

/** RFC 6455's key suffix, for `Sec-WebSocket-Accept`. */
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const TEXT = 0x1;
const BINARY = 0x2;
const CLOSE = 0x8;
const PING = 0x9;
const PONG = 0xa;

/**
 * The `Sec-WebSocket-Accept` a server answers a client's `Sec-WebSocket-Key` with.
 *
 * @internal
 */
export function acceptKey(key: string): string {
  return createHash('sha1').update(`${key}${GUID}`).digest('base64');
}

/** One whole frame; a client's is masked (RFC 6455 §5.3), a server's is not. */
function frame(opcode: number, payload: Uint8Array, masked: boolean): Buffer {
  const length = payload.byteLength;
  const size = length < 126 ? 0 : length < 0x10000 ? 2 : 8;
  const head = Buffer.alloc(2 + size + (masked ? 4 : 0));
  head[0] = 0x80 | opcode;
  head[1] = (masked ? 0x80 : 0) | (size === 0 ? length : size === 2 ? 126 : 127);
  if (size === 2) head.writeUInt16BE(length, 2);
  if (size === 8) head.writeBigUInt64BE(BigInt(length), 2);
  if (!masked) return Buffer.concat([head, payload]);
  const mask = randomBytes(4);
  mask.copy(head, 2 + size);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i += 1) body[i] = (body[i] ?? 0) ^ (mask[i % 4] ?? 0);
  return Buffer.concat([head, body]);
}

/**
 * A websocket over an upgraded stream: messages (text or binary, fragments joined) to the
 * listeners, pings answered, a close answered and the stream ended.
 *
 * @internal
 */
export function websocketOver(stream: Duplex, masked: boolean, head: Buffer = Buffer.alloc(0)): PebbleSocket {
  const listeners: ((data: string | Uint8Array) => void)[] = [];
  const closers: (() => void)[] = [];
  // What arrives before anyone listens is kept for the first listener: Pebble may send a fast
  // command's output (and its end) as soon as the last websocket is up.
  let early: (string | Uint8Array)[] | undefined = [];
  let buffered = head;
  let fragments: Buffer[] = [];
  let kind = BINARY;
  let closing = false;
  let closed = false;
  const send = (opcode: number, payload: Uint8Array): void => {
    if (!stream.writable) return;
    stream.write(frame(opcode, payload, masked));
  };
  const end = (): void => {
    if (closed) return;
    closed = true;
    for (const closer of closers) closer();
  };
  const read = (): void => {
    for (;;) {
      if (buffered.length < 2) return;
      const first = buffered[0] ?? 0;
      const second = buffered[1] ?? 0;
      let length = second & 0x7f;
      let at = 2;
      if (length === 126) {
        if (buffered.length < 4) return;
        length = buffered.readUInt16BE(2);
        at = 4;
      } else if (length === 127) {
        if (buffered.length < 10) return;
        length = Number(buffered.readBigUInt64BE(2));
        at = 10;
      }
      const maskAt = at;
      if ((second & 0x80) !== 0) at += 4;
      if (buffered.length < at + length) return;
      const payload = Buffer.from(buffered.subarray(at, at + length));
      if ((second & 0x80) !== 0) {
        for (let i = 0; i < payload.length; i += 1)
          payload[i] = (payload[i] ?? 0) ^ (buffered[maskAt + (i % 4)] ?? 0);
      }
      buffered = buffered.subarray(at + length);
      const opcode = first & 0x0f;
      if (opcode === PING) send(PONG, payload);
      else if (opcode === CLOSE) {
        if (!closing) {
          closing = true;
          send(CLOSE, payload.subarray(0, 2));
        }
        stream.end();
      } else if (opcode !== PONG) {
        if (opcode !== 0) kind = opcode;
        fragments.push(payload);
        if ((first & 0x80) !== 0) {
          const message = Buffer.concat(fragments);
          fragments = [];
          const data = kind === TEXT ? message.toString('utf8') : new Uint8Array(message);
          if (early !== undefined) early.push(data);
          else for (const listener of listeners) listener(data);
        }
      }
    }
  };
  stream.on('data', (chunk: Buffer) => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    read();
  });
  stream.on('close', end);
  stream.on('error', end);
  queueMicrotask(read); // what came with the upgrade
  return {
    send: (data) => {
      send(typeof data === 'string' ? TEXT : BINARY, typeof data === 'string' ? Buffer.from(data) : data);
    },
    onMessage: (listener) => {
      listeners.push(listener);
      const kept = early ?? [];
      early = undefined;
      for (const data of kept) listener(data);
    },
    onClose: (listener) => {
      if (closed) queueMicrotask(listener);
      else closers.push(listener);
    },
    close: () => {
      if (closing) return;
      closing = true;
      send(CLOSE, Buffer.from([0x03, 0xe8])); // 1000: normal closure
      stream.end();
    },
  };
}

/**
 * Opens a websocket to `url` on the HTTP server at `socketPath`, as a client.
 *
 * @internal
 */
export function connect(socketPath: string, url: string, timeoutMs: number): Promise<PebbleSocket> {
  return new Promise((resolve, reject) => {
    const key = randomBytes(16).toString('base64');
    const call = request({
      socketPath,
      path: url,
      headers: {
        Host: 'localhost',
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': key,
      },
    });
    const timer = setTimeout(() => {
      call.destroy(new Error(`no websocket upgrade within ${String(timeoutMs)} ms`));
    }, timeoutMs);
    call.on('upgrade', (response, socket, head) => {
      clearTimeout(timer);
      if (response.headers['sec-websocket-accept'] !== acceptKey(key)) {
        socket.destroy();
        reject(new Error('the server answered the websocket upgrade with the wrong Sec-WebSocket-Accept'));
        return;
      }
      resolve(websocketOver(socket, true, head));
    });
    call.on('response', (response) => {
      clearTimeout(timer);
      response.resume();
      reject(
        new Error(`the server refused the websocket upgrade with status ${String(response.statusCode)}`),
      );
    });
    call.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    call.end();
  });
}
