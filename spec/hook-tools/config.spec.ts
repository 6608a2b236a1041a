// configGet typed by the charm's declared configuration, against the simulator both ways.
import { expect } from 'chai';

import * as tools from '../../lib/hook-tools/index.js';
import { eachWay } from '../support/both-ways.js';

const WORLD = { config: { port: 5672, 'log-level': 'info' } };

describe('hook-tools: configuration', function () {
  this.timeout(30_000);

  it('types configuration and parameters once, as the charm declares them', async () => {
    interface Config {
      port: number;
      'log-level'?: string;
    }
    const { value } = await eachWay(WORLD, async (env) => {
      const o = env === undefined ? {} : { env };
      const config = await tools.configGet<Config>(o);
      const level = await tools.configGet<Config, 'log-level'>('log-level', o);
      // The compiler holds the charm to its declared shape.
      const port: number = config.port;
      // @ts-expect-error: a key the charm's configuration does not declare
      await tools.configGet<Config>('colour', o).catch(() => undefined);
      return { port, level };
    });
    expect(value).to.deep.equal({ port: 5672, level: 'info' });
  });
});
