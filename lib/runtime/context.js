'use strict';
// context: profiles, the pack builder and the pack store. The rules live in
// crates/oxe-runtime/src/context; this glue reads the caller's objects
// (the evidence Map, the RunState Sets) and turns the builder's plan into
// artifact objects that reuse the caller's strings and lesson tag arrays.

const { native, argError, toWire, requireString, flushDiagnostics, requireObject, runArgs, parseOrNull } = require('../native.js');

// One live object: getProfile(t) === DEFAULT_PROFILES[t], as in 1.4.0.
const DEFAULT_PROFILES = JSON.parse(native.contextProfiles());

function getProfile(decisionType) {
  return DEFAULT_PROFILES[decisionType];
}


function requireArray(fn, what, value) {
  if (!Array.isArray(value)) throw argError(`${fn}: ${what} must be an array`);
  return value;
}

// A JS number for the core; `undefined` lets the core apply its default.
function numberOpt(value) {
  return value === undefined ? undefined : Number(value);
}

function sizeOf(fn, what, value) {
  if (value === null || typeof value !== 'object' || typeof value.size !== 'number') {
    throw argError(`${fn}: state.${what} must be a Set`);
  }
  return value.size;
}

// The (projectRoot, runId[, id]) string arguments of the store calls.


// ---------------------------------------------------------------- builder

const BUILD = 'ContextPackBuilder.build';
const EVIDENCE = 0;
const LESSON = 1;

class ContextPackBuilder {
  constructor(opts = {}) {
    this.opts = opts;
  }

  build(workItem, state, evidenceItems, evidenceContents, lessons) {
    requireObject(BUILD, 'workItem', workItem);
    requireObject(BUILD, 'state', state);
    requireArray(BUILD, 'evidenceItems', evidenceItems);
    requireArray(BUILD, 'lessons', lessons);
    if (evidenceContents === null || typeof evidenceContents !== 'object' || typeof evidenceContents.get !== 'function') {
      throw argError(`${BUILD}: evidenceContents must be a Map of evidence_id to content`);
    }
    const opts = this.opts ?? {};
    const contents = evidenceItems.map((ev) => {
      requireObject(BUILD, 'evidenceItems[]', ev);
      return evidenceContents.get(ev.evidence_id) ?? '';
    });
    const wire = {
      run_id: String(workItem.run_id),
      title: workItem.title,
      scope: workItem.mutation_scope ?? null,
      counts: [
        sizeOf(BUILD, 'completedWorkItems', state.completedWorkItems),
        sizeOf(BUILD, 'failedWorkItems', state.failedWorkItems),
        sizeOf(BUILD, 'blockedWorkItems', state.blockedWorkItems),
      ],
      evidence: evidenceItems.map((ev, i) => [ev.evidence_id, ev.type, contents[i]]),
      lessons: lessons.map((l) => {
        requireObject(BUILD, 'lessons[]', l);
        return [l.tags, l.content];
      }),
    };
    const plan = JSON.parse(native.contextBuild(
      toWire(BUILD, 'input', wire),
      numberOpt(opts.maxArtifacts),
      numberOpt(opts.maxTokensEstimate),
      numberOpt(opts.deduplicateThreshold),
    ));
    const kept = plan.kept;
    const artifacts = [];
    for (let k = 0; k < kept.length; k += 3) {
      const source = kept[k];
      const i = kept[k + 1];
      const relevanceScore = kept[k + 2];
      if (source === EVIDENCE) {
        const ev = evidenceItems[i];
        artifacts.push({ id: ev.evidence_id, kind: 'evidence', content: contents[i], relevanceScore, tags: [ev.type, workItem.work_item_id] });
      } else if (source === LESSON) {
        const l = lessons[i];
        artifacts.push({ id: l.lesson_id, kind: 'lesson', content: l.content, relevanceScore, tags: l.tags });
      } else {
        artifacts.push(plan.summary);
      }
    }
    return {
      work_item_id: workItem.work_item_id,
      artifacts,
      total_artifacts_considered: plan.considered,
      redundancy_removed: plan.removed,
      built_at: plan.built_at,
    };
  }

  buildLightweight(workItem, state, lessons) {
    return this.build(workItem, state, [], new Map(), lessons);
  }

  filterByMutationScope(artifacts, mutationScope, autonomyTier) {
    const fn = 'ContextPackBuilder.filterByMutationScope';
    requireArray(fn, 'artifacts', artifacts);
    const wire = {
      tags: artifacts.map((a) => requireObject(fn, 'artifacts[]', a).tags),
      scope: requireArray(fn, 'mutationScope', mutationScope),
    };
    const kept = native.contextFilterByScope(
      toWire(fn, 'artifacts', wire),
      typeof autonomyTier === 'string' ? autonomyTier : undefined,
    );
    return kept === null ? artifacts : kept.map((i) => artifacts[i]);
  }
}

function scorePackQuality(pack, profile) {
  const fn = 'scorePackQuality';
  requireObject(fn, 'pack', pack);
  requireObject(fn, 'profile', profile);
  requireObject(fn, 'profile.artifact_kind_weights', profile.artifact_kind_weights);
  const arts = requireArray(fn, 'pack.artifacts', pack.artifacts);
  const wire = {
    keys: Object.keys(profile.artifact_kind_weights),
    kinds: arts.map((a) => a.kind),
    scores: arts.map((a) => a.relevanceScore),
    considered: pack.total_artifacts_considered,
  };
  const q = native.contextScoreQuality(toWire(fn, 'pack', wire), new Date(pack.built_at).getTime());
  return { completeness: q[0], relevance_mean: q[1], redundancy: q[2], recency_score: q[3], overall: q[4] };
}

// ------------------------------------------------------------------ store

function savePack(projectRoot, runId, pack) {
  requireObject('savePack', 'pack', pack);
  const meta = JSON.parse(native.contextSavePack(...runArgs('savePack', projectRoot, runId), toWire('savePack', 'pack', pack)));
  flushDiagnostics();
  return meta;
}

function loadPack(projectRoot, runId, workItemId) {
  return parseOrNull(native.contextLoadPack(...runArgs('loadPack', projectRoot, runId, 'workItemId', workItemId)));
}

function markStale(projectRoot, runId, workItemId, reason) {
  native.contextMarkStale(
    ...runArgs('markStale', projectRoot, runId, 'workItemId', workItemId),
    reason === undefined ? undefined : toWire('markStale', 'reason', reason),
  );
  flushDiagnostics();
}

function isStale(projectRoot, runId, workItemId) {
  const text = native.contextIsStale(...runArgs('isStale', projectRoot, runId, 'workItemId', workItemId));
  flushDiagnostics();
  return JSON.parse(text);
}

function listPackMeta(projectRoot, runId) {
  return parseOrNull(native.contextListPackMeta(...runArgs('listPackMeta', projectRoot, runId)));
}

function scoredIds(fn, what, pack) {
  requireObject(fn, what, pack);
  return requireArray(fn, `${what}.artifacts`, pack.artifacts).map((a) => ({ i: a.id, s: a.relevanceScore }));
}

function diffPacks(before, after) {
  const fn = 'diffPacks';
  const wire = { b: scoredIds(fn, 'before', before), a: scoredIds(fn, 'after', after) };
  return JSON.parse(native.contextDiffPacks(toWire(fn, 'packs', wire)));
}

function linkPackToAttempt(projectRoot, runId, attemptId, pack, quality) {
  const fn = 'linkPackToAttempt';
  requireObject(fn, 'pack', pack);
  const wire = {
    work_item_id: pack.work_item_id,
    ids: requireArray(fn, 'pack.artifacts', pack.artifacts).map((a) => a.id),
  };
  const ref = JSON.parse(native.contextLinkPack(
    ...runArgs(fn, projectRoot, runId, 'attemptId', attemptId),
    toWire(fn, 'pack', wire),
    quality === undefined ? undefined : toWire(fn, 'quality', quality),
  ));
  if (quality !== undefined) ref.quality = quality;
  return ref;
}

function getPackRefForAttempt(projectRoot, runId, attemptId) {
  return parseOrNull(native.contextGetPackRef(...runArgs('getPackRefForAttempt', projectRoot, runId, 'attemptId', attemptId)));
}

module.exports = {
  DEFAULT_PROFILES,
  getProfile,
  ContextPackBuilder,
  scorePackQuality,
  savePack,
  loadPack,
  markStale,
  isStale,
  diffPacks,
  listPackMeta,
  linkPackToAttempt,
  getPackRefForAttempt,
};
