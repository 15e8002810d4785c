// Secrets a URL carries outside its query: passwords and tokens in the userinfo, tokens in the path (Telegram bots,
// Slack/Discord/Teams/Zapier/Make webhooks). Masked in place so the URL stays readable: …/services/T01/B02/[redacted].
import { REDACTED, isSecretName, looksLikeToken, type SecretNames } from './names';

const END = String.raw`(?=[/?#"'\s\\<>),;]|$)`;
const SEG = String.raw`[^/?#"'\s\\<>),;]`;
// A short key (IFTTT, a path /key/abc12345) still reads as a credential with a digit or mixed case.
const keyLike = (v: string) => v.length >= 8 && (/\d/.test(v) || (/[a-z]/.test(v) && /[A-Z]/.test(v)));

interface PathRule {
	re: RegExp;
	/** The part of the matched segment that is the secret, or undefined to leave this match alone. */
	secret: (segment: string) => string | undefined;
}

const whole = (s: string): string => s;
const PATH_RULES: PathRule[] = [
	// Telegram: /bot<id>:<token>/method (the bot id stays; the part after the colon is the credential)
	{ re: new RegExp(String.raw`(/bot)([0-9A-Z][A-Za-z0-9_:-]{7,})${END}`, 'g'), secret: (s) => (!/\d/.test(s) ? undefined : /^\d+:./.test(s) ? s.slice(s.indexOf(':') + 1) : s) },
	// Slack incoming webhooks and workflow triggers: /services/T…/B…/<secret>
	{ re: new RegExp(String.raw`(/(?:services|triggers)/T[A-Z0-9]{1,20}/[A-Z0-9]{1,24}/)(${SEG}{4,})${END}`, 'g'), secret: whole },
	// Discord: /api/webhooks/<id>/<token>
	{ re: new RegExp(String.raw`(/api(?:/v\d+)?/webhooks/\d{5,}/)(${SEG}{8,})${END}`, 'g'), secret: whole },
	// Microsoft Teams: …/IncomingWebhook/<secret>/…
	{ re: new RegExp(String.raw`(/IncomingWebhook/)(${SEG}{8,})${END}`, 'g'), secret: whole },
	// Zapier: /hooks/catch/<account>/<hook>
	{ re: new RegExp(String.raw`(/hooks/(?:catch|standard)/\d+/)(${SEG}{4,})${END}`, 'g'), secret: whole },
	// Make (Integromat): https://hook.<region>.make.com/<secret>, and any host named hook(s)./webhook(s).
	{ re: new RegExp(String.raw`(//(?:web)?hooks?\.[^/\s"'\\]+/)(${SEG}{8,})${END}`, 'gi'), secret: (s) => (keyLike(s) ? s : undefined) },
	// A token-looking segment after /webhook/, /hooks/ …, and any key-like value after a /key/, /token/, /secret/ segment
	{ re: new RegExp(String.raw`(/(?:web)?hooks?/)(${SEG}{12,})${END}`, 'gi'), secret: (s) => (looksLikeToken(s) ? s : undefined) },
	{ re: new RegExp(String.raw`(/(?:key|token|secret|apikey|api[-_]key|access[-_]token|password)/)(${SEG}{8,})${END}`, 'gi'), secret: (s) => (keyLike(s) ? s : undefined) },
];

/** Masks secret path segments in any text (a URL, a relative path, a body that echoes one); `found` gets each secret. */
export function maskPathSecrets(text: string, found?: (secret: string) => void): string {
	if (!text.includes('/')) return text;
	let out = text;
	for (const rule of PATH_RULES) {
		out = out.replace(rule.re, (m, lead: string, segment: string) => {
			const secret = segment.includes(REDACTED) ? undefined : rule.secret(segment);
			if (secret === undefined) return m;
			found?.(secret);
			return `${lead}${segment.slice(0, segment.length - secret.length)}${REDACTED}`;
		});
	}
	return out;
}

/** user:password@ and a token used as the user (https://ghp_…@github.com) inside any text, valid URL or not. */
export function maskUserinfo(text: string): string {
	return text
		.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@"'\\]*:)(?!\[redacted\])[^\s@/"'\\]+@/gi, `$1${REDACTED}@`)
		.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)([^\s/:@"'\\]+)@/gi, (m, scheme: string, user: string) => (looksLikeToken(user) ? `${scheme}${REDACTED}@` : m));
}

// Query parameters that carry a credential even though their name does not say so.
const SECRET_QUERY = /^(hapikey|access_token|refresh_token|code|sig|signature|key)$/i;

/** An absolute URL with its secrets masked, or undefined when the text is not one. */
export function redactAbsoluteUrl(url: string, names?: SecretNames): string | undefined {
	let u: URL;
	try {
		u = new URL(url);
	} catch {
		return undefined;
	}
	if (u.password) u.password = REDACTED;
	else if (u.username && looksLikeToken(decodeURIComponent(u.username))) u.username = REDACTED;
	for (const name of [...u.searchParams.keys()]) {
		if (isSecretName(name, names) || SECRET_QUERY.test(name)) u.searchParams.set(name, REDACTED);
	}
	return maskPathSecrets(u.toString().replace(/%5Bredacted%5D/g, REDACTED));
}

/** The literal secrets a URL carries (password, token user, secret query values, path tokens), for scrubbing echoes. */
export function urlSecrets(url: string, names?: SecretNames): string[] {
	const found: string[] = [];
	let u: URL;
	try {
		u = new URL(url, 'http://relative.invalid');
	} catch {
		return found;
	}
	const dec = (s: string) => {
		try {
			return decodeURIComponent(s);
		} catch {
			return s;
		}
	};
	if (u.password) found.push(u.password, dec(u.password));
	if (u.username && looksLikeToken(dec(u.username))) found.push(u.username, dec(u.username));
	for (const [name, value] of u.searchParams) if (isSecretName(name, names) || SECRET_QUERY.test(name)) found.push(value);
	maskPathSecrets(u.pathname, (s) => found.push(s, dec(s)));
	return [...new Set(found)];
}
