import type Redis from 'ioredis';

/** Deletes only this test's keys (the Redis is shared with other suites: never FLUSHDB). */
export async function deleteKeys(client: Redis, pattern: string): Promise<number> {
	let cursor = '0';
	let n = 0;
	do {
		const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
		cursor = next;
		if (keys.length) n += await client.del(...keys);
	} while (cursor !== '0');
	return n;
}
