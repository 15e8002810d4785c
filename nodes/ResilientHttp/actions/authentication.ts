// n8n-core lets a node use only credential types its description declares, so each one is listed here.
import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

interface AuthType {
	/** n8n's credential type name, exactly as n8n-nodes-base (or the LangChain package) registers it. */
	type: string;
	label: string;
	/** Extends oAuth2Api: a 401 refreshes the token once and retries once. */
	oauth2?: boolean;
}

export const AUTH_TYPES: AuthType[] = [
	{ type: 'httpHeaderAuth', label: 'Header Auth' },
	{ type: 'httpBearerAuth', label: 'Bearer Auth' },
	{ type: 'httpQueryAuth', label: 'Query Auth' },
	{ type: 'httpBasicAuth', label: 'Basic Auth' },
	{ type: 'oAuth2Api', label: 'OAuth2 (Generic)', oauth2: true },
	{ type: 'hubspotAppToken', label: 'HubSpot App Token' },
	{ type: 'hubspotOAuth2Api', label: 'HubSpot OAuth2', oauth2: true },
	{ type: 'salesforceOAuth2Api', label: 'Salesforce OAuth2', oauth2: true },
	{ type: 'slackApi', label: 'Slack API Token' },
	{ type: 'slackOAuth2Api', label: 'Slack OAuth2', oauth2: true },
	{ type: 'stripeApi', label: 'Stripe API Key' },
	{ type: 'openAiApi', label: 'OpenAI API Key' },
	{ type: 'anthropicApi', label: 'Anthropic API Key' },
	{ type: 'pipedriveApi', label: 'Pipedrive API Token' },
	{ type: 'pipedriveOAuth2Api', label: 'Pipedrive OAuth2', oauth2: true },
	{ type: 'zendeskApi', label: 'Zendesk API Token' },
	{ type: 'zendeskOAuth2Api', label: 'Zendesk OAuth2', oauth2: true },
	{ type: 'intercomApi', label: 'Intercom API Key' },
	{ type: 'googleSheetsOAuth2Api', label: 'Google Sheets OAuth2', oauth2: true },
	{ type: 'googleOAuth2Api', label: 'Google OAuth2 (Generic)', oauth2: true },
	{ type: 'microsoftOAuth2Api', label: 'Microsoft OAuth2 (Graph)', oauth2: true },
	{ type: 'microsoftDynamicsOAuth2Api', label: 'Microsoft Dynamics / Dataverse OAuth2', oauth2: true },
];

export function isOAuth2Type(type: string): boolean {
	return AUTH_TYPES.some((a) => a.type === type && a.oauth2 === true);
}

export function isKnownAuthType(type: string): boolean {
	return type === 'none' || AUTH_TYPES.some((a) => a.type === type);
}

export const authenticationProperty: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	noDataExpression: true,
	options: [
		{ name: 'None', value: 'none' },
		...AUTH_TYPES.map((a) => ({ name: a.label, value: a.type })),
	],
	default: 'none',
	description:
		'Which n8n credential signs the request. Pick the one you already use for this platform; OAuth2 tokens are refreshed once on a 401.',
};

export const credentialDescriptions: INodeCredentialDescription[] = AUTH_TYPES.map((a) => ({
	name: a.type,
	required: true,
	displayOptions: { show: { authentication: [a.type] } },
}));
