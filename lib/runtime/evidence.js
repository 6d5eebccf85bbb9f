'use strict';
// EvidenceStore: the core writes the artifacts and the index; this class
// only converts the content to bytes (a string as UTF-8, a Buffer as is),
// the records from JSON, and returns Promises as 1.4.0's async methods do.

const { native, toWire, requireString, flushDiagnostics } = require('../native.js');

function contentOf(content) {
  if (typeof content === 'string' || Buffer.isBuffer(content)) return content;
  return Buffer.from(content, 'utf8');
}

class EvidenceStore {
  constructor(projectRoot) {
    this.projectRoot = projectRoot;
  }

  async collect(type, content, opts) {
    const root = requireString('EvidenceStore.collect', 'projectRoot', this.projectRoot);
    const text = native.evidenceCollect(root, toWire('EvidenceStore.collect', 'type', type), contentOf(content), toWire('EvidenceStore.collect', 'opts', opts));
    flushDiagnostics();
    return JSON.parse(text);
  }

  async list(opts) {
    const root = requireString('EvidenceStore.list', 'projectRoot', this.projectRoot);
    const text = native.evidenceList(root, toWire('EvidenceStore.list', 'opts', opts));
    flushDiagnostics();
    return JSON.parse(text);
  }

  async get(evidenceId, opts) {
    const root = requireString('EvidenceStore.get', 'projectRoot', this.projectRoot);
    const found = native.evidenceGet(root, toWire('EvidenceStore.get', 'evidenceId', evidenceId), toWire('EvidenceStore.get', 'opts', opts));
    flushDiagnostics();
    return found === null ? null : { evidence: JSON.parse(found.evidence), content: found.content };
  }

  async listByRun(runId) {
    const root = requireString('EvidenceStore.listByRun', 'projectRoot', this.projectRoot);
    const text = native.evidenceListByRun(root, requireString('EvidenceStore.listByRun', 'runId', runId));
    flushDiagnostics();
    return JSON.parse(text);
  }
}

module.exports = { EvidenceStore };
