// One OAuth2 token refresh shared by all items in flight: items that got a 401 on the same token join one refresh.
export class SharedTokenRefresher {
	/** Bumped after every successful refresh; an attempt remembers the generation it was sent with. */
	generation = 0;
	private inflight?: Promise<boolean>;

	constructor(private readonly refresh: () => Promise<void>, private readonly onError?: (e: unknown) => void) {}

	/** Refresh unless a refresh already happened since `sentWith`; resolves whether a fresh token is available. */
	async refreshSince(sentWith: number): Promise<boolean> {
		if (this.generation > sentWith) return true;
		if (!this.inflight) {
			this.inflight = this.refresh()
				.then(() => {
					this.generation++;
					return true;
				})
				.catch((e: unknown) => {
					this.onError?.(e);
					return false;
				})
				.finally(() => {
					this.inflight = undefined;
				});
		}
		return await this.inflight;
	}
}
