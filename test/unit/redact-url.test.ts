// Secrets in a URL's path and userinfo (fresh-user test r02): masked wherever a URL is shown, the URL kept readable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactText, redactUrl, urlSecrets } from '../../src';
import { routeTemplate } from '../../src/breaker/route-template';

const CASES: [string, string][] = [
	['https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage', 'https://api.telegram.org/bot123456789:[redacted]/sendMessage'],
	['https://hooks.slack.com/services/T0001/B0002/XXXXXXXXXXXXXXXXXXXXXXXX', 'https://hooks.slack.com/services/T0001/B0002/[redacted]'],
	['https://hooks.slack.com/triggers/T0001/123456789/abcdef0123456789', 'https://hooks.slack.com/triggers/T0001/123456789/[redacted]'],
	['https://discord.com/api/webhooks/123456789012345678/abcDEF_ghi-JKL123456789', 'https://discord.com/api/webhooks/123456789012345678/[redacted]'],
	['https://discordapp.com/api/v10/webhooks/123456789012345678/abcDEFghiJKL', 'https://discordapp.com/api/v10/webhooks/123456789012345678/[redacted]'],
	['https://acme.webhook.office.com/webhookb2/g1@g2/IncomingWebhook/0a1b2c3d4e5f/g3', 'https://acme.webhook.office.com/webhookb2/g1@g2/IncomingWebhook/[redacted]/g3'],
	['https://hooks.zapier.com/hooks/catch/123456/abcdef1/', 'https://hooks.zapier.com/hooks/catch/123456/[redacted]/'],
	['https://hook.eu1.make.com/abcdefghijklmnop1234567890abcdef', 'https://hook.eu1.make.com/[redacted]'],
	['https://maker.ifttt.com/trigger/door/with/key/dKx8sPq2LmNo', 'https://maker.ifttt.com/trigger/door/with/key/[redacted]'],
	['https://n8n.example.com/webhook/4f2a9c1e-1b2d-4e5f-8a9b-0c1d2e3f4a5b', 'https://n8n.example.com/webhook/[redacted]'],
	['https://alice:S3cret-pw@db.example.com/x', 'https://alice:[redacted]@db.example.com/x'],
	['https://ghp_abcdefghij1234567890@github.com/org/repo.git', 'https://[redacted]@github.com/org/repo.git'],
];

test('known secret-bearing URL forms: the secret part masked, host, ids and method kept', () => {
	for (const [url, want] of CASES) assert.equal(redactUrl(url), want, url);
});

test('the same forms inside text: a body excerpt, a reason, a relative path echoed by a server', () => {
	for (const [url, want] of CASES) assert.equal(redactText(`POST ${url} failed`), `POST ${want} failed`, url);
	assert.equal(redactText('{"url":"/botPATHTOKEN-iii999/e400?mode=e400"}'), '{"url":"/bot[redacted]/e400?mode=e400"}');
	assert.equal(redactText('"/services/T0/B0/HOOKSECRET-jjj000/ok"'), '"/services/T0/B0/[redacted]/ok"');
});

test('ordinary paths are left alone', () => {
	for (const url of [
		'https://api.hubapi.com/crm/v3/objects/contacts/123',
		'https://example.com/bottles/2024',
		'https://example.com/botnet-report-2024/x',
		'https://hooks.slack.com/services/',
		'https://api.example.com/webhooks/settings',
		'https://api.example.com/v1/tokens/validate',
	]) assert.equal(redactUrl(url), url);
});

test('the r02 URL: path token, webhook secret and query secrets all masked, the rest readable', () => {
	const url = 'http://127.0.0.1:38591/botPATHTOKEN-iii999/services/T0/B0/HOOKSECRET-jjj000/e400?access_token=QUERYPARAM-kkk111&sig=QUERYODD-lll222&mode=e400';
	assert.equal(redactUrl(url), 'http://127.0.0.1:38591/bot[redacted]/services/T0/B0/[redacted]/e400?access_token=[redacted]&sig=[redacted]&mode=e400');
	assert.deepEqual(urlSecrets(url).sort(), ['HOOKSECRET-jjj000', 'PATHTOKEN-iii999', 'QUERYODD-lll222', 'QUERYPARAM-kkk111']);
	assert.deepEqual(urlSecrets('https://api.telegram.org/bot123:AAH-secret-token-0001/send'), ['AAH-secret-token-0001']);
});

test('a breaker key never carries a path secret', () => {
	assert.equal(routeTemplate('https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage'), 'api.telegram.org/:id/sendMessage');
	assert.equal(routeTemplate('https://hooks.slack.com/services/T0001/B0002/XXXXXXXXXXXXXXXXXXXXXXXX'), 'hooks.slack.com/services/T0001/B0002/:id');
});
