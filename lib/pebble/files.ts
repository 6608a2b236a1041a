// Pebble's files API (`/v1/files`): write is a multipart request, read a multipart answer
// (read with the platform's `Response.formData()`), the rest JSON. Pebble reports a refused path inside a 200 answer (`result[i].error`): each one is
// a PathError here, as a charm handles it.

import { randomUUID } from 'node:crypto';

import { describeValue } from '../describe.js';
import { type Api, call, envelope } from './api.js';
import { PathError, PebbleError } from './errors.js';
import type { FileInfo, PushOptions } from './types.js';

const FILES = '/v1/files';

/** A path Pebble takes: absolute. */
function checkPath(path: unknown, where: string): asserts path is string {
  if (typeof path !== 'string' || !path.startsWith('/') || /[\0\r\n]/.test(path)) {
    throw new TypeError(
      `${where} takes an absolute path such as "/etc/app.conf", got ${describeValue(path)}`,
    );
  }
}

/** Permission bits as Pebble takes them: three octal digits. */
function permissionsOf(value: unknown, where: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0o777) {
    throw new TypeError(
      `${where} permissions are bits from 0 to 0o777, such as 0o644, got ${describeValue(value)}`,
    );
  }
  return value.toString(8).padStart(3, '0');
}

/** Throws the PathError of the first refused path in a files answer. */
function refused(method: string, result: unknown): void {
  if (!Array.isArray(result)) return;
  for (const entry of result as { path?: unknown; error?: { message?: unknown; kind?: unknown } }[]) {
    if (entry.error === undefined) continue;
    const filePath = typeof entry.path === 'string' ? entry.path : '';
    const message = typeof entry.error.message === 'string' ? entry.error.message : 'refused';
    const kind = typeof entry.error.kind === 'string' ? entry.error.kind : undefined;
    throw new PathError(`Pebble refused ${filePath}: ${message}`, {
      method,
      path: FILES,
      filePath,
      ...(kind === undefined ? {} : { kind }),
    });
  }
}

/** A refusal of a file operation as Pebble answers it outside the 200 (a listing): PathError. */
async function asPathError<T>(path: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof PebbleError && !(error instanceof PathError) && error.kind !== undefined) {
      throw new PathError(error.message, {
        method: error.method,
        path: error.path,
        filePath: path,
        kind: error.kind,
      });
    }
    throw error;
  }
}

/**
 * The body of a write (`POST /v1/files`): the `request` part (its JSON), then the file's
 * part, named by its path, as Pebble reads them in that order (api_files.go). Written by hand:
 * the platform's `new Response(formData)` costs half a millisecond a push, a test's whole hook.
 */
function multipart(request: string, path: string, content: Uint8Array): { type: string; body: Uint8Array } {
  const boundary = `pebble-${randomUUID()}`;
  // A quoted string (RFC 2045), as Go's mime package reads the file name back.
  const name = path.replace(/["\\]/g, (c) => `\\${c}`);
  const text = new TextEncoder();
  const body = Buffer.concat([
    text.encode(`--${boundary}\r\nContent-Disposition: form-data; name="request"\r\n\r\n${request}\r\n`),
    text.encode(
      `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    content,
    text.encode(`\r\n--${boundary}--\r\n`),
  ]);
  return { type: `multipart/form-data; boundary=${boundary}`, body };
}

/** @internal */
export async function push(
  api: Api,
  path: string,
  content: string | Uint8Array,
  options: PushOptions,
): Promise<void> {
  checkPath(path, 'push()');
  if (typeof content !== 'string' && !(content instanceof Uint8Array)) {
    throw new TypeError(`push() takes content as a string or a Uint8Array, got ${describeValue(content)}`);
  }
  const permissions = permissionsOf(options.permissions, 'push()');
  const request = JSON.stringify({
    action: 'write',
    files: [
      {
        path,
        'make-dirs': options.makeDirs === true,
        ...(permissions === undefined ? {} : { permissions }),
        ...(options.user === undefined ? {} : { user: options.user }),
        ...(options.userId === undefined ? {} : { 'user-id': options.userId }),
        ...(options.group === undefined ? {} : { group: options.group }),
        ...(options.groupId === undefined ? {} : { 'group-id': options.groupId }),
      },
    ],
  });
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  const { type, body } = multipart(request, path, bytes);
  const reply = await api.transport().request(
    {
      method: 'POST',
      url: FILES,
      headers: { 'Content-Type': type, Accept: 'application/json' },
      body,
    },
    api.timeoutMs,
  );
  refused('POST', envelope('POST', FILES, reply).result);
}

/** @internal */
export async function pull(api: Api, path: string): Promise<Uint8Array> {
  checkPath(path, 'pull()');
  const url = `${FILES}?action=read&path=${encodeURIComponent(path)}`;
  const reply = await api
    .transport()
    .request({ method: 'GET', url, headers: { Accept: 'multipart/form-data' } }, api.timeoutMs);
  const type = reply.headers['content-type'] ?? '';
  if (!type.startsWith('multipart/form-data')) {
    envelope('GET', url, reply); // an error envelope throws; anything else is not Pebble's answer
    throw new PebbleError(
      `Pebble answered a read of ${path} with ${type || 'no content type'}, not a multipart body`,
      {
        method: 'GET',
        path: FILES,
        statusCode: reply.status,
      },
    );
  }
  let form: FormData;
  try {
    const answer = new Response(reply.body as Uint8Array<ArrayBuffer>, { headers: { 'content-type': type } });
    // The platform's multipart reader (deprecated for servers, which stream): the answer is
    // one small body, read whole.
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    form = await answer.formData();
  } catch (error) {
    throw new PebbleError(
      `Pebble's answer to a read of ${path} is not a multipart body it can be read from`,
      {
        method: 'GET',
        path: FILES,
        statusCode: reply.status,
        cause: error,
      },
    );
  }
  const response = form.get('response');
  if (typeof response !== 'string') {
    throw new PebbleError(`Pebble's answer to a read of ${path} has no response part`, {
      method: 'GET',
      path: FILES,
    });
  }
  refused(
    'GET',
    envelope('GET', url, { status: reply.status, headers: {}, body: new TextEncoder().encode(response) })
      .result,
  );
  const file = form.getAll('files').find((f) => typeof f !== 'string' && f.name === path);
  if (file === undefined || typeof file === 'string') {
    throw new PebbleError(`Pebble's answer to a read of ${path} holds no file`, {
      method: 'GET',
      path: FILES,
    });
  }
  return new Uint8Array(await file.arrayBuffer());
}

/** @internal */
export async function listFiles(
  api: Api,
  path: string,
  options: { pattern?: string; itself?: boolean },
): Promise<FileInfo[]> {
  checkPath(path, 'listFiles()');
  if (options.pattern !== undefined && typeof options.pattern !== 'string') {
    throw new TypeError(
      `listFiles() pattern is a glob such as "*.conf", got ${describeValue(options.pattern)}`,
    );
  }
  const query = new URLSearchParams({ action: 'list', path });
  if (options.pattern !== undefined) query.set('pattern', options.pattern);
  if (options.itself === true) query.set('itself', 'true');
  const { result } = await asPathError(path, () => call(api, 'GET', `${FILES}?${query.toString()}`));
  return (Array.isArray(result) ? (result as Record<string, unknown>[]) : []).map((f) => ({
    path: text(f.path),
    name: text(f.name),
    type: (text(f.type) || 'unknown') as FileInfo['type'],
    ...(typeof f.size === 'number' ? { size: f.size } : {}),
    permissions: Number.parseInt(text(f.permissions) || '0', 8),
    lastModified: text(f['last-modified']),
    ...(typeof f['user-id'] === 'number' ? { userId: f['user-id'] } : {}),
    ...(typeof f.user === 'string' ? { user: f.user } : {}),
    ...(typeof f['group-id'] === 'number' ? { groupId: f['group-id'] } : {}),
    ...(typeof f.group === 'string' ? { group: f.group } : {}),
  }));
}

/** @internal */
export async function makeDir(
  api: Api,
  path: string,
  options: { makeParents?: boolean; permissions?: number; user?: string; group?: string },
): Promise<void> {
  checkPath(path, 'makeDir()');
  const permissions = permissionsOf(options.permissions, 'makeDir()');
  const { result } = await call(api, 'POST', FILES, {
    action: 'make-dirs',
    dirs: [
      {
        path,
        'make-parents': options.makeParents === true,
        ...(permissions === undefined ? {} : { permissions }),
        ...(options.user === undefined ? {} : { user: options.user }),
        ...(options.group === undefined ? {} : { group: options.group }),
      },
    ],
  });
  refused('POST', result);
}

/** @internal */
export async function remove(api: Api, path: string, options: { recursive?: boolean }): Promise<void> {
  checkPath(path, 'remove()');
  const { result } = await call(api, 'POST', FILES, {
    action: 'remove',
    paths: [{ path, recursive: options.recursive === true }],
  });
  refused('POST', result);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
