// Write's "Also Mask" options: what the user knows is secret and the Sink cannot recognise on its own.
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ConfigError } from '../../shared/configError';
import type { AlsoMask } from '../../shared/inputSecrets';
import { param } from './common';

export const maskNotice =
	'Secrets are masked before anything is stored: secret-named fields and headers, bearer/basic values, cookies, secret query parameters and URL path tokens (Telegram, Slack, Discord …). An HTTP Request error wired straight in also gives away the headers, URL and body it sent, so their secret values are scrubbed wherever the server echoed them. The Sink cannot know a credential that appears nowhere in the item in a recognisable form: name such fields or give such values under Options → Also Mask.';

export const maskOptions: INodeProperties[] = [
	{
		displayName: 'Also Mask Fields',
		name: 'maskFields',
		type: 'string',
		default: '',
		placeholder: 'X-Client, customer.ssn',
		description:
			'Comma-separated field or header names that are secret wherever they appear (item, headers, header dumps, JSON in text), or dotted item paths (customer.ssn). Masked item fields are listed in deadLetter.redactedFields, so a replay can restore them.',
	},
	{
		displayName: 'Also Mask Values',
		name: 'maskValues',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add value',
		default: {},
		description:
			'Literal secrets removed wherever they appear, e.g. {{ $env.CRM_API_KEY }} or a token an earlier node fetched. n8n gives no node the credentials of another, so this is how a credential that only appears bare ("invalid key abc123") is masked.',
		options: [
			{
				name: 'values',
				displayName: 'Value',
				values: [{ displayName: 'Value', name: 'value', type: 'string', typeOptions: { password: true }, default: '' }],
			},
		],
	},
];

/** The item's Also Mask options. */
export function alsoMask(ctx: IExecuteFunctions, i: number): AlsoMask {
	const o = param<IDataObject>(ctx, 'writeOptions', i, {});
	const fields = o.maskFields;
	if (fields !== undefined && fields !== null && typeof fields === 'object') throw new ConfigError('writeOptions.maskFields', 'Must be text: names or paths separated by commas');
	const rows = ((o.maskValues as IDataObject | undefined)?.values ?? []) as IDataObject[];
	const values = rows
		.flatMap((r) => (Array.isArray(r.value) ? (r.value as unknown[]) : [r.value]))
		.map((v) => (typeof v === 'number' ? String(v) : v))
		.filter((v): v is string => typeof v === 'string' && v.trim() !== '');
	return { fields: fields === undefined || fields === null ? '' : String(fields), values };
}
