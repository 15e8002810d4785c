// Microsoft Dataverse and Graph. Source: platform-facts.md §2.14 (service protection limits per user, Retry-After) and §5.14.
import type { Preset } from '../types';

export const dataverse: Preset = {
	name: 'dataverse',
	title: 'Microsoft Dataverse (Dynamics 365)',
	source: 'platform-facts.md §2.14, §5.14; learn.microsoft.com power-apps data-platform api-limits',
	// The penalty window is 5 minutes, so waits up to 300 s are slept and the retry window allows them.
	policy: { maxAttempts: 6, baseDelayMs: 2000, maxServerWaitMs: 300_000, maxRetryWindowMs: 360_000 },
	rules: [
		{
			id: 'dataverse.service-protection',
			description: 'service protection limit for this user: every call of the user waits',
			match: { bodyRegex: '0x8007232[12]|0x80072326|-214701590[23]|-2147015898' },
			class: 'transient',
			scope: 'user',
			notProcessed: true,
			breakerFailure: false,
		},
		{ id: 'dataverse.rate-limit', description: 'rate limit for this user', match: { status: 429 }, class: 'transient', scope: 'user', notProcessed: true, breakerFailure: false },
	],
};

export const msgraph: Preset = {
	name: 'msgraph',
	title: 'Microsoft Graph',
	source: 'platform-facts.md §2.14, §5.14; learn.microsoft.com/graph/throttling',
	policy: { maxAttempts: 6, baseDelayMs: 2000, maxServerWaitMs: 120_000, maxRetryWindowMs: 240_000 },
	rules: [{ id: 'msgraph.throttled', description: 'throttled by Microsoft Graph', match: { status: 429 }, class: 'transient', notProcessed: true, breakerFailure: false }],
};
