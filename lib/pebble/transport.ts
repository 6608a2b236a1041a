// How the client reaches a Pebble: HTTP over its unix socket in a charm (`http.ts`), or, in a
// test's hook run in the test's own process, the simulator's model of that Pebble answering the
// same requests with no socket. Both carry the same bytes, so the client has one code path.

/** One HTTP request to Pebble's API. */
export interface PebbleRequest {
  readonly method: 'GET' | 'POST';
  /** The path and query, such as `/v1/services?names=web`. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Uint8Array;
}

/** Pebble's answer. */
export interface PebbleReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

/** One of a task's websockets (`/v1/tasks/{id}/websocket/{name}`), as exec uses them. */
export interface PebbleSocket {
  /** Sends a text message (a command such as `{"command":"end"}`) or binary data. */
  send(data: string | Uint8Array): void;
  /** Each message received, text or binary, until the socket closes. */
  onMessage(listener: (data: string | Uint8Array) => void): void;
  onClose(listener: () => void): void;
  close(): void;
}

/**
 * A way to Pebble. Failures to reach it reject with the client's errors.
 *
 * @internal
 */
export interface PebbleTransport {
  request(request: PebbleRequest, timeoutMs: number): Promise<PebbleReply>;
  websocket(url: string, timeoutMs: number): Promise<PebbleSocket>;
}
