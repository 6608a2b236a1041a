// The options of a status context (lib/context-options.ts): what context(), open() and close()
// refuse, with a TypeError that names what is accepted, before anything is written.
import { expect } from 'chai';

import { ActiveStatus, ErrorStatus, MemoryUnit, StatusBus, UnknownStatus } from '../lib/index.js';

describe('status context options', () => {
  let bus: StatusBus;
  beforeEach(() => {
    bus = new StatusBus();
    bus.on('warning', () => undefined);
  });

  it('refuses options that are not an object, and exit or error statuses that cannot be set', async () => {
    const unit = new MemoryUnit();
    expect(() => bus.open(unit, 5 as unknown as object)).to.throw(
      TypeError,
      'status context options must be a plain object such as { exitStatus, errorStatus, summary }, got a number (5)',
    );
    expect(() => bus.open(unit, { exitstatus: new ActiveStatus() } as object)).to.throw(
      TypeError,
      'status context options has an unknown option "exitstatus": expected exitStatus, errorStatus, summary',
    );
    expect(() => bus.open(unit, { exitStatus: new UnknownStatus() })).to.throw(
      TypeError,
      'status context options option exitStatus must be an active, blocked, maintenance or waiting status (unknown and error are read from Juju, never set), a function returning one, or "unchanged", got an UnknownStatus instance',
    );
    expect(() => bus.open(unit, { errorStatus: new ErrorStatus() })).to.throw(
      TypeError,
      'status context options option errorStatus must be an active, blocked, maintenance or waiting status (unknown and error are read from Juju, never set), got an ErrorStatus instance',
    );
    expect(() => bus.open(unit, { exitStatus: 'active' as unknown as ActiveStatus })).to.throw(
      TypeError,
      /option exitStatus must be .* or "unchanged", got a string \("active"\)/,
    );
    const caught = await bus
      .context(unit, () => undefined, { exitStatus: new UnknownStatus() })
      .catch((error: unknown) => error);
    expect(caught).to.be.instanceOf(TypeError);
    expect(unit.history).to.deep.equal([]);
  });

  it('refuses close() options it does not know', async () => {
    const ctx = bus.open(new MemoryUnit());
    const caught = await ctx.close({ fail: true } as object).catch((error: unknown) => error);
    expect(String(caught)).to.equal(
      'TypeError: close() options has an unknown option "fail": expected failed',
    );
    await ctx.close();
  });
});
