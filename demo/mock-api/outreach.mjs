// Outreach-like sequence enrollment (POST /api/v2/sequenceStates, JSON:API; not idempotent: a repeat enrolls again) and
// its lookup (GET /api/v2/sequenceStates with filter[prospect][id] and filter[sequence][id]).
// The mock's simplification: prospects mirror CRM contacts, so the prospect id is the CRM contact id.

export function rateHeaders(ctx) {
	const limit = 10000;
	return {
		'content-type': 'application/vnd.api+json',
		'x-ratelimit-limit': String(limit),
		'x-ratelimit-remaining': String(Math.floor(Math.max(0, limit - ctx.routeCount) * ctx.remainingRatio)),
		'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + (ctx.retryAfterS ?? 3600)),
	};
}

const jsonApiError = (ctx, status, id, title, detail, pointer) => ({
	status,
	headers: rateHeaders(ctx),
	body: { errors: [{ id, title, detail, ...(pointer ? { source: { pointer } } : {}) }] },
});

export function rateLimited(ctx) {
	const r = jsonApiError(ctx, 429, 'rateLimitExceeded', 'Rate Limit Exceeded', 'You have exceeded your permitted rate limit of 10,000; please try again later.');
	r.headers['x-ratelimit-remaining'] = '0';
	r.headers['retry-after'] = String(ctx.retryAfterS);
	return r;
}

export function outage(ctx) {
	// Answered by the load balancer, so no rate-limit headers.
	const body = { errors: [{ id: 'serviceUnavailable', title: 'Service Unavailable', detail: 'The service is temporarily unavailable.' }] };
	return { status: ctx.window.status ?? 503, headers: { 'content-type': 'application/vnd.api+json' }, body };
}

function enroll(ctx, body) {
	const data = body?.data;
	if (data?.type !== 'sequenceState') return jsonApiError(ctx, 422, 'validationError', 'Validation Error', 'Type must be sequenceState.', '/data/type');
	const prospectId = data.relationships?.prospect?.data?.id;
	const sequenceId = data.relationships?.sequence?.data?.id;
	const mailboxId = data.relationships?.mailbox?.data?.id;
	if (sequenceId === undefined || sequenceId === null || sequenceId === '') {
		return jsonApiError(ctx, 422, 'validationError', 'Validation Error', "Sequence can't be blank.", '/data/relationships/sequence');
	}
	const contact = prospectId === undefined || prospectId === null ? undefined : ctx.ledger.contactsById.get(String(prospectId));
	if (!contact) return jsonApiError(ctx, 422, 'validationError', 'Validation Error', "Prospect can't be blank.", '/data/relationships/prospect');
	const domain = contact.email.split('@')[1];
	if ((ctx.config.excludedDomains ?? []).includes(domain)) {
		return jsonApiError(ctx, 422, 'validationError', 'Validation Error', 'Contacts contact is using an excluded email address.', '/data');
	}
	const id = ctx.ledger.enroll(String(prospectId), String(sequenceId));
	const now = new Date().toISOString();
	return {
		status: 201,
		headers: rateHeaders(ctx),
		body: {
			data: {
				type: 'sequenceState',
				id: Number(id),
				attributes: { state: 'active', createdAt: now, updatedAt: now, activeAt: now, errorReason: null },
				relationships: {
					prospect: { data: { type: 'prospect', id: Number(prospectId) } },
					sequence: { data: { type: 'sequence', id: Number(sequenceId) } },
					...(mailboxId !== undefined ? { mailbox: { data: { type: 'mailbox', id: Number(mailboxId) } } } : {}),
				},
			},
		},
	};
}

/** GET /api/v2/sequenceStates?filter[prospect][id]=…&filter[sequence][id]=…: what a careful replay asks before enrolling again. */
function lookup(ctx) {
	const filter = (name) => ctx.query?.get(`filter[${name}][id]`) ?? undefined;
	for (const name of ['prospect', 'sequence']) {
		const v = filter(name);
		if (v !== undefined && !/^\d+$/.test(v)) return jsonApiError(ctx, 400, 'invalidFilter', 'Invalid Filter', `filter[${name}][id] must be a number, got "${v}".`);
	}
	const found = ctx.ledger.enrollmentsOf(filter('prospect'), filter('sequence'));
	const data = found.map((e) => ({
		type: 'sequenceState',
		id: Number(e.id),
		attributes: { state: 'active', errorReason: null },
		relationships: { prospect: { data: { type: 'prospect', id: Number(e.prospectId) } }, sequence: { data: { type: 'sequence', id: Number(e.sequenceId) } } },
	}));
	return { status: 200, headers: rateHeaders(ctx), body: { data, meta: { count: data.length } } };
}

// Faults pick leads by email (the prospect's CRM contact), so which enrollments meet a reset does not depend on ids.
const prospectKey = (b, ledger) => {
	const id = String(b?.data?.relationships?.prospect?.data?.id ?? '');
	return ledger?.contactsById.get(id)?.email ?? id;
};
const lookupKey = (_b, ledger, query) => {
	const id = String(query?.get('filter[prospect][id]') ?? '');
	return ledger?.contactsById.get(id)?.email ?? id;
};

// The lookup is its own route ("lookup"): its calls are counted apart from enrollments, and enrollment faults do not hit it.
export const routes = [
	{ method: 'POST', path: '/api/v2/sequenceStates', route: 'enroll', key: prospectKey, handle: enroll, vendor: 'outreach' },
	{ method: 'GET', path: '/api/v2/sequenceStates', route: 'lookup', key: lookupKey, handle: lookup, vendor: 'outreach' },
];
