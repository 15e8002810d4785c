// The mock's record of side effects: what a real CRM, enrichment vendor and sequencer would now hold, and how often.

export class Ledger {
	constructor() {
		this.reset();
	}

	reset() {
		this.startedAt = new Date().toISOString();
		this.routes = {};
		this.faults = { outage: 0, 'rate-limit': 0, 'reset-before': 0, 'reset-after': 0, slow: 0 };
		this.leads = new Map(); // email → per-lead side effects
		this.contactsById = new Map();
		this.enrollments = new Map(); // `${prospectId}|${sequenceId}` → enrollment ids
		this.nextContactId = 51000000001;
		this.nextEnrollmentId = 900001;
	}

	lead(email) {
		const key = String(email).toLowerCase();
		let l = this.leads.get(key);
		if (!l) {
			l = { email: key, leadId: null, enrichments: 0, contactIds: [], contactCreates: 0, contactUpdates: 0, enrollmentIds: [] };
			this.leads.set(key, l);
		}
		return l;
	}

	/** Counts one request on a route by what it ended as (an HTTP status or a dropped connection), and whether it was signed. */
	request(route, ending, repeat, signed = false) {
		const r = (this.routes[route] ??= { total: 0, repeats: 0, signed: 0, endings: {}, firstAt: new Date().toISOString(), lastAt: null });
		r.total += 1;
		r.lastAt = new Date().toISOString();
		if (repeat) r.repeats += 1;
		if (signed) r.signed += 1;
		r.endings[ending] = (r.endings[ending] ?? 0) + 1;
	}

	fault(kind) {
		this.faults[kind] = (this.faults[kind] ?? 0) + 1;
	}

	enrichment(email) {
		this.lead(email).enrichments += 1;
	}

	/** Upsert by email (idempotent): creates the contact once, updates it afterwards. */
	upsertContact(email, properties) {
		const l = this.lead(email);
		if (properties.lead_id) l.leadId = properties.lead_id;
		if (l.contactIds.length > 0) {
			l.contactUpdates += 1;
			const c = this.contactsById.get(l.contactIds[0]);
			Object.assign(c.properties, properties);
			return { contact: c, isNew: false };
		}
		return { contact: this.createContact(email, properties), isNew: true };
	}

	/** A plain create: a second call for the same email makes a second record (callers decide whether to refuse). */
	createContact(email, properties) {
		const l = this.lead(email);
		if (properties.lead_id) l.leadId = properties.lead_id;
		const id = String(this.nextContactId++);
		const now = new Date().toISOString();
		const c = { id, email: l.email, properties: { ...properties }, createdAt: now, updatedAt: now };
		this.contactsById.set(id, c);
		l.contactIds.push(id);
		l.contactCreates += 1;
		return c;
	}

	contactByEmail(email) {
		const l = this.leads.get(String(email).toLowerCase());
		return l && l.contactIds.length ? this.contactsById.get(l.contactIds[0]) : undefined;
	}

	/** Not idempotent, like the sequencer: every call enrolls again. */
	enroll(prospectId, sequenceId) {
		const c = this.contactsById.get(String(prospectId));
		const id = String(this.nextEnrollmentId++);
		const key = `${prospectId}|${sequenceId}`;
		const list = this.enrollments.get(key) ?? [];
		list.push(id);
		this.enrollments.set(key, list);
		if (c) this.lead(c.email).enrollmentIds.push(id);
		return id;
	}

	/** The enrollments of a prospect (and sequence), oldest first: what a lookup before re-enrolling finds. */
	enrollmentsOf(prospectId, sequenceId) {
		const out = [];
		for (const [key, ids] of this.enrollments) {
			const [p, seq] = key.split('|');
			if ((prospectId === undefined || p === String(prospectId)) && (sequenceId === undefined || seq === String(sequenceId))) {
				for (const id of ids) out.push({ id, prospectId: p, sequenceId: seq });
			}
		}
		return out;
	}

	duplicates() {
		const out = [];
		for (const l of this.leads.values()) {
			if (l.contactCreates > 1) out.push({ kind: 'contact', email: l.email, leadId: l.leadId, count: l.contactCreates });
		}
		for (const [key, ids] of this.enrollments) {
			if (ids.length < 2) continue;
			const [prospectId, sequenceId] = key.split('|');
			const c = this.contactsById.get(prospectId);
			out.push({ kind: 'enrollment', email: c?.email ?? null, leadId: c?.properties.lead_id ?? null, prospectId, sequenceId, count: ids.length });
		}
		return out;
	}

	toJSON(extra = {}) {
		const leads = {};
		const totals = { requests: 0, repeats: 0, enrichments: 0, contactsCreated: 0, contactsUpdated: 0, enrollments: 0 };
		for (const r of Object.values(this.routes)) (totals.requests += r.total), (totals.repeats += r.repeats);
		for (const l of this.leads.values()) {
			leads[l.email] = {
				leadId: l.leadId,
				enrichments: l.enrichments,
				contactCreates: l.contactCreates,
				contactUpdates: l.contactUpdates,
				enrollments: l.enrollmentIds.length,
			};
			totals.enrichments += l.enrichments;
			totals.contactsCreated += l.contactCreates;
			totals.contactsUpdated += l.contactUpdates;
		}
		for (const ids of this.enrollments.values()) totals.enrollments += ids.length;
		const duplicates = this.duplicates();
		return { startedAt: this.startedAt, totals: { ...totals, duplicates: duplicates.length }, routes: this.routes, faults: this.faults, duplicates, leads, ...extra };
	}
}
