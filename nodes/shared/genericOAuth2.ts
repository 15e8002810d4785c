// n8n-core applies OAuth2 in httpRequestWithAuthentication only for types that extend oAuth2Api; the generic
// oAuth2Api type itself is signed only by requestOAuth2, whose options use the older request-library shape.
import type { IExecuteFunctions, IHttpRequestMethods, IRequestOptions } from 'n8n-workflow';

import type { RequestSpec } from './params';

export const GENERIC_OAUTH2 = 'oAuth2Api';

export interface SendSpec extends RequestSpec {
	timeoutMs: number;
}

export function toLegacyOptions(spec: SendSpec): IRequestOptions {
	const options: IRequestOptions = {
		method: spec.method as IHttpRequestMethods,
		uri: spec.url,
		headers: { ...spec.headers },
		resolveWithFullResponse: true,
		simple: false,
		json: false,
		timeout: spec.timeoutMs,
	};
	if (Object.keys(spec.qs).length) {
		options.qs = { ...spec.qs };
		options.qsStringifyOptions = { arrayFormat: 'repeat' };
	}
	if (spec.body !== undefined && !['GET', 'HEAD'].includes(spec.method)) options.body = spec.body;
	return options;
}

/** tokenExpiredStatusCode -1: n8n returns the 401 instead of refreshing, so the engine refreshes once and retries once. */
export async function sendGenericOAuth2(ctx: IExecuteFunctions, spec: SendSpec): Promise<unknown> {
	return await ctx.helpers.requestOAuth2.call(ctx, GENERIC_OAUTH2, toLegacyOptions(spec), { tokenExpiredStatusCode: -1 });
}
