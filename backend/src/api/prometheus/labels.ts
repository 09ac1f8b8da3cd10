/**
 * A series' label set, `__name__` included. Label names are never numeric, so object key order is
 * insertion order; functions here that need an order sort the names themselves.
 */
export type Labels = Readonly<Record<string, string>>;

export const METRIC_NAME = '__name__';

const EMPTY: Labels = Object.freeze({});

/** What is derived from a label set, made once per set. */
interface Derived {
  withoutName?: Labels;
  pairs?: string[];
  key?: string;
  json?: string;
}

/**
 * Kept with each label set, which is never changed once made: a source that hands out the same sets
 * query after query (the store does) then spares every query making these again for thousands of series.
 */
const DERIVED = new WeakMap<Labels, Derived>();

function derived(labels: Labels): Derived {
  let found = DERIVED.get(labels);
  if (found === undefined) DERIVED.set(labels, (found = {}));
  return found;
}

/** The value of a label, '' when the series lacks it (Prometheus treats both the same). */
export function labelValue(labels: Labels, name: string): string {
  return Object.hasOwn(labels, name) ? (labels[name] ?? '') : '';
}

export function withoutMetricName(labels: Labels): Labels {
  if (!Object.hasOwn(labels, METRIC_NAME)) return labels;
  const facts = derived(labels);
  return (facts.withoutName ??= Object.fromEntries(
    Object.entries(labels).filter(([name]) => name !== METRIC_NAME),
  ));
}

/** Only the named labels (what `by (...)` and `on (...)` keep). */
export function keepLabels(labels: Labels, names: readonly string[]): Labels {
  const kept = names
    .filter((name) => labelValue(labels, name) !== '')
    .map((name) => [name, labelValue(labels, name)]);
  return kept.length === 0 ? EMPTY : Object.fromEntries(kept);
}

/** All labels except the named ones (what `without (...)` and `ignoring (...)` keep). */
export function dropLabels(labels: Labels, names: ReadonlySet<string>): Labels {
  return Object.fromEntries(Object.entries(labels).filter(([name]) => !names.has(name)));
}

/** Drops labels with empty values: a store may hand them over, Prometheus never shows them. */
export function withoutEmptyValues(labels: Labels): Labels {
  for (const value of Object.values(labels)) {
    if (value === '') return Object.fromEntries(Object.entries(labels).filter(([, v]) => v !== ''));
  }
  return labels;
}

export function sortedLabelNames(labels: Labels): string[] {
  return Object.keys(labels).sort(compareStrings);
}

/** A string that is equal for two label sets exactly when they are equal (length-prefixed, so unambiguous). */
export function labelsKey(labels: Labels): string {
  const facts = derived(labels);
  if (facts.key !== undefined) return facts.key;
  let key = '';
  for (const name of sortedLabelNames(labels)) {
    const value = labels[name] ?? '';
    key += `${name.length}:${name}${value.length}:${value}`;
  }
  return (facts.key = key);
}

/** The label set as a JSON object, names in order, as the HTTP API writes it. */
export function labelsJson(labels: Labels): string {
  const facts = derived(labels);
  return (facts.json ??= JSON.stringify(sortedLabelObject(labels)));
}

/** A copy with the names in order. */
export function sortedLabelObject(labels: Labels): Labels {
  return Object.fromEntries(sortedLabelNames(labels).map((name) => [name, labels[name] ?? '']));
}

/** Prometheus's `labels.Compare`: label by label in name order, names then values; a prefix sorts first. */
export function compareLabels(a: Labels, b: Labels): number {
  return comparePairs(namesAndValues(a), namesAndValues(b));
}

/** Sorts in `compareLabels` order, reading each label set's names once instead of at every comparison. */
export function sortByLabels<T extends { readonly labels: Labels }>(items: readonly T[]): T[] {
  return items
    .map((item) => ({ item, pairs: namesAndValues(item.labels) }))
    .sort((a, b) => comparePairs(a.pairs, b.pairs))
    .map(({ item }) => item);
}

/** `[name, value, name, value, ...]` in name order: comparing these compares the label sets. */
function namesAndValues(labels: Labels): string[] {
  const facts = derived(labels);
  return (facts.pairs ??= sortedLabelNames(labels).flatMap((name) => [name, labels[name] ?? '']));
}

function comparePairs(a: readonly string[], b: readonly string[]): number {
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i++) {
    const byText = compareStrings(a[i] as string, b[i] as string);
    if (byText !== 0) return byText;
  }
  return a.length - b.length;
}

export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Go's `labels.Labels.String()`, used in error messages: `{__name__="up", job="node"}`. */
export function formatLabels(labels: Labels): string {
  return `{${sortedLabelNames(labels)
    .map((name) => `${name}=${goQuote(labels[name] ?? '')}`)
    .join(', ')}}`;
}

const GO_ESCAPES: Record<string, string> = {
  '\u0007': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\u000b': '\\v',
  '\\': '\\\\',
  '"': '\\"',
};

/** Go's `strconv.Quote` for the characters label values realistically contain. */
export function goQuote(text: string): string {
  let quoted = '"';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    const escape = GO_ESCAPES[char];
    if (escape !== undefined) quoted += escape;
    else if (code < 0x20 || code === 0x7f) quoted += `\\x${code.toString(16).padStart(2, '0')}`;
    else quoted += char;
  }
  return `${quoted}"`;
}
