import { expect } from 'chai';

import {
  ActiveStatus,
  BlockedStatus,
  ErrorStatus,
  MaintenanceStatus,
  MemoryUnit,
  UnknownStatus,
} from '../lib/index.js';

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

describe('MemoryUnit, its initial status', () => {
  it('shows UnknownStatus until the first write, as Juju shows a unit nothing has set', () => {
    const unit = new MemoryUnit();
    expect(String(unit.getStatus())).to.equal('unknown');
    unit.setStatus(new MaintenanceStatus('m'));
    expect(String(unit.getStatus())).to.equal('maintenance: m');
  });

  it('starts showing the initial status given, which may be one only Juju sets', () => {
    expect(String(new MemoryUnit(new ErrorStatus('hook failed')).getStatus())).to.equal('error: hook failed');
    expect(() => new MemoryUnit('blocked' as unknown as BlockedStatus)).to.throw(
      TypeError,
      /MemoryUnit initial status must be a status/,
    );
  });
});
