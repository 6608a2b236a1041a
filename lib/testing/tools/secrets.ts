// secret-add, secret-get, secret-set, secret-remove, secret-grant, secret-revoke, secret-ids
// and secret-info-get, after juju/juju internal/worker/uniter/runner/jujuc/secret-*.go, the
// id of core/secrets/secret.go (ParseURI), and the hook context's secret calls in
// internal/worker/uniter/runner/context/context.go (CreateSecret, GetSecret, UpdateSecret,
// RemoveSecret, GrantSecret, RevokeSecret, SecretMetadata). The content and metadata that
// secret-add and secret-set take are read in secret-upsert.ts.

import { APPLICATION, UNIT, secretXidOf } from '../../juju/names.js';
import { formatOf, render, struct } from './format.js';
import { relationOf } from './relations.js';
import { UPSERT_FLAGS, contentFiles, newId, upsertOf } from './secret-upsert.js';
import { type Parsed, type Tool, ToolExit, checkEmpty, refuseAtCommit } from './tool.js';
import type { HookState, SecretRecord, World } from '../world.js';

/**
 * The secret id of `secret:<id>`, `secret://<uuid>/<id>` or `<id>` (ParseURI); exit 2 as an
 * Init error otherwise.
 *
 * @internal
 */
export function secretIdOf(given: string): string {
  if (!given.startsWith('secret:') && /^[a-z][a-z0-9+.-]*:/.test(given)) {
    throw new ToolExit(2, `secret URI scheme "${given.slice(0, given.indexOf(':'))}" not valid`);
  }
  const id = secretXidOf(given);
  if (id === undefined) throw new ToolExit(2, `secret URI "${given}" not valid`);
  return id;
}

/**
 * The secrets whose metadata the hook context holds (`ctx.secretMetadata`, from the facade's
 * `GetSecretMetadata`): those this unit owns, and its application's only on the leader. A
 * secret granted to this unit, or its application's on another unit, is not among them.
 */
function known(world: World): SecretRecord[] {
  return world.secrets.filter((s) => s.owner === 'unit' || (s.owner === 'application' && world.leader));
}

/**
 * What `SecretMetadata()` answers (secret-ids, secret-info-get, secret-grant): the known secrets,
 * less those this hook asked to remove, a revision or all of it.
 */
function metadata(world: World, hook: HookState): SecretRecord[] {
  return known(world).filter((s) => hook.secretRemovals?.[s.id] === undefined);
}

/** Whether `secret` was added by this hook (a pending create), not one Juju held when it began. */
function created(hook: HookState, secret: SecretRecord): boolean {
  return hook.committedRevisions !== undefined && !Object.hasOwn(hook.committedRevisions, secret.id);
}

/** The secret a call names by id, or by label (the owner's, or this unit's for a granted one). */
function find(world: World, id: string | undefined, label: string | undefined): SecretRecord {
  const found =
    id !== undefined ? world.secrets.find((s) => s.id === id) : world.secrets.find((s) => s.label === label);
  if (found === undefined) throw new ToolExit(1, `secret "${id ?? label ?? ''}" not found`);
  return found;
}

function labelFlag(parsed: Parsed): string | undefined {
  const label = parsed.flags.label;
  return typeof label === 'string' && label !== '' ? label : undefined;
}

/** @internal */
export const SECRET_TOOLS = {
  'secret-add': {
    usage: 'secret-add [options] [key[#base64|#file]=value...]',
    purpose: 'Add a new secret.',
    flags: UPSERT_FLAGS,
    reads: contentFiles,
    run(call) {
      const { parsed, world, file, hook } = call;
      if (parsed.args.length === 0 && file === undefined) {
        throw new ToolExit(2, 'missing secret value or filename');
      }
      const upsert = upsertOf(call, parsed.args);
      if (upsert.owner === 'application' && !world.leader)
        throw new ToolExit(1, 'this unit is not the leader');
      if (Object.keys(upsert.content).length === 0) throw new ToolExit(1, 'empty secret value not valid');
      const id = newId();
      // The hook context checks a new label only against this hook's own new secrets
      // (secretsChangeRecorder.create); the controller refuses one a committed secret has.
      const clash =
        upsert.label === undefined ? undefined : known(world).find((s) => s.label === upsert.label);
      if (clash !== undefined && created(hook, clash)) {
        throw new ToolExit(1, `secret with label "${upsert.label ?? ''}" already exists`);
      }
      if (clash !== undefined) {
        refuseAtCommit(hook, `secret-add: a secret with label "${upsert.label ?? ''}" already exists`);
      }
      const { content, owner, ...meta } = upsert;
      // The owner reads its own new secret at revision 1 (getPendingSecretValue).
      world.secrets.push({
        id,
        owner,
        ...meta,
        revisions: { '1': content },
        latest: 1,
        tracked: 1,
        grants: [],
      });
      return { stdout: `secret:${id}\n` };
    },
  },

  'secret-get': {
    usage: 'secret-get [options] <ID> [key[#base64]]',
    purpose: 'Get the content of a secret.',
    format: 'yaml',
    flags: {
      label: { type: 'string', usage: 'a label used to identify the secret in hooks' },
      peek: { type: 'boolean', usage: 'get the latest revision just this time' },
      refresh: {
        type: 'boolean',
        usage: 'get the latest revision and also get this same revision for subsequent calls',
      },
    },
    run({ parsed, world, hook }) {
      const format = formatOf(parsed, 'yaml');
      const [given, key, ...extra] = parsed.args;
      const id = given === undefined ? undefined : secretIdOf(given);
      const label = labelFlag(parsed);
      if (id === undefined && label === undefined)
        throw new ToolExit(2, 'require either a secret URI or label');
      const peek = parsed.flags.peek === true;
      const refresh = parsed.flags.refresh === true;
      if (peek && refresh) throw new ToolExit(2, 'specify one of --peek or --refresh but not both');
      checkEmpty(extra);
      const secret = find(world, id, id === undefined ? label : undefined);
      // Given both, the id finds it and the label is set (the owner's label, or this unit's
      // own label for a granted secret).
      if (id !== undefined && label !== undefined) secret.label = label;
      // The first read tracks the latest revision Juju holds (one this hook made is Juju's only
      // once it commits; a secret this hook added reads its first); later reads answer the
      // tracked one unless --refresh (track the latest, this hook's included) or --peek (read it
      // once). Owners track theirs the same way (since Juju 3.3.1, LP#2037120).
      if (refresh) secret.tracked = secret.latest;
      secret.tracked ??= hook.committedRevisions?.[secret.id] ?? secret.latest;
      const revision = peek ? secret.latest : secret.tracked;
      const content = secret.revisions[String(revision)] ?? {};
      if (key === undefined || key === '') return { stdout: render(content, format) };
      const encoded = key.endsWith('#base64');
      const name = encoded ? key.slice(0, -'#base64'.length) : key;
      const value = Object.hasOwn(content, name) ? content[name] : undefined;
      if (value === undefined) throw new ToolExit(1, `secret key "${name}" not found`);
      return { stdout: render(encoded ? Buffer.from(value).toString('base64') : value, format) };
    },
  },

  'secret-set': {
    usage: 'secret-set [options] <ID> [key[#base64|#file]=value...]',
    purpose: 'Update an existing secret.',
    flags: UPSERT_FLAGS,
    reads: (parsed) => contentFiles({ ...parsed, args: parsed.args.slice(1) }),
    run(call) {
      const { parsed, world, hook } = call;
      const [given, ...args] = parsed.args;
      if (given === undefined) throw new ToolExit(2, 'missing secret URI');
      const id = secretIdOf(given);
      const upsert = upsertOf(call, args);
      // UpdateSecret checks leadership only for a secret whose metadata it holds; any other
      // (granted to this unit, its application's on another unit, or none at all) is recorded,
      // and the controller refuses it at commit.
      const secret = known(world).find((s) => s.id === id);
      if (secret === undefined) {
        const there = world.secrets.some((s) => s.id === id);
        return refuseAtCommit(
          hook,
          `secret-set of secret:${id}: ${there ? 'permission denied' : `secret "${id}" not found`}`,
        );
      }
      if (upsert.label !== undefined && known(world).some((s) => s !== secret && s.label === upsert.label)) {
        refuseAtCommit(hook, `secret-set: a secret with label "${upsert.label}" already exists`);
      }
      if (upsert.label !== undefined) secret.label = upsert.label;
      if (upsert.description !== undefined) secret.description = upsert.description;
      if (upsert.expire !== undefined) secret.expire = upsert.expire;
      if (upsert.rotate !== undefined) secret.rotate = upsert.rotate;
      // UpdateSecret: new content makes a new revision, unless it equals the latest (the
      // checksum is the same: no revision, LP#2069238).
      const latest = secret.revisions[String(secret.latest)] ?? {};
      const changed =
        Object.keys(upsert.content).length > 0 &&
        JSON.stringify(Object.entries(upsert.content).sort()) !==
          JSON.stringify(Object.entries(latest).sort());
      if (changed) {
        secret.latest += 1;
        secret.revisions[String(secret.latest)] = upsert.content;
      }
      return {};
    },
  },

  'secret-remove': {
    usage: 'secret-remove [options] <ID>',
    purpose: 'Remove an existing secret.',
    flags: { revision: { type: 'string', usage: 'remove the specified revision' } },
    run({ parsed, world, hook }) {
      const [given, ...extra] = parsed.args;
      if (given === undefined) throw new ToolExit(2, 'missing secret URI');
      const id = secretIdOf(given);
      checkEmpty(extra);
      const flag = parsed.flags.revision;
      if (typeof flag === 'string' && !/^[+-]?\d+$/.test(flag)) {
        throw new ToolExit(2, `invalid value "${flag}" for flag --revision: parse error`);
      }
      const revision = typeof flag === 'string' ? Number(flag) : 0;
      // RemoveSecret records the removal (a revision of 0 or less: the whole secret) for the
      // commit, which refuses a secret this unit does not own; until then the hook still reads
      // it, and its metadata no longer lists it (SecretMetadata skips pending deletes).
      const secret = known(world).find((s) => s.id === id);
      if (secret === undefined) {
        const there = world.secrets.some((s) => s.id === id);
        return refuseAtCommit(
          hook,
          `secret-remove of secret:${id}: ${there ? 'permission denied' : `secret "${id}" not found`}`,
        );
      }
      if (revision > 0 && !Object.hasOwn(secret.revisions, String(revision))) {
        return refuseAtCommit(hook, `secret-remove of secret:${id}: revision ${String(revision)} not found`);
      }
      if (hook.hook === '') {
        if (revision > 0) Reflect.deleteProperty(secret.revisions, String(revision));
        else world.secrets = world.secrets.filter((s) => s !== secret);
        return {};
      }
      const removals = (hook.secretRemovals ??= {});
      const pending = removals[id];
      removals[id] = revision <= 0 || pending === 'all' ? 'all' : [...(pending ?? []), revision];
      return {};
    },
  },

  'secret-grant': {
    usage: 'secret-grant [options] <ID>',
    purpose: 'Grant access to a secret.',
    flags: {
      unit: { type: 'string', usage: 'the unit to grant access' },
      relation: { type: 'string', short: 'r', usage: 'the relation with which to associate the grant' },
    },
    run(call) {
      const { parsed, world } = call;
      const [given, ...extra] = parsed.args;
      if (given === undefined) throw new ToolExit(2, 'missing secret URI');
      const id = secretIdOf(given);
      // -r defaults to the hook's relation (NewRelationIdValue).
      const relation = relationOf(call);
      const unit =
        typeof parsed.flags.unit === 'string' && parsed.flags.unit !== '' ? parsed.flags.unit : undefined;
      if (unit !== undefined && !UNIT.test(unit)) throw new ToolExit(2, `unit "${unit}" not valid`);
      if (unit !== undefined && unit.split('/')[0] !== relation.remoteApp) {
        throw new ToolExit(
          2,
          `cannot specify unit "${unit}" in relation to application "${relation.remoteApp}"`,
        );
      }
      checkEmpty(extra);
      // GrantSecret looks the secret up in SecretMetadata: one it does not list is not found.
      const secret = metadata(world, call.hook).find((s) => s.id === id);
      if (secret === undefined) throw new ToolExit(1, `secret "${id}" not found`);
      const target = unit ?? relation.remoteApp;
      const existing = secret.grants.filter((g) => g.relation === relation.id);
      // GrantSecret: the same grant, or one for the whole application, makes this a no-op;
      // the application cannot be granted over grants to some of its units.
      if (existing.some((g) => g.target === target || !g.target.includes('/'))) return {};
      if (unit === undefined && existing.length > 0) {
        throw new ToolExit(
          1,
          'any unit level grants need to be revoked before granting access to the corresponding application',
        );
      }
      secret.grants.push({ relation: relation.id, target });
      return {};
    },
  },

  'secret-revoke': {
    usage: 'secret-revoke [options] <ID>',
    purpose: 'Revoke access to a secret.',
    flags: {
      app: { type: 'string', usage: 'the application to revoke access' },
      application: { type: 'string', usage: '' },
      unit: { type: 'string', usage: 'the unit to revoke access' },
      relation: { type: 'string', short: 'r', usage: 'the relation for which to revoke the grant' },
    },
    run(call) {
      const { parsed, world } = call;
      const [given, ...extra] = parsed.args;
      if (given === undefined) throw new ToolExit(2, 'missing secret URI');
      const id = secretIdOf(given);
      const text = (name: string): string | undefined => {
        const v = parsed.flags[name];
        return typeof v === 'string' && v !== '' ? v : undefined;
      };
      let app = text('application') ?? text('app');
      const unit = text('unit');
      if (app !== undefined && !APPLICATION.test(app))
        throw new ToolExit(2, `application "${app}" not valid`);
      if (unit !== undefined && !UNIT.test(unit)) throw new ToolExit(2, `unit "${unit}" not valid`);
      if (app !== undefined && unit !== undefined)
        throw new ToolExit(2, 'specify only one of application or unit');
      // -r defaults to the hook's relation (NewRelationIdValue): in a relation hook, the relation's
      // application is revoked unless --app is given, which is then refused.
      if (typeof parsed.flags.relation === 'string' || (call.env.JUJU_RELATION_ID ?? '') !== '') {
        const relation = relationOf(call);
        if (app !== undefined) throw new ToolExit(2, 'do not specify both relation and app');
        app = relation.remoteApp;
      }
      if (app === undefined && unit === undefined)
        throw new ToolExit(2, 'missing relation or application or unit');
      checkEmpty(extra);
      // RevokeSecret checks leadership for a secret it knows and records the rest for the
      // commit, which refuses a secret this unit does not own.
      const secret = known(world).find((s) => s.id === id);
      if (secret === undefined) {
        const there = world.secrets.some((s) => s.id === id);
        return refuseAtCommit(
          call.hook,
          `secret-revoke of secret:${id}: ${there ? 'permission denied' : `secret "${id}" not found`}`,
        );
      }
      const target = unit ?? app;
      secret.grants = secret.grants.filter((g) => g.target !== target);
      return {};
    },
  },

  'secret-ids': {
    usage: 'secret-ids [options]',
    purpose: 'Print secret IDs.',
    format: true,
    flags: {},
    run({ parsed, world, hook }) {
      const format = formatOf(parsed);
      checkEmpty(parsed.args);
      // Juju lists them in its map's order, which varies; here sorted, so tests can compare.
      const ids = metadata(world, hook)
        .map((s) => s.id)
        .sort();
      return { stdout: render(format === 'smart' ? ids.join('\n') : ids, format) };
    },
  },

  'secret-info-get': {
    usage: 'secret-info-get [options] <ID>',
    purpose: "Get a secret's metadata info.",
    format: 'yaml',
    flags: { label: { type: 'string', usage: 'a label used to identify the secret' } },
    run({ parsed, world, hook }) {
      const format = formatOf(parsed, 'yaml');
      const [given, ...extra] = parsed.args;
      const id = given === undefined ? undefined : secretIdOf(given);
      const label = labelFlag(parsed);
      if (id === undefined && label === undefined)
        throw new ToolExit(2, 'require either a secret URI or label');
      if (id !== undefined && label !== undefined) {
        throw new ToolExit(2, 'specify either a secret URI or label but not both');
      }
      checkEmpty(extra);
      // Only the secrets in SecretMetadata: this unit's own, its application's on the leader,
      // none this hook asked to remove; their revision as Juju holds it until this hook commits.
      const secret = metadata(world, hook).find((s) => (id !== undefined ? s.id === id : s.label === label));
      if (secret === undefined) throw new ToolExit(1, `secret "${id ?? label ?? ''}" not found`);
      const owner = secret.owner === 'unit' ? 'unit' : 'application';
      const info: Record<string, unknown> = struct({
        revision: hook.committedRevisions?.[secret.id] ?? secret.latest,
        label: secret.label ?? '',
        owner,
      });
      if (secret.description !== undefined) info.description = secret.description;
      if (secret.rotate !== undefined) info.rotation = secret.rotate;
      if (secret.expire !== undefined) info.expiry = secret.expire;
      const access = secret.grants.map((g) =>
        struct({
          target: g.target.includes('/') ? `unit-${g.target.replace('/', '-')}` : `application-${g.target}`,
          scope: `relation-${String(g.relation)}`,
          role: 'view',
        }),
      );
      if (access.length > 0) info.access = access;
      return { stdout: render({ [secret.id]: info }, format) };
    },
  },
} satisfies Record<string, Tool>;
