'use strict';
// The SDK's own readers (PLAN, SPEC, STATE, DISCUSS, hypotheses, confidence
// vectors, lessons metrics, package metadata). Rust decides everything; this
// file converts arguments the way 1.4.0's JS did (a non-string where a
// string is required is a TypeError) and builds the result objects.

const path = require('path');
const { native, toWire } = require('../native.js');

const PACKAGE_ROOT = path.join(__dirname, '..', '..');

// A native OXE_E_ARG error where 1.4.0 threw a TypeError.
function asTypeError(fn) {
  try {
    return fn();
  } catch (e) {
    if (e && e.code === 'OXE_E_ARG') {
      const t = new TypeError(e.message);
      t.code = e.code;
      throw t;
    }
    throw e;
  }
}

function describe(v) {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}

function text(fn, what, v) {
  if (typeof v === 'string') return v;
  if (v instanceof String) return String(v);
  const t = new TypeError(`${fn}: ${what} must be a string, got ${describe(v)}`);
  t.code = 'OXE_E_ARG';
  throw t;
}

function optionalText(v) {
  if (typeof v === 'string') return v;
  if (v instanceof String) return String(v);
  return null;
}

function readPackageMeta(root = PACKAGE_ROOT) {
  if (typeof root !== 'string') return { version: '0.0.0', name: 'oxe-cc' };
  return JSON.parse(native.sdkReadPackageMeta(root));
}

function readMinNode(packageRoot) {
  return native.sdkReadMinNode(typeof packageRoot === 'string' ? packageRoot : null);
}

function parsePlan(planMd) {
  return JSON.parse(native.sdkParsePlan(text('parsePlan', 'planMd', planMd)));
}

function parseSpec(specMd) {
  return JSON.parse(native.sdkParseSpec(text('parseSpec', 'specMd', specMd)));
}

function parseHypotheses(planText) {
  return JSON.parse(native.sdkParseHypotheses(String(planText || '')));
}

function parseConfidenceVector(planText) {
  return JSON.parse(native.sdkParseConfidenceVector(String(planText || '')));
}

function parseState(stateMd) {
  return JSON.parse(native.sdkParseState(text('parseState', 'stateMd', stateMd)));
}

function validateDecisionFidelity(discussMd, planMd) {
  const discuss = text('validateDecisionFidelity', 'discussMd', discussMd);
  return asTypeError(() => JSON.parse(native.sdkValidateDecisionFidelity(discuss, optionalText(planMd))));
}

function parseLessonsMetrics(metricsJson) {
  let raw;
  try {
    raw = String(metricsJson || '{}');
  } catch {
    return [];
  }
  return JSON.parse(native.sdkParseLessonsMetrics(raw));
}

function updateLessonMetric(metrics, lessonId, outcome) {
  const arr = Array.isArray(metrics) ? metrics.slice() : [];
  const d = asTypeError(() =>
    JSON.parse(
      native.sdkLessonMetricUpdate(
        toWire('updateLessonMetric', 'metrics', arr),
        toWire('updateLessonMetric', 'lessonId', { id: lessonId }),
        toWire('updateLessonMetric', 'outcome', outcome),
      ),
    ),
  );
  if (d.index === -1) return arr;
  const lesson = { ...arr[d.index] };
  lesson.outcomes = [...(lesson.outcomes || []), outcome];
  if (d.addCycle) lesson.applied_cycles = [...lesson.applied_cycles, outcome.cycle];
  lesson.success_rate = d.successRate;
  if (d.deprecate) lesson.status = 'deprecated';
  arr[d.index] = lesson;
  return arr;
}

function deprecateLowEffectiveness(metrics, threshold = 0.5, minObservations = 3) {
  const list = Array.isArray(metrics) ? metrics : [];
  const picks = new Set(
    asTypeError(() =>
      native.sdkLessonsToDeprecate(
        toWire('deprecateLowEffectiveness', 'metrics', list),
        toWire('deprecateLowEffectiveness', 'threshold', threshold),
        toWire('deprecateLowEffectiveness', 'minObservations', minObservations),
      ),
    ),
  );
  return list.map((lesson, i) => (picks.has(i) ? { ...lesson, status: 'deprecated' } : lesson));
}

// STATE.md field readers of the health module.
function stateString(field, fn, stateText, nullWhenEmpty) {
  if (nullWhenEmpty && !stateText) return null;
  return JSON.parse(native.sdkStateField(field, text(fn, 'stateText', stateText)));
}

function stateDate(field, fn, stateText) {
  const ms = JSON.parse(native.sdkStateField(field, text(fn, 'stateText', stateText)));
  return ms === null ? null : new Date(ms);
}

const stateReaders = {
  parseStatePhase: (stateText) => stateString('phase', 'parseStatePhase', stateText, false),
  parseLastScanDate: (stateText) => stateDate('lastScanDate', 'parseLastScanDate', stateText),
  parseLastCompactDate: (stateText) => stateDate('lastCompactDate', 'parseLastCompactDate', stateText),
  parseLastRetroDate: (stateText) => stateDate('lastRetroDate', 'parseLastRetroDate', stateText),
  parseActiveSession: (stateText) => stateString('activeSession', 'parseActiveSession', stateText, true),
  parsePlanReviewStatus: (stateText) => stateString('planReviewStatus', 'parsePlanReviewStatus', stateText, true),
};

module.exports = {
  PACKAGE_ROOT,
  readPackageMeta,
  readMinNode,
  parsePlan,
  parseSpec,
  parseHypotheses,
  parseConfidenceVector,
  parseState,
  validateDecisionFidelity,
  parseLessonsMetrics,
  updateLessonMetric,
  deprecateLowEffectiveness,
  stateReaders,
};
