// The limits table: every preset has one, with a source; buckets are valid and stay under the documented ceilings.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { listPresets } from '../../../src';
import { RATE_LIMITS, endpointClassFor, limitsFor, rateLimitTableMarkdown, validateAcquire } from '../../../src/ratelimit';

/** Most calls a bucket can allow in any window of `ms`. */
const most = (b: { ratePerSec: number; burst: number }, ms: number) => b.burst + (b.ratePerSec * ms) / 1000;

describe('rate limits per preset', () => {
	it('every preset has limits with a source, and every bucket is valid', () => {
		for (const p of listPresets()) {
			const l = RATE_LIMITS[p.name];
			assert.ok(l, `no limits for ${p.name}`);
			assert.match(l.source, /platform-facts|header/, p.name);
			for (const b of [l.bucket, ...(l.classes ?? []).map((c) => c.bucket), ...Object.values(l.tiers ?? {})]) validateAcquire(b);
		}
		assert.deepEqual(Object.keys(RATE_LIMITS).sort(), listPresets().map((p) => p.name).sort());
	});

	it('stays under the documented ceilings in any window', () => {
		assert.ok(most(RATE_LIMITS.hubspot.bucket, 10_000) <= 100, 'HubSpot Free/Starter: 100 per rolling 10 s');
		assert.ok(most(limitsFor('hubspot', 'private-pro').bucket, 10_000) <= 190);
		assert.ok(most(limitsFor('hubspot', 'public-oauth').bucket, 10_000) <= 110);
		assert.ok(most(RATE_LIMITS.hubspot.classes![0].bucket, 1000) <= 5, 'HubSpot search 5/s');
		assert.ok(most(RATE_LIMITS.outreach.bucket, 3_600_000) <= 10_000);
		assert.ok(most(RATE_LIMITS.apollo.bucket, 3_600_000) <= 400 && most(RATE_LIMITS.apollo.bucket, 60_000) <= 200);
		assert.ok(most(RATE_LIMITS.zoominfo.bucket, 1000) <= 25);
		assert.ok(most(RATE_LIMITS.stripe.bucket, 1000) <= 100);
		assert.ok(most(RATE_LIMITS['google-sheets'].bucket, 60_000) <= 60);
		assert.ok(most(RATE_LIMITS.pipedrive.bucket, 2000) <= 20);
		assert.ok(most(RATE_LIMITS.dataverse.bucket, 300_000) <= 6000);
		assert.ok(most(RATE_LIMITS.zendesk.bucket, 60_000) <= 200);
		assert.ok(most(RATE_LIMITS.attio.bucket, 1000) <= 100 && most(RATE_LIMITS.attio.classes![0].bucket, 1000) <= 25);
	});

	it('endpoint classes match by method and path', () => {
		const hs = RATE_LIMITS.hubspot;
		assert.equal(endpointClassFor(hs, 'post', 'https://api.hubapi.com/crm/v3/objects/contacts/search')?.name, 'search');
		assert.equal(endpointClassFor(hs, 'GET', 'https://api.hubapi.com/crm/v3/objects/contacts/search'), undefined);
		assert.equal(endpointClassFor(RATE_LIMITS.attio, 'PUT', 'https://api.attio.com/v2/objects/people/records')?.name, 'writes');
		assert.equal(endpointClassFor(RATE_LIMITS.apollo, 'POST', 'https://api.apollo.io/api/v1/people/match')?.name, 'enrichment');
		assert.equal(endpointClassFor(RATE_LIMITS.slack, 'POST', 'https://slack.com/api/chat.postMessage')?.name, 'chat.postMessage');
		assert.equal(limitsFor('not-a-preset').source, RATE_LIMITS.generic.source);
	});

	it('renders a Markdown row per preset for the README', () => {
		const rows = rateLimitTableMarkdown().split('\n');
		assert.equal(rows.length, 2 + listPresets().length);
		assert.ok(rows.some((r) => r.startsWith('| hubspot | 9.5/s, burst 3 | search: 4/s, burst 1 |')));
		assert.ok(rows.some((r) => r.startsWith('| openai | from headers only |')));
	});
});
