import type { Db } from '../database.ts';

export type FeedbackAction = 'acknowledge' | 'normal';

/**
 * What on-call said. An acknowledgement names an event; a "normal" rule names a template on one
 * (host, unit) when host and unit are set, or the template everywhere when they are null.
 */
export interface FeedbackRule {
  readonly id: number;
  readonly eventId: number | null;
  readonly action: FeedbackAction;
  readonly templateId: number | null;
  readonly host: string | null;
  readonly unit: string | null;
  readonly note: string | null;
  readonly createdMs: number;
  readonly revertedMs: number | null;
}

export type NewFeedbackRule = Omit<FeedbackRule, 'id' | 'createdMs' | 'revertedMs'>;

const COLUMNS = `id, event_id AS eventId, action, template_id AS templateId, host, unit, note,
  created_ms AS createdMs, reverted_ms AS revertedMs`;

/** The feedback rows: written by the feedback routes, read by them and by the detector. */
export class FeedbackTable {
  private readonly insert;
  private readonly byId;
  private readonly setReverted;
  private readonly acknowledge;
  private readonly count;
  private readonly page;
  private readonly activeForEvent;
  private readonly forEvent;
  private readonly addAll;

  constructor(db: Db) {
    this.insert = db.prepare<
      [number | null, string, number | null, string | null, string | null, string | null, number]
    >(
      `INSERT INTO feedback (event_id, action, template_id, host, unit, note, created_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.byId = db.prepare<[number], FeedbackRule>(`SELECT ${COLUMNS} FROM feedback WHERE id = ?`);
    this.setReverted = db.prepare<[number, number]>('UPDATE feedback SET reverted_ms = ? WHERE id = ?');
    this.acknowledge = db.prepare<[number | null, number]>(
      'UPDATE events SET acknowledged_ms = ? WHERE id = ?',
    );
    this.count = db
      .prepare<[number], number>('SELECT count(*) FROM feedback WHERE (? = 0 OR reverted_ms IS NULL)')
      .pluck();
    this.page = db.prepare<[number, number, number], FeedbackRule>(
      `SELECT ${COLUMNS} FROM feedback WHERE (? = 0 OR reverted_ms IS NULL) ORDER BY id DESC LIMIT ? OFFSET ?`,
    );
    this.activeForEvent = db
      .prepare<[number], number>(
        `SELECT count(*) FROM feedback WHERE event_id = ? AND action = 'acknowledge' AND reverted_ms IS NULL`,
      )
      .pluck();
    this.forEvent = db.prepare<[number], FeedbackRule>(
      `SELECT ${COLUMNS} FROM feedback WHERE event_id = ? ORDER BY id`,
    );
    this.addAll = db.transaction((rules: readonly NewFeedbackRule[], nowMs: number) =>
      rules.map((rule) => {
        const { lastInsertRowid } = this.insert.run(
          rule.eventId,
          rule.action,
          rule.templateId,
          rule.host,
          rule.unit,
          rule.note,
          nowMs,
        );
        if (rule.action === 'acknowledge' && rule.eventId !== null) this.acknowledge.run(nowMs, rule.eventId);
        return this.byId.get(Number(lastInsertRowid)) as FeedbackRule;
      }),
    );
  }

  /** Stores the rules (and marks acknowledged events) in one transaction. */
  add(rules: readonly NewFeedbackRule[], nowMs = Date.now()): FeedbackRule[] {
    return this.addAll(rules, nowMs);
  }

  get(id: number): FeedbackRule | null {
    return this.byId.get(id) ?? null;
  }

  list(activeOnly: boolean, limit: number, offset: number): { total: number; rules: FeedbackRule[] } {
    const flag = activeOnly ? 1 : 0;
    return { total: this.count.get(flag) ?? 0, rules: this.page.all(flag, limit, offset) };
  }

  ofEvent(eventId: number): FeedbackRule[] {
    return this.forEvent.all(eventId);
  }

  /** Marks a rule reverted; an event stays acknowledged while another acknowledgement of it stands. */
  revert(rule: FeedbackRule, nowMs = Date.now()): FeedbackRule {
    this.setReverted.run(nowMs, rule.id);
    if (
      rule.action === 'acknowledge' &&
      rule.eventId !== null &&
      this.activeForEvent.get(rule.eventId) === 0
    ) {
      this.acknowledge.run(null, rule.eventId);
    }
    return this.byId.get(rule.id) as FeedbackRule;
  }
}
