import { FAIL_ON, type FailOn } from "../src/pipeline/fail-on.js";
import { PROFILES, type Profile } from "../src/model.js";
import { FILTERS, type Filter } from "../src/baseline/gate.js";
import { STRATEGIES, type Strategy } from "../src/source/select.js";
import type { Runner } from "./runner.js";

/** The inputs of action.yml, read and checked; the defaults repeat action.yml's for local runs. */
export interface Inputs {
  path: string;
  profile: Profile;
  config: string;
  failOn: FailOn;
  token: string;
  checkName: string;
  skipPreferences: boolean;
  reportPath: string;
  maxAnnotations: number;
  /** Where the files come from: the checkout, or fetched by a partial clone or the API without one. */
  source: Strategy;
  indexExternal: boolean;
  /** Fail only on findings the baseline file does not hold. */
  onlyNew: boolean;
  filter: Filter;
}

/** An input that cannot be used; the message names the input and what it accepts. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

export const DEFAULT_PROFILE: Profile = "claude-code";

export function readInputs(runner: Runner): Inputs {
  const get = (name: string, fallback: string): string => runner.input(name) || fallback;
  return {
    path: get("path", "."),
    profile: oneOf("profile", get("profile", DEFAULT_PROFILE), PROFILES),
    config: get("config", ".github/skilldex.yml"),
    failOn: oneOf("fail-on", get("fail-on", "failed"), FAIL_ON),
    token: runner.input("github-token"),
    checkName: get("check-name", "skilldex"),
    skipPreferences: bool("skip-preferences", get("skip-preferences", "true")),
    reportPath: runner.input("report-path"),
    maxAnnotations: count("max-annotations", get("max-annotations", "1000")),
    source: oneOf("source", get("source", "auto"), STRATEGIES),
    indexExternal: bool("index-external", get("index-external", "false")),
    onlyNew: bool("only-new", get("only-new", "false")),
    filter: oneOf("filter", get("filter", "all"), FILTERS),
  };
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw new InputError(`the ${name} input must be one of ${allowed.join(", ")}, not ${JSON.stringify(value)}`);
  return value as T;
}

/** The YAML 1.2 core booleans, as actions/toolkit's getBooleanInput accepts them. */
function bool(name: string, value: string): boolean {
  if (["true", "True", "TRUE"].includes(value)) return true;
  if (["false", "False", "FALSE"].includes(value)) return false;
  throw new InputError(`the ${name} input must be true or false, not ${JSON.stringify(value)}`);
}

function count(name: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new InputError(`the ${name} input must be a whole number of 0 or more, not ${JSON.stringify(value)}`);
  return Number(value);
}
