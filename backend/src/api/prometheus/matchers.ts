import { badData } from './errors.ts';
import { labelValue, type Labels } from './labels.ts';

export type MatchType = '=' | '!=' | '=~' | '!~';

/** One `name op "value"` of a selector. A label the series lacks matches as the empty string. */
export interface LabelMatcher {
  readonly type: MatchType;
  readonly name: string;
  readonly value: string;
  matches(labelValue: string): boolean;
}

export function newLabelMatcher(type: MatchType, name: string, value: string): LabelMatcher {
  switch (type) {
    case '=':
      return { type, name, value, matches: (candidate) => candidate === value };
    case '!=':
      return { type, name, value, matches: (candidate) => candidate !== value };
    case '=~': {
      const regex = compileAnchoredRegex(value);
      return { type, name, value, matches: (candidate) => regex.test(candidate) };
    }
    case '!~': {
      const regex = compileAnchoredRegex(value);
      return { type, name, value, matches: (candidate) => !regex.test(candidate) };
    }
  }
}

export function matchesAll(labels: Labels, matchers: readonly LabelMatcher[]): boolean {
  for (const matcher of matchers) {
    if (!matcher.matches(labelValue(labels, matcher.name))) return false;
  }
  return true;
}

/** Prometheus's `String()` of a matcher, e.g. `job=~"node.*"`. */
export function formatMatcher(matcher: LabelMatcher): string {
  return `${matcher.name}${matcher.type}${JSON.stringify(matcher.value)}`;
}

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-/:-@[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

/**
 * Prometheus regexes are RE2, fully anchored, with `.` matching newlines. JavaScript's syntax is close;
 * this translates the RE2 spellings people use in selectors: a leading `(?i)` flag group, `(?P<name>`,
 * `\A`, `\z` and POSIX classes like `[[:digit:]]`.
 */
export function compileAnchoredRegex(pattern: string): RegExp {
  let source = pattern;
  let flags = 's';
  const leadingFlags = /^\(\?([imsU]+)\)/.exec(source);
  if (leadingFlags) {
    const given = leadingFlags[1] ?? '';
    if (given.includes('U'))
      throw badData(`error parsing regexp: ungreedy flag (?U) is not supported: \`${pattern}\``);
    if (given.includes('i')) flags += 'i';
    if (given.includes('m')) flags += 'm';
    source = source.slice(leadingFlags[0].length);
  }
  source = source
    .replace(/\(\?P</g, '(?<')
    .replace(/\\A/g, '^')
    .replace(/\\z/g, '$')
    .replace(/\[:([a-z]+):\]/g, (whole, name: string) => POSIX_CLASSES[name] ?? whole);
  const anchored = `^(?:${source})$`;
  // Unicode mode is closest to RE2 (code points, \p{...}) but rejects escapes RE2 accepts, such as `\-`
  // outside a class; fall back to the legacy syntax for those.
  try {
    return new RegExp(anchored, `${flags}u`);
  } catch {
    try {
      return new RegExp(anchored, flags);
    } catch (error) {
      throw badData(`error parsing regexp: ${(error as Error).message}: \`${pattern}\``);
    }
  }
}
