// relation-ids, relation-list, relation-get and relation-set, after juju/juju
// internal/worker/uniter/runner/jujuc/relation-ids.go, relation-list.go, relation-get.go,
// relation-set.go and their shared `-r` flag (relation.go, `newRelationIdValue`).

import { APPLICATION, UNIT } from '../../juju/names.js';
import { settings } from './flags.js';
import { formatOf, render } from './format.js';
import { type Call, type Flag, type Tool, ToolExit, checkEmpty } from './tool.js';
import { type Relation, applicationName } from '../world.js';

const RELATION_FLAGS: Readonly<Record<string, Flag>> = {
  relation: { type: 'string', short: 'r', usage: 'Specify a relation by id' },
  app: { type: 'boolean', usage: 'Get the relation data for the overall application, not just a unit' },
};

/**
 * The relation named by `-r` (`database:7` or `7`), or the hook's own (`JUJU_RELATION_ID`).
 *
 * @internal
 */
export function relationOf({ parsed, env, world }: Call): Relation {
  const given = parsed.flags.relation;
  const value = typeof given === 'string' ? given : env.JUJU_RELATION_ID;
  if (value === undefined || value === '') throw new ToolExit(2, 'no relation id specified');
  const where = typeof given === 'string' ? `invalid value "${given}" for flag -r: ` : '';
  const tail = value.slice(value.lastIndexOf(':') + 1);
  if (!/^\d+$/.test(tail)) throw new ToolExit(2, `${where}invalid relation id`);
  const relation = world.relations.find((r) => r.id === Number(tail));
  if (relation === undefined) throw new ToolExit(2, `${where}relation not found`);
  return relation;
}

/** @internal */
export const RELATION_TOOLS = {
  'relation-ids': {
    usage: 'relation-ids [options] <name>',
    purpose: 'List all relation ids for the given endpoint.',
    format: true,
    flags: {},
    run({ parsed, world, env }) {
      const format = formatOf(parsed);
      const [endpoint = env.JUJU_RELATION ?? '', ...extra] = parsed.args;
      checkEmpty(extra);
      if (endpoint === '') throw new ToolExit(2, 'no endpoint name specified');
      const ids = world.relations
        .filter((r) => r.endpoint === endpoint)
        .map((r) => `${r.endpoint}:${String(r.id)}`);
      return { stdout: render(format === 'smart' ? ids.join('\n') : ids, format) };
    },
  },

  'relation-list': {
    usage: 'relation-list [options]',
    purpose: 'List relation units.',
    format: true,
    flags: RELATION_FLAGS,
    run(call) {
      const format = formatOf(call.parsed);
      const relation = relationOf(call);
      checkEmpty(call.parsed.args);
      if (call.parsed.flags.app === true) return { stdout: render(relation.remoteApp, format) };
      // In relation-departed, the departing unit is no longer a member.
      const gone = call.hook.departing?.id === relation.id ? call.hook.departing.unit : undefined;
      const units = Object.keys(relation.remoteUnits)
        .filter((unit) => unit !== gone)
        .sort();
      return { stdout: render(format === 'smart' ? units.join('\n') : units, format) };
    },
  },

  'relation-get': {
    usage: 'relation-get [options] <key> <unit id>',
    purpose: 'Get relation settings.',
    format: true,
    flags: RELATION_FLAGS,
    run(call) {
      const { parsed, world, env } = call;
      const format = formatOf(parsed);
      const relation = relationOf(call);
      const args = [...parsed.args];
      const given = args.shift();
      const key = given === undefined || given === '-' ? '' : given;
      let app = parsed.flags.app === true;
      let member = args.shift();
      if (member !== undefined) {
        if (app) member = UNIT.test(member) ? (member.split('/')[0] ?? member) : member;
        else if (!UNIT.test(member)) {
          throw new ToolExit(
            2,
            APPLICATION.test(member)
              ? `expected unit name, got application name "${member}"`
              : `invalid unit name "${member}"`,
          );
        }
      } else if (app) {
        member = env.JUJU_REMOTE_APP === '' ? undefined : env.JUJU_REMOTE_APP;
        if (member === undefined) throw new ToolExit(2, 'no unit or application specified');
      } else if (env.JUJU_REMOTE_UNIT) {
        member = env.JUJU_REMOTE_UNIT;
      } else if (env.JUJU_REMOTE_APP) {
        member = env.JUJU_REMOTE_APP;
        app = true;
      } else {
        throw new ToolExit(2, 'no unit or application specified');
      }
      checkEmpty(args);
      let settings: Record<string, string>;
      if (member === world.unitName) settings = relation.localUnitData;
      else if (member === applicationName(world)) settings = relation.localAppData;
      else if (app) settings = member === relation.remoteApp ? relation.remoteAppData : {};
      else settings = relation.remoteUnits[member] ?? {};
      return { stdout: render(key === '' ? settings : (settings[key] ?? null), format) };
    },
  },

  'relation-set': {
    usage: 'relation-set [options] key=value [key=value ...]',
    purpose: 'Set relation settings.',
    flags: {
      ...RELATION_FLAGS,
      file: { type: 'string', usage: 'file containing key-value pairs' },
      format: { type: 'string', usage: 'deprecated format flag' },
    },
    run(call) {
      const relation = relationOf(call);
      // relation-set.go: the --file settings, the key=value arguments over them.
      const pairs = settings(call.file, call.parsed.args);
      const app = call.parsed.flags.app === true;
      if (app && !call.world.leader)
        throw new ToolExit(1, 'cannot write relation settings: this unit is not the leader');
      const bag = app ? relation.localAppData : relation.localUnitData;
      // An empty value removes the key (relation-set.go: settings with "" are deleted).
      for (const [key, value] of pairs) {
        if (value === '') Reflect.deleteProperty(bag, key);
        else bag[key] = value;
      }
      const format = call.parsed.flags.format;
      return typeof format === 'string' && format !== ''
        ? { stderr: '--format flag deprecated for command "relation-set"' }
        : {};
    },
  },

  'relation-model-get': {
    usage: 'relation-model-get [options]',
    purpose: 'Get details about the model hosing a related application.',
    format: true,
    flags: { relation: { type: 'string', short: 'r', usage: 'Specify a relation by id' } },
    run(call) {
      // relation-model-get.go: the relation's remote model (its UUID), -r outside a relation hook.
      const format = formatOf(call.parsed);
      const relation = relationOf(call);
      checkEmpty(call.parsed.args);
      const uuid = relation.remoteModelUuid ?? call.world.modelUuid;
      return { stdout: render({ uuid }, format) };
    },
  },
} satisfies Record<string, Tool>;
