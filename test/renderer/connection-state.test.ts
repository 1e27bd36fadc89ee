/**
 * What a server row and the top bar show (renderer/src/lib/connectionState): never a "disconnected"
 * that is not true. The demo's services register its profile, open its repository and only then
 * connect; a status fetched in that window says "disconnected" (seen in the first-launch E2E test
 * on a loaded machine as starting -> disconnected -> connecting -> connected).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shownConnectionState } from '../../renderer/src/lib/connectionState';
import type { ConnectionStatus } from '../../shared/contract';

const status = (state: ConnectionStatus['state']): ConnectionStatus => ({
  id: 'demo',
  state,
  live: null,
  ready: null,
  metadata: null,
  error: null,
  lastCheckedAt: null,
  latencyMs: null,
  nextCheckInMs: null,
  consecutiveFailures: 0,
});

test('a demo being started shows "starting" while its profile exists but is not yet connected', () => {
  assert.equal(shownConnectionState(undefined, true, true), 'starting');
  assert.equal(shownConnectionState(status('disconnected'), true, true), 'starting');
  // Once the services connect, their own states show.
  assert.equal(shownConnectionState(status('connecting'), true, true), 'connecting');
  assert.equal(shownConnectionState(status('connected'), true, true), 'connected');
  assert.equal(shownConnectionState(status('error'), true, true), 'error');
});

test('other servers: "checking" until the services answer, then their state; a real disconnect shows', () => {
  assert.equal(shownConnectionState(undefined, false, false), 'checking');
  assert.equal(shownConnectionState(undefined, true, false), 'disconnected');
  assert.equal(shownConnectionState(status('disconnected'), true, false), 'disconnected');
  assert.equal(shownConnectionState(status('connected'), false, false), 'connected');
});
