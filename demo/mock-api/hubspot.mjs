// HubSpot-like contacts API: batch upsert by email (idempotent) and a plain create that answers 409 on a known email.
// Bodies and headers follow shared/platform-facts.md §2.1.

const PORTAL = 6748263;
const STRICT_EMAIL = /^[A-Za-z0-9_%+-]+(\.[A-Za-z0-9_%+-]+)*@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

function correlationId(ctx) {
	return `c0ffee00-${String(ctx.seq).padStart(4, '0')}-4000-8000-${String(ctx.seed).padStart(12, '0')}`;
}

export function rateHeaders(ctx) {
	const max = 190;
	return {
		'x-hubspot-ratelimit-daily': '250000',
		'x-hubspot-ratelimit-daily-remaining': String(Math.max(0, 250000 - ctx.routeCount)),
		'x-hubspot-ratelimit-interval-milliseconds': '10000',
		'x-hubspot-ratelimit-max': String(max),
		'x-hubspot-ratelimit-remaining': String(Math.floor(max * ctx.remainingRatio)),
		'x-hubspot-correlation-id': correlationId(ctx),
	};
}

export function rateLimited(ctx) {
	return {
		status: 429,
		headers: { ...rateHeaders(ctx), 'retry-after': String(ctx.retryAfterS) },
		body: {
			status: 'error',
			message: 'You have reached your ten_secondly_rolling limit.',
			errorType: 'RATE_LIMIT',
			correlationId: correlationId(ctx),
			policyName: 'TEN_SECONDLY_ROLLING',
			groupName: `publicapi:private_app-api-calls-ten-secondly:${PORTAL}:1234567`,
		},
	};
}

export function outage(ctx) {
	// What a load balancer in front of the CRM answers during an incident: HTML, not JSON.
	return {
		status: ctx.window.status ?? 503,
		headers: { 'content-type': 'text/html; charset=utf-8' },
		body: '<html><head><title>503 Service Temporarily Unavailable</title></head><body><h1>Service Temporarily Unavailable</h1><p>The server is temporarily unable to service your request. Please try again later.</p></body></html>',
	};
}

function invalidEmail(ctx, email) {
	const detail = [{ isValid: false, message: `Email address ${email} is invalid`, error: 'INVALID_EMAIL', name: 'email', localizedErrorMessage: `Email address ${email} is invalid` }];
	return {
		status: 400,
		headers: rateHeaders(ctx),
		body: { status: 'error', message: `Property values were not valid: ${JSON.stringify(detail)}`, correlationId: correlationId(ctx), category: 'VALIDATION_ERROR' },
	};
}

function badInput(ctx, message) {
	return { status: 400, headers: rateHeaders(ctx), body: { status: 'error', message, correlationId: correlationId(ctx), category: 'VALIDATION_ERROR' } };
}

function view(c, isNew) {
	const out = { id: c.id, properties: { ...c.properties, hs_object_id: c.id }, createdAt: c.createdAt, updatedAt: new Date().toISOString(), archived: false };
	if (isNew !== undefined) out.new = isNew;
	return out;
}

function batchUpsert(ctx, body) {
	const inputs = body?.inputs;
	if (!Array.isArray(inputs) || inputs.length === 0) return badInput(ctx, 'Invalid input JSON: "inputs" must be a non-empty array');
	if (inputs.length > 100) return badInput(ctx, 'Batch size cannot exceed 100 inputs');
	for (const input of inputs) {
		if (input?.idProperty !== 'email') return badInput(ctx, 'idProperty must be a unique-value property such as email');
		if (typeof input.id !== 'string' || !STRICT_EMAIL.test(input.id)) return invalidEmail(ctx, input?.id ?? '');
	}
	const startedAt = new Date().toISOString();
	// HubSpot validates the whole batch first, then writes every record.
	const results = inputs.map((input) => {
		const { contact, isNew } = ctx.ledger.upsertContact(input.id, { ...(input.properties ?? {}), email: input.id.toLowerCase() });
		return view(contact, isNew);
	});
	return { status: 200, headers: rateHeaders(ctx), body: { status: 'COMPLETE', results, startedAt, completedAt: new Date().toISOString() } };
}

function createOne(ctx, body) {
	const email = body?.properties?.email;
	if (typeof email !== 'string' || !STRICT_EMAIL.test(email)) return invalidEmail(ctx, email ?? '');
	const existing = ctx.ledger.contactByEmail(email);
	if (existing) {
		return {
			status: 409,
			headers: rateHeaders(ctx),
			body: { status: 'error', message: `Contact already exists. Existing ID: ${existing.id}`, correlationId: correlationId(ctx), category: 'CONFLICT' },
		};
	}
	const c = ctx.ledger.createContact(email, { ...body.properties, email: email.toLowerCase() });
	return { status: 201, headers: rateHeaders(ctx), body: view(c) };
}

const firstEmail = (body) => String(body?.inputs?.[0]?.id ?? body?.properties?.email ?? '').toLowerCase();

export const routes = [
	{ method: 'POST', path: '/crm/v3/objects/contacts/batch/upsert', route: 'crm', key: firstEmail, handle: batchUpsert, vendor: 'hubspot' },
	{ method: 'POST', path: '/crm/v3/objects/contacts', route: 'crm', key: firstEmail, handle: createOne, vendor: 'hubspot' },
];
