// Slack Web API. Source: platform-facts.md §2.11 (ok:false inside 200, ratelimited, internal_error may have applied) and §5.11.
import type { Preset } from '../types';

const PERMANENT_ERRORS = ['invalid_auth', 'not_authed', 'token_revoked', 'account_inactive', 'missing_scope', 'channel_not_found', 'not_in_channel', 'is_archived', 'invalid_blocks', 'msg_too_long', 'invalid_grant'];

export const slack: Preset = {
	name: 'slack',
	title: 'Slack',
	source: 'platform-facts.md §2.11, §5.11; slackapi/python-slack-sdk http_retry builtin_handlers.py',
	policy: { maxAttempts: 4, baseDelayMs: 1000, maxServerWaitMs: 60_000 },
	recordHeaders: ['x-slack-req-id'],
	rules: [
		{ id: 'slack.ratelimited', description: 'rate limit (ratelimited)', match: { jsonPath: 'error', equals: 'ratelimited' }, class: 'transient', notProcessed: true, breakerFailure: false },
		{
			id: 'slack.internal-error',
			description: 'Slack internal error; part of the operation may have succeeded',
			match: { jsonPath: 'error', equals: 'internal_error' },
			class: 'transient',
			breakerFailure: true,
		},
		{
			id: 'slack.service-error',
			description: 'Slack service error',
			match: { jsonPath: 'error', in: ['fatal_error', 'service_unavailable', 'request_timeout'] },
			class: 'transient',
			breakerFailure: true,
		},
		{ id: 'slack.token-expired', description: 'token expired (token rotation)', match: { jsonPath: 'error', equals: 'token_expired' }, class: 'refresh-auth' },
		{ id: 'slack.auth-or-data', description: 'Slack refused the call', match: { jsonPath: 'error', in: PERMANENT_ERRORS }, class: 'permanent' },
		{ id: 'slack.not-ok', description: 'HTTP 200 but the call failed (ok: false)', match: { status: '2xx', jsonPath: 'ok', equals: false }, class: 'permanent' },
	],
};
