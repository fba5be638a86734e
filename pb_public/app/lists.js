// The server's lists and bounds (package vocab, served as app/vocab.js,
// which the server generates at start): what a screen offers and how it
// labels a stored value. Never retype them here: a value outside them is
// refused by the server. Only the screens that need them load this module.
import VOCAB from './vocab.js';

// labels turns the server's [{value, label}] into {value: label}, in order.
const labels = (terms) => Object.fromEntries(terms.map((t) => [t.value, t.label]));

export const TOPICS = VOCAB.topics;
export const DEPARTMENTS = VOCAB.departments;
export const PROBLEM_STATUS = labels(VOCAB.problem_statuses);
export const ESCALATION_STAGES = labels(VOCAB.escalation_stages);
export const MEETING_KINDS = labels(VOCAB.meeting_kinds);
export const TASK_STATUS = labels(VOCAB.task_statuses);
export const MEETING_PLAN = labels(VOCAB.meeting_plan);
export const INSPECTION_KINDS = labels(VOCAB.inspection_kinds);
export const HAZARD_STATUS = labels(VOCAB.hazard_statuses);
export const SUGGESTION_STATUS = labels(VOCAB.suggestion_statuses);
export const SUGGESTION_SOURCES = labels(VOCAB.suggestion_sources);
export const DEMAND_STATES = labels(VOCAB.demand_states);

// deviceTimeError checks a time typed on the phone against the server's
// bounds (docs/SYNC.md, vocab.device_clock): not more than a few minutes
// ahead, not before the platform's records began.
export function deviceTimeError(value, what) {
  const { skew_minutes: skew, earliest_year: earliest } = VOCAB.device_clock;
  const t = new Date(value);
  if (!value || Number.isNaN(t.getTime())) return `请填写${what}`;
  if (t.getTime() > Date.now() + skew * 60_000) return `${what}不能晚于现在`;
  if (t.getFullYear() < earliest) return `${what}不能早于${earliest}年`;
  return '';
}

// The liaison station's statuses and kinds (vocab.station).
export const DUTY_STATUS = labels(VOCAB.station.duty_statuses);
export const CHECKIN_METHOD = labels(VOCAB.station.checkin_methods);
export const SWAP_KIND = labels(VOCAB.station.swap_kinds);
export const SWAP_STATUS = labels(VOCAB.station.swap_statuses);
export const BOOKING_STATUS = labels(VOCAB.station.booking_statuses);

// 云端议事, 微调研, 调研报告, 学习园地 ({value: label}, in the server's order).
export const TOPIC_STATUS = labels(VOCAB.topic_statuses);
export const TOPIC_AUDIENCE = labels(VOCAB.topic_audiences);
export const TOPIC_OUTCOME = labels(VOCAB.topic_outcomes);
export const COMMENT_MODERATION = labels(VOCAB.comment_moderation);
export const SURVEY_STATUS = labels(VOCAB.survey_statuses);
export const SURVEY_KIND = labels(VOCAB.survey_kinds);
export const RESEARCH_STATUS = labels(VOCAB.research_statuses);
export const ARTICLE_CATEGORY = labels(VOCAB.article_categories);
