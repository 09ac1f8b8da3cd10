import type { FastifyPluginAsync } from 'fastify';
import type { EventsReader } from '../../store/read/events-reader.ts';
import type { FeedbackRule, FeedbackTable, NewFeedbackRule } from '../../store/read/feedback-table.ts';
import { errorResponses, notFound, pageParameters } from '../json-api.ts';
import { httpError } from '../limits.ts';
import { feedbackRuleSchema, feedbackView } from './feedback-schema.ts';

/**
 * Tells the live detector about feedback the moment it is given: mute (or unmute) what a "normal" rule
 * names, so that the next minute is scored with it. The rules are stored before `apply` is called.
 */
export interface FeedbackHandler {
  apply(rule: FeedbackRule): void;
  revert(rule: FeedbackRule): void;
}

export interface FeedbackOptions {
  events: EventsReader;
  feedback: FeedbackTable;
  handler: FeedbackHandler;
  /** Called after rules change: scores of past minutes may be rewritten. */
  onChange: () => void;
}

interface FeedbackBody {
  action: 'acknowledge' | 'normal';
  scope: 'unit' | 'everywhere';
  template_id?: number;
  note?: string;
}

const idParameter = {
  type: 'object',
  properties: { id: { type: 'integer', minimum: 1 } },
  required: ['id'],
} as const;

const rulesResponse = {
  type: 'object',
  properties: { rules: { type: 'array', items: feedbackRuleSchema } },
  required: ['rules'],
} as const;

/** Feedback on events: acknowledge one, or say its pattern is normal (on its unit or everywhere). */
export const feedbackRoutes: FastifyPluginAsync<FeedbackOptions> = async (app, options) => {
  const { events, feedback, handler } = options;

  app.post<{ Params: { id: number }; Body: FeedbackBody }>(
    '/api/v1/events/:id/feedback',
    {
      config: { scope: 'write' },
      schema: {
        tags: ['lookout'],
        summary: 'Acknowledge an event, or mark its templates (or one) normal',
        description:
          '"normal" mutes the template(s) on the event\'s unit (scope "unit") or on every host and unit ' +
          '(scope "everywhere"): one rule per template, of the event\'s templates unless template_id names one.',
        params: idParameter,
        body: {
          type: 'object',
          properties: {
            action: { type: 'string', enum: ['acknowledge', 'normal'] },
            scope: { type: 'string', enum: ['unit', 'everywhere'], default: 'unit' },
            template_id: { type: 'integer', minimum: 0 },
            note: { type: 'string', maxLength: 2000 },
          },
          required: ['action'],
          additionalProperties: false,
        },
        response: { 201: rulesResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const event = events.get(request.params.id);
      if (event === null) throw notFound(`event ${request.params.id}`);
      const { action, scope, note } = request.body;
      const base = { eventId: event.id, action, note: note ?? null };
      let rules: NewFeedbackRule[];
      if (action === 'acknowledge') {
        rules = [{ ...base, templateId: null, host: event.host, unit: event.unit }];
      } else {
        const templateIds =
          request.body.template_id === undefined
            ? event.templates.map((template) => template.id)
            : [request.body.template_id];
        if (templateIds.length === 0) {
          throw httpError(
            400,
            `event ${event.id} names no template: pass "template_id" to say which is normal`,
          );
        }
        const where =
          scope === 'everywhere' ? { host: null, unit: null } : { host: event.host, unit: event.unit };
        rules = templateIds.map((templateId) => ({ ...base, templateId, ...where }));
      }
      const stored = feedback.add(rules);
      try {
        for (const rule of stored) handler.apply(rule);
      } catch (error) {
        for (const rule of stored) feedback.revert(rule);
        throw error;
      }
      options.onChange();
      return reply.code(201).send({ rules: stored.map(feedbackView) });
    },
  );

  app.get<{ Querystring: { active: boolean; limit: number; offset: number } }>(
    '/api/v1/feedback',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['lookout'],
        summary: 'Feedback rules, newest first',
        querystring: {
          type: 'object',
          properties: {
            active: { type: 'boolean', default: false, description: 'only rules not reverted' },
            ...pageParameters(1000, 100),
          },
        },
        response: {
          200: {
            type: 'object',
            properties: { total: { type: 'integer' }, rules: rulesResponse.properties.rules },
            required: ['total', 'rules'],
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { total, rules } = feedback.list(request.query.active, request.query.limit, request.query.offset);
      return { total, rules: rules.map(feedbackView) };
    },
  );

  app.delete<{ Params: { id: number } }>(
    '/api/v1/feedback/:id',
    {
      config: { scope: 'write' },
      schema: {
        tags: ['lookout'],
        summary: 'Revert a feedback rule (kept, marked reverted); reverting twice changes nothing',
        params: idParameter,
        response: { 200: feedbackRuleSchema, ...errorResponses },
      },
    },
    async (request) => {
      const rule = feedback.get(request.params.id);
      if (rule === null) throw notFound(`feedback rule ${request.params.id}`);
      if (rule.revertedMs !== null) return feedbackView(rule);
      const reverted = feedback.revert(rule);
      handler.revert(reverted);
      options.onChange();
      return feedbackView(reverted);
    },
  );
};
