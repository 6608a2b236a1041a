import { expect } from 'chai';

import { ActiveStatus, ErrorStatus, MaintenanceStatus, MemoryUnit, UnknownStatus } from '../lib/index.js';

describe('MemoryUnit', () => {
  it('records every write, oldest first, and shows the last as its status', () => {
    const unit = new MemoryUnit();
    expect(unit.status).to.equal(undefined);
    const first = new MaintenanceStatus('Installing');
    const second = new ActiveStatus('Ready');
    unit.setStatus(first);
    unit.setStatus(second);
    expect(unit.history).to.deep.equal([first, second]);
    expect(unit.status).to.equal(second);
  });

  it('refuses unknown and error, which only Juju sets', () => {
    const unit = new MemoryUnit();
    expect(() => {
      unit.setStatus(new UnknownStatus());
    }).to.throw(
      TypeError,
      'MemoryUnit.setStatus() status cannot be unknown: a charm can set only active, blocked, maintenance or waiting',
    );
    expect(() => {
      unit.setStatus(new ErrorStatus('x'));
    }).to.throw(TypeError, /cannot be error/);
    expect(unit.history).to.deep.equal([]);
  });

  it('refuses what is not a status', () => {
    const unit = new MemoryUnit();
    expect(() => {
      unit.setStatus({ name: 'active', message: '' } as unknown as ActiveStatus);
    }).to.throw(
      TypeError,
      /must be a status \(ActiveStatus, BlockedStatus, MaintenanceStatus or WaitingStatus\), got a plain object/,
    );
  });
});
