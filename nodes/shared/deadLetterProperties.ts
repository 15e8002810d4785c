// Where dead letters live, for the Dead Letter Sink and Trigger: the same parameter names in both, so a pair agrees.
import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

import { STATIC_DATA_LIMITS } from '../../src/deadletter';

const L = STATIC_DATA_LIMITS;

/** The Sink's and the Trigger's credentials: the one their Backend parameter picks, each with its Test button. */
export const DEAD_LETTER_CREDENTIALS: INodeCredentialDescription[] = [
	{ name: 'resilienceRedisApi', required: true, testedBy: 'resilienceRedisConnectionTest', displayOptions: { show: { backend: ['redis'] } } },
	{ name: 'resiliencePostgresApi', required: true, testedBy: 'resiliencePostgresConnectionTest', displayOptions: { show: { backend: ['postgres'] } } },
];

export const DEAD_LETTER_STATIC_DATA_NOTICE =
	`Workflow static data keeps at most ${L.maxEntries} dead letters (${L.maxPerQueue} per queue, ${L.maxEntryBytes / 1024} KB each) inside this workflow: only this workflow's nodes see them. ` +
	'n8n saves static data only after production runs (trigger, schedule, webhook, CLI), not after manual test runs, and two executions of this workflow at the same time can overwrite each other\'s. ' +
	'A full queue refuses new entries visibly. Use Redis or PostgreSQL for anything that matters.';

export const DEAD_LETTER_BACKEND_OPTIONS = [
	{ name: 'Workflow Static Data', value: 'staticData', description: `Nothing to install; this workflow only, at most ${L.maxEntries} entries` },
	{ name: 'Redis', value: 'redis', description: 'Shared by every workflow and worker; 10,000 per queue by default' },
	{ name: 'PostgreSQL', value: 'postgres', description: 'A dead_letter_queue table you can query with SQL; 100,000 per queue by default' },
];

const backend: INodeProperties = {
	displayName: 'Backend',
	name: 'backend',
	type: 'options',
	noDataExpression: true,
	options: DEAD_LETTER_BACKEND_OPTIONS,
	default: 'staticData',
	description: 'Where dead letters are kept: the node that writes them and the nodes that read them must use the same backend and credential',
};

/** Backend, its notice and (for the Sink) what to do when Redis/PostgreSQL cannot be reached. */
export function deadLetterStoreProperties(o: { unreachable: boolean; staticData: boolean }): INodeProperties[] {
	const withoutStaticData: INodeProperties = { ...backend, options: DEAD_LETTER_BACKEND_OPTIONS.filter((b) => b.value !== 'staticData'), default: 'postgres' };
	const props: INodeProperties[] = [o.staticData ? backend : withoutStaticData];
	if (o.staticData) {
		props.push({
			displayName: DEAD_LETTER_STATIC_DATA_NOTICE,
			name: 'staticDataNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { backend: ['staticData'] } },
		});
	}
	if (o.unreachable) {
		props.push({
			displayName: 'On Store Unreachable',
			name: 'onStoreUnreachable',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Fail the Items With a Clear Error', value: 'fail' },
				{
					name: 'Park in Workflow Static Data and Warn',
					value: 'fallback',
					description: 'Writes only: entries wait in this workflow\'s static data and move to the store on a later run once it answers',
				},
			],
			default: 'fail',
			description: 'What happens when Redis or PostgreSQL cannot be reached; a parked write shows as fellBack in deadLetter.store',
			displayOptions: { show: { backend: ['redis', 'postgres'] } },
		});
	}
	return props;
}
