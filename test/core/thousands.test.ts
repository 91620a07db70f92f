import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { thousands } from "../../src/parse/text.js";

describe("thousands", () => {
  it("groups a whole number's digits as toLocaleString('en-US') does", () => {
    expect([0, 7, 999, 1000, 1024, 65535, 1048576, 1234567890].map(thousands)).toEqual(["0", "7", "999", "1,000", "1,024", "65,535", "1,048,576", "1,234,567,890"]);
    fc.assert(fc.property(fc.nat({ max: Number.MAX_SAFE_INTEGER }), (n) => thousands(n) === n.toLocaleString("en-US")));
  });
});
