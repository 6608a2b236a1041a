// A container's files as Pebble's files API sees them (internals/daemon/api_files.go): a
// refusal is the operating system's error for the path, its kind `not-found`,
// `permission-denied` or `generic-file-error` (fileErrorToResult), reported per path.

import { type ContainerRecord, type FileRecord, directory, now, parentsOf } from '../state/containers.js';

/** A refusal of one path, as Pebble reports it in `result[i].error`. @internal */
export interface PathRefusal {
  readonly message: string;
  readonly kind: 'not-found' | 'permission-denied' | 'generic-file-error';
}

const missing = (op: string, path: string): PathRefusal => ({
  message: `${op} ${path}: no such file or directory`,
  kind: 'not-found',
});

/** `/a/b/` and `/a//b` as `/a/b`. */
function clean(path: string): string {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  const out: string[] = [];
  for (const part of parts) {
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

function parent(path: string): string {
  const at = path.lastIndexOf('/');
  return at <= 0 ? '/' : path.slice(0, at);
}

/** Owner and permissions a write or make-dir asks for. @internal */
export interface Ownership {
  permissions?: string;
  user?: string;
  'user-id'?: number;
  group?: string;
  'group-id'?: number;
}

function owned(record: FileRecord, given: Ownership): FileRecord {
  return {
    ...record,
    ...(given.user === undefined ? {} : { user: given.user }),
    ...(given['user-id'] === undefined ? {} : { userId: given['user-id'] }),
    ...(given.group === undefined ? {} : { group: given.group }),
    ...(given['group-id'] === undefined ? {} : { groupId: given['group-id'] }),
  };
}

/** Pebble's permissions: three octal digits. */
function permissionsOf(given: string | undefined, fallback: number): number | PathRefusal {
  if (given === undefined || given === '') return fallback;
  if (!/^[0-7]{3}$/.test(given)) {
    return {
      message: `permissions must be a 3-digit octal string, got ${JSON.stringify(given)}`,
      kind: 'generic-file-error',
    };
  }
  return Number.parseInt(given, 8);
}

/** Writes a file (`action: write`). @internal */
export function writeFile(
  container: ContainerRecord,
  path: string,
  content: Uint8Array,
  options: Ownership & { 'make-dirs'?: boolean },
): PathRefusal | undefined {
  if (!path.startsWith('/'))
    return { message: `paths must be absolute, got ${JSON.stringify(path)}`, kind: 'generic-file-error' };
  const target = clean(path);
  const permissions = permissionsOf(options.permissions, 0o644);
  if (typeof permissions !== 'number') return permissions;
  const files = container.files;
  if (options['make-dirs'] === true) {
    for (const dir of parentsOf(target)) {
      const found = files[dir];
      if (found === undefined) files[dir] = owned(directory(), options);
      else if (found.type !== 'directory')
        return { message: `mkdir ${dir}: not a directory`, kind: 'generic-file-error' };
    }
  } else if (files[parent(target)]?.type !== 'directory') {
    return missing('open', target);
  }
  if (files[target]?.type === 'directory')
    return { message: `open ${target}: is a directory`, kind: 'generic-file-error' };
  files[target] = owned(
    { ...directory(permissions), type: 'file', content: new Uint8Array(content), lastModified: now() },
    options,
  );
  return undefined;
}

/** Reads a file (`action: read`). @internal */
export function readFile(container: ContainerRecord, path: string): Uint8Array | PathRefusal {
  const target = clean(path);
  const found = container.files[target];
  if (found === undefined) return missing('open', target);
  if (found.type !== 'file')
    return { message: `can only read a regular file: ${JSON.stringify(target)}`, kind: 'generic-file-error' };
  return found.content;
}

/** Makes a directory (`action: make-dirs`), its parents with `make-parents`. @internal */
export function makeDirs(
  container: ContainerRecord,
  path: string,
  options: Ownership & { 'make-parents'?: boolean },
): PathRefusal | undefined {
  if (!path.startsWith('/'))
    return { message: `paths must be absolute, got ${JSON.stringify(path)}`, kind: 'generic-file-error' };
  const target = clean(path);
  const permissions = permissionsOf(options.permissions, 0o755);
  if (typeof permissions !== 'number') return permissions;
  const files = container.files;
  const found = files[target];
  if (options['make-parents'] === true) {
    // As MkdirAll: a directory already there is fine, a file in the way is not.
    for (const dir of [...parentsOf(target), target]) {
      const there = files[dir];
      if (there === undefined) files[dir] = owned(directory(dir === target ? permissions : 0o755), options);
      else if (there.type !== 'directory')
        return { message: `mkdir ${dir}: not a directory`, kind: 'generic-file-error' };
    }
    return undefined;
  }
  if (found !== undefined) return { message: `mkdir ${target}: file exists`, kind: 'generic-file-error' };
  if (files[parent(target)]?.type !== 'directory') return missing('mkdir', target);
  files[target] = owned(directory(permissions), options);
  return undefined;
}

/** Removes a path (`action: remove`): a directory that holds anything only with `recursive`. @internal */
export function removePath(
  container: ContainerRecord,
  path: string,
  recursive: boolean,
): PathRefusal | undefined {
  if (!path.startsWith('/'))
    return { message: `paths must be absolute, got ${JSON.stringify(path)}`, kind: 'generic-file-error' };
  const target = clean(path);
  const files = container.files;
  if (files[target] === undefined) return missing('remove', target);
  const inside = Object.keys(files).filter(
    (p) => p.startsWith(`${target === '/' ? '' : target}/`) && p !== target,
  );
  if (inside.length > 0 && !recursive)
    return { message: `remove ${target}: directory not empty`, kind: 'generic-file-error' };
  for (const p of [...inside, target]) if (p !== '/') Reflect.deleteProperty(files, p);
  return undefined;
}

/** What `action: list` answers for each entry. @internal */
export interface ListedFile {
  path: string;
  name: string;
  type: string;
  size?: number;
  permissions: string;
  'last-modified': string;
  'user-id': number;
  user: string;
  'group-id': number;
  group: string;
}

/**
 * Lists a directory, or describes a file (or, with `itself`, the directory itself), the
 * names filtered by a glob pattern (listFiles in api_files.go).
 *
 * @internal
 */
export function listFiles(
  container: ContainerRecord,
  path: string,
  pattern: string,
  itself: boolean,
): ListedFile[] | PathRefusal {
  const target = clean(path);
  const found = container.files[target];
  if (found === undefined) return missing('stat', target);
  const entries =
    found.type !== 'directory' || itself
      ? [target]
      : Object.keys(container.files)
          .filter((p) => p !== target && parent(p) === target)
          .sort();
  return entries
    .filter((p) => pattern === '' || globMatch(pattern, p.slice(p.lastIndexOf('/') + 1)))
    .map((p) => {
      const file = container.files[p] ?? directory();
      return {
        path: p,
        name: p === '/' ? '/' : p.slice(p.lastIndexOf('/') + 1),
        type: file.type,
        ...(file.type === 'file' ? { size: file.content.byteLength } : {}),
        permissions: file.permissions.toString(8).padStart(3, '0'),
        'last-modified': file.lastModified.replace(/\.\d+Z$/, 'Z'),
        'user-id': file.userId,
        user: file.user,
        'group-id': file.groupId,
        group: file.group,
      };
    });
}

/** A name against a glob of `*`, `?` and `[…]`, as Go's path.Match reads one name. */
function globMatch(pattern: string, name: string): boolean {
  let source = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i] ?? '';
    if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) return false;
      const body = pattern.slice(i + 1, end).replace(/^\^/, '!');
      source += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
      i = end;
    } else if (c === '\\') {
      i += 1;
      source += (pattern[i] ?? '').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else source += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`).test(name);
}
