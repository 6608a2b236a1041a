// Pebble's files API as the simulated Pebble answers it (internals/daemon/api_files.go):
// reads and listings, writes (multipart), make-dirs and removals, each refused path reported
// in its answer as the operating system's error (`filesystem.ts`).

import type { PebbleReply, PebbleRequest } from '../../pebble/transport.js';
import type { ContainerRecord } from '../state/containers.js';
import { listFiles, makeDirs, readFile, removePath, writeFile } from './filesystem.js';
import { PebbleRefusal } from './plan.js';
import { type Json, isRecord, str, sync, wrap } from './answers.js';

/**
 * `GET /v1/files`: a listing (JSON), or a read (a multipart answer: the file's part, then the
 * response's, as Pebble writes them).
 *
 * @internal
 */
export function readFiles(container: ContainerRecord, query: URLSearchParams): PebbleReply {
  const action = query.get('action');
  const path = query.get('path') ?? '';
  if (action === 'list') {
    if (path === '') throw new PebbleRefusal(400, 'must specify path');
    if (!path.startsWith('/'))
      throw new PebbleRefusal(400, `path must be absolute, got ${JSON.stringify(path)}`);
    const itself = query.get('itself') ?? 'false';
    if (itself !== 'true' && itself !== 'false')
      throw new PebbleRefusal(400, 'itself parameter must be "true" or "false"');
    const listed = listFiles(container, path, query.get('pattern') ?? '', itself === 'true');
    if (!Array.isArray(listed))
      throw new PebbleRefusal(listed.kind === 'not-found' ? 404 : 400, listed.message, listed.kind);
    return sync(listed);
  }
  if (action !== 'read') throw new PebbleRefusal(400, `invalid action ${JSON.stringify(action ?? '')}`);
  if (path === '') throw new PebbleRefusal(400, 'must specify one or more paths');
  const read = path.startsWith('/')
    ? readFile(container, path)
    : {
        message: `paths must be absolute, got ${JSON.stringify(path)}`,
        kind: 'generic-file-error' as const,
      };
  // A multipart answer: the file's part, then the response's (as Pebble writes them).
  const boundary = 'simulatedpebble0123456789abcdef0';
  const parts: Uint8Array[] = [];
  const text = (s: string): void => void parts.push(new TextEncoder().encode(s));
  if (read instanceof Uint8Array) {
    text(
      `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${path.replace(/"/g, '%22')}"\r\n\r\n`,
    );
    parts.push(read);
    text('\r\n');
  }
  const result = [{ path, ...(read instanceof Uint8Array ? {} : { error: read }) }];
  text(`--${boundary}\r\nContent-Disposition: form-data; name="response"\r\n\r\n`);
  text(JSON.stringify({ type: 'sync', 'status-code': 200, status: 'OK', result }));
  text(`\r\n--${boundary}--\r\n`);
  return {
    status: 200,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    body: Buffer.concat(parts),
  };
}

/**
 * `POST /v1/files`: a write (multipart), make-dirs or remove (JSON), each path refused or not.
 *
 * @internal
 */
export async function writeFiles(container: ContainerRecord, request: PebbleRequest): Promise<PebbleReply> {
  const type = request.headers['content-type'] ?? request.headers['Content-Type'] ?? '';
  if (type.startsWith('multipart/form-data')) {
    const body = new Response(request.body as Uint8Array<ArrayBuffer>, {
      headers: { 'content-type': type },
    });
    // The platform's multipart reader (deprecated for servers, which stream): a test's request
    // is one small body, read whole.
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    const form = await body.formData().catch(() => {
      throw new PebbleRefusal(400, 'cannot read request metadata');
    });
    const meta = form.get('request');
    if (typeof meta !== 'string') throw new PebbleRefusal(400, 'metadata field name must be "request"');
    const payload: unknown = JSON.parse(meta);
    if (!isRecord(payload) || payload.action !== 'write')
      throw new PebbleRefusal(400, 'multipart action must be "write"');
    const files = Array.isArray(payload.files) ? payload.files.filter(isRecord) : [];
    if (files.length === 0) throw new PebbleRefusal(400, 'must specify one or more files');
    const contents = new Map<string, Uint8Array>();
    for (const part of form.getAll('files')) {
      if (typeof part !== 'string') contents.set(part.name, new Uint8Array(await part.arrayBuffer()));
    }
    return sync(
      files.map((file) => {
        const path = str(file.path);
        const content = contents.get(path);
        const refused =
          content === undefined
            ? { message: `no file content for path ${JSON.stringify(path)}`, kind: 'generic-file-error' }
            : writeFile(container, path, content, file);
        return { path, ...(refused === undefined ? {} : { error: refused }) };
      }),
    );
  }
  const payload = JSON.parse(new TextDecoder().decode(request.body ?? new Uint8Array())) as Json;
  if (payload.action === 'make-dirs') {
    const dirs = Array.isArray(payload.dirs) ? payload.dirs.filter(isRecord) : [];
    return sync(dirs.map((d) => ({ path: d.path, ...wrap(makeDirs(container, str(d.path), d)) })));
  }
  if (payload.action === 'remove') {
    const paths = Array.isArray(payload.paths) ? payload.paths.filter(isRecord) : [];
    return sync(
      paths.map((p) => ({
        path: p.path,
        ...wrap(removePath(container, str(p.path), p.recursive === true)),
      })),
    );
  }
  throw new PebbleRefusal(400, `invalid action ${JSON.stringify(payload.action)}`);
}
