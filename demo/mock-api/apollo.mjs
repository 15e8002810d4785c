// Apollo-like people enrichment (POST /api/v1/people/match). Headers per shared/platform-facts.md §2.5.

const LOOSE_EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export function rateHeaders(ctx) {
	const perMinute = 1000;
	const left = Math.floor(perMinute * ctx.remainingRatio);
	return {
		'x-rate-limit-minute': String(perMinute),
		'x-minute-requests-left': String(left),
		'x-minute-usage': String(perMinute - left),
		'x-rate-limit-hourly': '60000',
		'x-hourly-requests-left': String(Math.max(0, 60000 - ctx.routeCount)),
		'x-hourly-usage': String(Math.min(60000, ctx.routeCount)),
	};
}

export function rateLimited(ctx) {
	return {
		status: 429,
		headers: { ...rateHeaders(ctx), 'retry-after': String(ctx.retryAfterS) },
		body: {
			message: 'The maximum number of api calls allowed for api/v1/people/match is 1000 times per minute. Please upgrade your plan from https://app.apollo.io/#/settings/plans/upgrade.',
		},
	};
}

export function outage(ctx) {
	return { status: ctx.window.status ?? 503, headers: { 'content-type': 'application/json' }, body: { error: 'Service temporarily unavailable' } };
}

function match(ctx, body) {
	const email = body?.email;
	if (typeof email !== 'string' || email.trim() === '') {
		return { status: 422, headers: rateHeaders(ctx), body: { error: 'Please provide an email, or a name together with a domain or organization name', error_code: 'INVALID_PARAMETERS' } };
	}
	if (!LOOSE_EMAIL.test(email)) {
		return { status: 422, headers: rateHeaders(ctx), body: { error: `The email "${email}" is not a valid email address`, error_code: 'INVALID_PARAMETERS' } };
	}
	ctx.ledger.enrichment(email);
	const domain = email.split('@')[1].toLowerCase();
	const org = domain.split('.')[0];
	const n = ctx.seq;
	return {
		status: 200,
		headers: rateHeaders(ctx),
		body: {
			person: {
				id: `64a${String(n).padStart(21, '0')}`,
				first_name: body.first_name ?? null,
				last_name: body.last_name ?? null,
				name: [body.first_name, body.last_name].filter(Boolean).join(' ') || null,
				email: email.toLowerCase(),
				email_status: 'verified',
				title: ['VP Sales', 'Director of Revenue Operations', 'Head of Growth', 'Sales Manager'][n % 4],
				seniority: ['vp', 'director', 'head', 'manager'][n % 4],
				departments: ['sales'],
				linkedin_url: null,
				organization: {
					id: `5f2${String(org.length * 7919 + org.charCodeAt(0)).padStart(21, '0')}`,
					name: body.organization_name || org,
					primary_domain: domain,
					estimated_num_employees: 50 + (org.length * 37) % 950,
					industry: 'computer software',
				},
			},
		},
	};
}

export const routes = [
	{ method: 'POST', path: '/api/v1/people/match', route: 'enrich', key: (b) => String(b?.email ?? '').toLowerCase(), handle: match, vendor: 'apollo' },
];
