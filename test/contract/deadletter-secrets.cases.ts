// Seeded secrets in the shapes a plain n8n HTTP Request error brings to the Sink (fresh-user test r02): none may reach
// a store's raw data, whichever backend, and the URLs and header names around them stay readable.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { buildDeadLetter } from '../../src/deadletter';
import { attempt, draft, URL_AND_DUMP_SECRETS as S, type DeadLetterFixture } from './deadletter-fixtures';

const dump = [
	'accept: */*',
	`cookie: session=${S.dumpCookie}`,
	`x-custom-token: ${S.dumpCustom}`,
	`x-api-key: ${S.dumpKey}`,
	`authorization: Basic ${Buffer.from(`alice:${S.basicPassword}`).toString('base64')}`,
	'user-agent: axios/1.12.0',
].join('\n');
const echo = { url: `/bot123456789:${S.telegram}/sendMessage`, headers: { cookie: `session=${S.dumpCookie}`, 'x-api-key': S.dumpKey }, body: JSON.stringify({ password: S.escapedPassword }), dump };
// n8n 2.8.4: `${status} - ${JSON.stringify(responseBody)}` where the body is the server's JSON text
const n8nMessage = `400 - ${JSON.stringify(JSON.stringify(echo))}`;

export function deadLetterSecretCases(fx: () => DeadLetterFixture): void {
	it('seeded URL-path, header-dump and escaped-JSON secrets never reach the stored data; names and hosts stay readable', async () => {
		const f = fx();
		// A caller that skips the builder (the store redacts on write all the same)
		await f.store.write(
			draft('secrets', {
				item: { note: `posted to https://alice:${S.urlPassword}@crm.example.com/x` },
				request: { method: 'POST', url: `https://api.telegram.org/bot123456789:${S.telegram}/sendMessage`, headers: {}, body: `see https://hooks.slack.com/services/T0001/B0002/${S.slackHook}` },
				classification: { outcome: 'dead-lettered', class: 'permanent', reason: n8nMessage },
				attempts: [attempt(1, 400, { bodyExcerpt: JSON.stringify(dump), reason: `POST https://discord.com/api/webhooks/123456789012345678/${S.discord} → 400` })],
			}),
		);
		// The builder with the literals a Sink found on the item: a secret echoed with no name in front
		const report = { outcome: 'dead-lettered', class: 'permanent', reason: `invalid key ${S.bareEcho}`, request: { method: '', url: '' }, attempts: [] };
		await f.store.write(buildDeadLetter(report, { queue: 'secrets', item: { dump }, scrub: { secrets: [S.bareEcho] } }));
		const text = await f.raw();
		for (const [name, secret] of Object.entries(S)) assert.ok(!text.includes(secret), `${name} leaked into stored data`);
		const listed = JSON.stringify(await f.store.list({ queue: 'secrets' }));
		for (const [name, secret] of Object.entries(S)) assert.ok(!listed.includes(secret), `${name} leaked into list output`);
		for (const kept of ['api.telegram.org/bot123456789:[redacted]/sendMessage', 'hooks.slack.com/services/T0001/B0002/[redacted]', 'webhooks/123456789012345678/[redacted]', 'x-custom-token: [redacted]', 'user-agent: axios/1.12.0']) {
			assert.ok(listed.includes(kept), `${kept} is kept readable`);
		}
	});
}
