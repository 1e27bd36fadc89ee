/**
 * Manual check helper (not a test): starts the same stack as the E2E harness and prints the URL;
 * with --shot NAME it takes a screenshot of the start page and exits.
 *   node --import tsx test/e2e/serve-dev.ts [--repo DIR] [--seconds N]
 */
import { parseArgs } from 'node:util';
import { screenshot, startHarness } from './harness';

const { values } = parseArgs({
  options: { repo: { type: 'string' }, seconds: { type: 'string', default: '600' }, shot: { type: 'string' } },
});
const h = await startHarness({ demoRepo: values.repo });
console.log(h.bridge.url);
if (values.shot) {
  await h.page.waitForTimeout(1500);
  console.log(await screenshot(h.page, values.shot));
  await h.close();
} else {
  setTimeout(() => void h.close().then(() => process.exit(0)), Number(values.seconds) * 1000);
  process.on('SIGINT', () => void h.close().then(() => process.exit(0)));
}
