// The node's description: what n8n's editor shows and what n8n-core checks credentials against.
import { NodeConnectionTypes, type INodeTypeDescription } from 'n8n-workflow';

import { authenticationProperty } from './authentication';
import { breakerProperties } from './breaker.properties';
import { deadLetterProperties } from './deadLetter.properties';
import { guardProperties } from './guard.properties';
import { lookupProperties } from './lookup.properties';
import { limiterProperties } from './limiter.properties';
import { optionsProperty } from './options.properties';
import { presetProperties } from './preset.properties';
import { requestProperties } from './request.properties';

/** Everything but icon, subtitle, usableAsTool and credentials, which the node class states itself (n8n's lint reads them there). */
export const versionDescription: Omit<INodeTypeDescription, 'icon' | 'subtitle' | 'usableAsTool' | 'credentials'> = {
	displayName: 'Resilient HTTP',
	name: 'resilientHttp',
	group: ['output'],
	version: 1,
	description:
		'HTTP requests that survive flaky APIs: classified retries, paced under each platform\'s rate limit (shared through Redis), Retry-After, deferral, idempotency keys and an optional idempotency ledger; a 409 naming the existing record goes to Success as resolved (existingId) when our own retry caused it or Treat Conflict as Resolved is on, else to Failed with extract.existingId; every item ends on Success or Failed',
	defaults: { name: 'Resilient HTTP' },
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
	outputNames: ['Success', 'Failed'],
	properties: [...presetProperties(), authenticationProperty, ...requestProperties, ...breakerProperties, ...guardProperties, ...lookupProperties, ...limiterProperties(), ...deadLetterProperties, optionsProperty],
};
