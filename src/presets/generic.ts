// Any REST API: standard statuses, Retry-After / retry-after-ms, common body rules. Source: scenarios README §1, platform-facts §1.1.
import type { Preset } from '../types';
import { DATA_ERROR_IN_500, GRAPHQL_RULES, RATE_LIMIT_IN_BODY } from './commonRules';

export const generic: Preset = {
	name: 'generic',
	title: 'Generic REST API',
	source: 'scenarios README §1 default client policy; platform-facts.md §1.1 (Retry-After forms), §1.2 (GraphQL errors in a 200), §1.3 (ambiguous POSTs)',
	policy: {},
	idempotencyHeader: 'Idempotency-Key',
	resetHeaders: [
		{ header: 'ratelimit-reset', format: 'relativeSeconds' },
		{ header: 'x-ratelimit-reset', format: 'relativeSeconds' },
	],
	rules: [RATE_LIMIT_IN_BODY, DATA_ERROR_IN_500, ...GRAPHQL_RULES],
};
