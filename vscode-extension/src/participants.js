'use strict';
// The 13 chat participants: participant id → workflow slug (ids and names as
// oxe-agents 1.4.0 registers them).

const PARTICIPANTS = [
  { id: 'oxe.router', slug: 'oxe' },
  { id: 'oxe.ask', slug: 'ask' },
  { id: 'oxe.scan', slug: 'scan' },
  { id: 'oxe.spec', slug: 'spec' },
  { id: 'oxe.plan', slug: 'plan' },
  { id: 'oxe.quick', slug: 'quick' },
  { id: 'oxe.execute', slug: 'execute' },
  { id: 'oxe.debug', slug: 'debug' },
  { id: 'oxe.verify', slug: 'verify' },
  { id: 'oxe.review', slug: 'review-pr' },
  { id: 'oxe.capabilities', slug: 'capabilities' },
  { id: 'oxe.skill', slug: 'skill' },
  { id: 'oxe.dashboard', slug: 'dashboard' },
];

module.exports = { PARTICIPANTS };
