import type { FeedbackHandler } from '../api/routes/feedback.ts';
import type { Detector } from '../detect/detector.ts';
import type { MuteRule } from '../detect/entries/index.ts';
import type { FeedbackRule } from '../store/read/feedback-table.ts';
import type { Store } from '../store/store.ts';

/** A "normal" rule as the entry scorer mutes it: its template on its (host, unit), or everywhere. */
function muteRule(rule: Pick<FeedbackRule, 'action' | 'templateId' | 'host' | 'unit'>): MuteRule | null {
  if (rule.action !== 'normal' || rule.templateId === null) return null;
  return { templateId: rule.templateId, host: rule.host ?? undefined, unit: rule.unit ?? undefined };
}

/**
 * Feedback reaches the live detector at once: what on-call marks normal stops alerting from the next
 * entry on, and alerts again when the rule is reverted. Rules already stored are applied at start.
 */
export function detectorFeedback(detector: Detector, store: Store): FeedbackHandler {
  const active = store.db
    .prepare<[], Pick<FeedbackRule, 'action' | 'templateId' | 'host' | 'unit'>>(
      "SELECT action, template_id AS templateId, host, unit FROM feedback WHERE action = 'normal' AND reverted_ms IS NULL",
    )
    .all();
  for (const rule of active) {
    const mute = muteRule(rule);
    if (mute) detector.entries.mute(mute);
  }
  return {
    apply: (rule) => {
      const mute = muteRule(rule);
      if (mute) detector.entries.mute(mute);
    },
    revert: (rule) => {
      const mute = muteRule(rule);
      if (mute) detector.entries.unmute(mute);
    },
  };
}
