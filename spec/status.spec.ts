import { expect } from 'chai';

import {
  ActiveStatus,
  BlockedStatus,
  ErrorStatus,
  MaintenanceStatus,
  StatusBase,
  UnknownStatus,
  StatusBus,
  WaitingStatus,
  isStatus,
} from '../lib/index.js';

const classes = [
  ['active', ActiveStatus],
  ['blocked', BlockedStatus],
  ['maintenance', MaintenanceStatus],
  ['waiting', WaitingStatus],
  ['unknown', UnknownStatus],
  ['error', ErrorStatus],
] as const;

describe('status values', () => {
  for (const [name, Class] of classes) {
    it(`${Class.name} is named "${name}", with an empty message by default`, () => {
      const status = new Class();
      expect(status.name).to.equal(name);
      expect(status.message).to.equal('');
      expect(String(status)).to.equal(name);
    });

    it(`fromName("${name}") builds a ${Class.name}`, () => {
      const status = StatusBase.fromName(name, 'why');
      expect(status).to.be.instanceOf(Class);
      expect(status.message).to.equal('why');
    });
  }

  it('reads "name: message" as a string', () => {
    expect(String(new BlockedStatus('Add a database'))).to.equal('blocked: Add a database');
    expect(new WaitingStatus('Waiting for db').toString()).to.equal('waiting: Waiting for db');
  });

  it('equals a status of the same class and message only', () => {
    const status = new BlockedStatus('x');
    expect(status.equals(new BlockedStatus('x'))).to.equal(true);
    expect(status.equals(StatusBase.fromName('blocked', 'x'))).to.equal(true);
    expect(status.equals(new BlockedStatus('y'))).to.equal(false);
    expect(status.equals(new WaitingStatus('x'))).to.equal(false);
    expect(status.equals({ name: 'blocked', message: 'x' })).to.equal(false);
    expect(status.equals(undefined)).to.equal(false);
  });

  it('keeps any text in the message verbatim, non-ASCII and newlines included', () => {
    const text = 'héllo — 日本語 🚀\nline two; $(rm -rf /) `x` | y';
    expect(new MaintenanceStatus(text).message).to.equal(text);
  });

  it('isStatus() tells a status from a look-alike', () => {
    expect(isStatus(new ActiveStatus())).to.equal(true);
    expect(isStatus(new ErrorStatus('hook failed'))).to.equal(true);
    for (const value of [{ name: 'blocked', message: '' }, null, undefined, 'blocked', 1, []]) {
      expect(isStatus(value), JSON.stringify(value)).to.equal(false);
    }
  });

  describe('bad input', () => {
    const notStrings: [unknown, string][] = [
      [42, 'a number (42)'],
      [null, 'null'],
      [Symbol('s'), 'a symbol (s)'],
      [10n, 'a bigint (10n)'],
      [{}, 'a plain object'],
      [['a'], 'an array'],
      [new Date(0), 'a Date'],
      [() => 'x', 'a function'],
    ];
    for (const [value, described] of notStrings) {
      it(`refuses ${described} as a message, saying what it got`, () => {
        expect(() => new BlockedStatus(value as string)).to.throw(
          TypeError,
          `BlockedStatus message must be a string, got ${described}`,
        );
      });
    }

    it('refuses a NUL character, which no command-line argument can hold', () => {
      expect(() => new MaintenanceStatus('a\0b')).to.throw(TypeError, /must not contain a NUL character/);
    });

    it('refuses an unknown name in fromName(), listing the names it accepts', () => {
      expect(() => StatusBase.fromName('broken' as 'active')).to.throw(
        TypeError,
        'unknown status name: got a string ("broken"), expected one of active, blocked, maintenance, waiting, unknown, error',
      );
      expect(() => StatusBase.fromName(undefined as unknown as 'active')).to.throw(
        TypeError,
        /got undefined/,
      );
    });

    it('refuses a bad message in fromName() too', () => {
      expect(() => StatusBase.fromName('active', 3 as unknown as string)).to.throw(
        TypeError,
        /must be a string/,
      );
    });
  });
});

describe('status values refuse forgeries and ill-formed text', () => {
  it('refuses a forged status wherever a status is expected, and isStatus() says false', () => {
    const forged = Object.create(BlockedStatus.prototype) as BlockedStatus;
    expect(isStatus(forged)).to.equal(false);
    expect(() => {
      new StatusBus().add(forged);
    }).to.throw(TypeError, /add\(\) status must be a status/);
  });

  it('refuses a class that extends StatusBase directly, with a made-up name', () => {
    class Sleepy extends (StatusBase as unknown as new (message?: string) => StatusBase) {}
    expect(() => new Sleepy('zz')).to.throw(
      TypeError,
      'a status must be made with one of ActiveStatus, BlockedStatus, MaintenanceStatus, WaitingStatus, UnknownStatus, ErrorStatus (or a subclass of one), not by extending StatusBase directly',
    );
  });

  it('accepts a subclass of a status class, under its Juju name', () => {
    class DatabaseMissing extends BlockedStatus {}
    const status = new DatabaseMissing('Add a database');
    expect(status.name).to.equal('blocked');
    expect(status.equals(new BlockedStatus('Add a database'))).to.equal(true);
  });

  it('isStatus() answers false for a revoked proxy instead of throwing', () => {
    const { proxy, revoke } = Proxy.revocable(new BlockedStatus('b'), {});
    revoke();
    expect(isStatus(proxy)).to.equal(false);
  });

  it('refuses a message holding a lone UTF-16 surrogate, which Juju would change', () => {
    expect(() => new BlockedStatus('broken \uD83D text')).to.throw(
      TypeError,
      /must be well-formed text: it holds a lone UTF-16 surrogate/,
    );
    expect(new BlockedStatus('fine 🚀').message).to.equal('fine 🚀');
  });

  it('is frozen: its name and message cannot be changed', () => {
    const status = new BlockedStatus('Add a database');
    expect(Object.isFrozen(status)).to.equal(true);
    expect(() => {
      (status as { message: string }).message = 'changed';
    }).to.throw(TypeError);
  });

  it('recognizes a status made by another copy of the package by its brand', () => {
    const brand = Symbol.for('charms-contextual-status.status');
    class OtherCopyStatus {
      readonly name = 'waiting';
      readonly message = 'from the other copy';
    }
    Object.defineProperty(OtherCopyStatus.prototype, brand, { value: true });
    const other = new OtherCopyStatus();
    expect(isStatus(other)).to.equal(true);
    expect(new WaitingStatus('from the other copy').equals(other)).to.equal(true);
  });
});
