// Root hooks for every spec file: a stray rejection or exception fails the run, because a
// status library that loses a failure is broken even when every assertion passed.
const stray: unknown[] = [];

function record(reason: unknown): void {
  stray.push(reason);
}

export const mochaHooks = {
  beforeAll(): void {
    process.on('unhandledRejection', record);
    process.on('uncaughtException', record);
  },
  afterEach(): void {
    if (stray.length > 0) {
      const found = stray.splice(0);
      throw new AggregateError(
        found,
        `unhandled rejection or uncaught exception: ${found.map(String).join('; ')}`,
      );
    }
  },
  afterAll(): void {
    process.off('unhandledRejection', record);
    process.off('uncaughtException', record);
  },
};
