/**
 * What counts as loopback for `tritonscope ui` (the bridge) and `tritonscope serve`: one definition,
 * so a host one of them accepts without an opt-in flag the other accepts too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLoopbackHost, nonLoopbackRefusal } from '../../electron/bridge/security';

test('loopback hosts: 127.0.0.0/8, localhost and ::1; nothing that only looks like them', () => {
  for (const host of ['127.0.0.1', '127.0.0.2', '127.10.20.30', 'localhost', '::1', '[::1]'])
    assert.equal(isLoopbackHost(host), true, host);
  for (const host of [
    '0.0.0.0',
    '::',
    '10.0.0.1',
    '192.168.1.2',
    '127.0.0.1.evil.example',
    '1127.0.0.1',
    'localhost.evil',
  ])
    assert.equal(isLoopbackHost(host), false, host);
  assert.equal(nonLoopbackRefusal('127.0.0.2', false), null);
  assert.match(nonLoopbackRefusal('0.0.0.0', false) ?? '', /refusing to listen on 0\.0\.0\.0/);
  assert.equal(nonLoopbackRefusal('0.0.0.0', true), null);
});
