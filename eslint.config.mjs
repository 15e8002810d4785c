// n8n's own community-node lint rules, without the n8n Cloud rules: our Redis and PostgreSQL
// clients make the package unverifiable for Cloud by design (see README, "Where it runs").
import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';

export default [
	...configWithoutCloudSupport,
	{
		files: ['nodes/*/actions/versionDescription.ts'],
		rules: {
			// n8n's own v2 nodes keep the description in actions/versionDescription.ts; the rule only knows *.node.ts.
			'n8n-nodes-base/node-filename-against-convention': 'off',
			// The subtitle sits in the node class next to icon and credentials, where the community-nodes rule requires it.
			'n8n-nodes-base/node-class-description-missing-subtitle': 'off',
		},
	},
	{
		files: ['nodes/shared/genericOAuth2.ts'],
		rules: {
			// n8n signs the generic oAuth2Api type only through requestOAuth2, whose options type is IRequestOptions.
			'@n8n/community-nodes/no-deprecated-workflow-functions': 'off',
		},
	},
	{
		files: ['src/**/*.ts'],
		rules: {
			// src/ is the engine and must not import n8n, so it cannot throw NodeApiError; nodes/shared maps its errors.
			'@n8n/community-nodes/require-node-api-error': 'off',
		},
	},
];
