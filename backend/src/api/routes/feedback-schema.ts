import type { FeedbackRule } from '../../store/read/feedback-table.ts';
import { isoFromMs } from '../../store/read/minutes.ts';

export const feedbackRuleSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    event_id: { type: ['integer', 'null'] },
    action: { type: 'string', enum: ['acknowledge', 'normal'] },
    template_id: { type: ['integer', 'null'] },
    host: { type: ['string', 'null'], description: 'null with unit null: everywhere' },
    unit: { type: ['string', 'null'] },
    note: { type: ['string', 'null'] },
    created: { type: 'string', format: 'date-time' },
    reverted: { type: ['string', 'null'], format: 'date-time' },
  },
  required: ['id', 'event_id', 'action', 'template_id', 'host', 'unit', 'note', 'created', 'reverted'],
} as const;

export function feedbackView(rule: FeedbackRule) {
  return {
    id: rule.id,
    event_id: rule.eventId,
    action: rule.action,
    template_id: rule.templateId,
    host: rule.host,
    unit: rule.unit,
    note: rule.note,
    created: isoFromMs(rule.createdMs),
    reverted: rule.revertedMs === null ? null : isoFromMs(rule.revertedMs),
  };
}
