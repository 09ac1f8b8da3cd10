import type { JournalEntry } from '../../journal/entry.ts';

/**
 * On-call's "this is normal": a template on one unit of one host, on a unit (or a host) anywhere, or
 * everywhere when neither is named.
 */
export interface MuteRule {
  templateId: number;
  host?: string;
  unit?: string;
}

/** Mute rules by template, so that checking an entry costs one lookup when nothing is muted for it. */
export class MuteRules {
  readonly #byTemplate = new Map<number, MuteRule[]>();

  /** Adds a rule; false when the same rule was there already. */
  mute(rule: MuteRule): boolean {
    const normal = normalise(rule);
    const rules = this.#byTemplate.get(normal.templateId) ?? [];
    if (rules.some((known) => same(known, normal))) return false;
    this.#byTemplate.set(normal.templateId, [...rules, normal]);
    return true;
  }

  /** Removes a rule (the same template, host and unit); false when there was none. */
  unmute(rule: MuteRule): boolean {
    const normal = normalise(rule);
    const rules = this.#byTemplate.get(normal.templateId) ?? [];
    const kept = rules.filter((known) => !same(known, normal));
    if (kept.length === rules.length) return false;
    if (kept.length === 0) this.#byTemplate.delete(normal.templateId);
    else this.#byTemplate.set(normal.templateId, kept);
    return true;
  }

  matches(entry: Pick<JournalEntry, 'host' | 'unit'> & { templateId: number }): boolean {
    const rules = this.#byTemplate.get(entry.templateId);
    if (!rules) return false;
    return rules.some(
      (rule) =>
        (rule.host === undefined || rule.host === entry.host) &&
        (rule.unit === undefined || rule.unit === entry.unit),
    );
  }

  list(): MuteRule[] {
    return Array.from(this.#byTemplate.values()).flatMap((rules) => rules.map((rule) => ({ ...rule })));
  }
}

function normalise(rule: MuteRule): MuteRule {
  if (!Number.isInteger(rule.templateId)) throw new RangeError(`templateId must be a whole number`);
  const normal: MuteRule = { templateId: rule.templateId };
  if (rule.host !== undefined) normal.host = rule.host;
  if (rule.unit !== undefined) normal.unit = rule.unit;
  return normal;
}

function same(a: MuteRule, b: MuteRule): boolean {
  return a.templateId === b.templateId && a.host === b.host && a.unit === b.unit;
}
