import { test } from "node:test";
import assert from "node:assert/strict";
import { slugify } from "../src/index.js";

test("lowercases and joins words with dashes", () => {
  assert.equal(slugify("Hello World"), "hello-world");
});

test("drops accents and punctuation", () => {
  assert.equal(slugify("Crème brûlée!"), "creme-brulee");
});
