import nock from "nock";
import { afterAll, afterEach, beforeAll, expect } from "vitest";

/** Strict HTTP mocking: no real network, and a test fails on a mock it did not use. */
export function strictHttp(): void {
  beforeAll(() => {
    nock.disableNetConnect();
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending, "unused HTTP mocks").toEqual([]);
  });
  afterAll(() => {
    nock.enableNetConnect();
  });
}
