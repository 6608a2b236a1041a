import { expect } from 'chai';

import {
  ActiveStatus,
  BlockedStatus,
  ErrorStatus,
  MaintenanceStatus,
  StatusBase,
  UnknownStatus,
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
