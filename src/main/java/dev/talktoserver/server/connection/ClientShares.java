package dev.talktoserver.server.connection;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many connections each client holds, against {@code talk.max-connections-per-client}, so that one
 * client cannot take the connections that {@code talk.max-connections} keeps for all. A client is its
 * principal where the handshake has one, else its address. A share is taken at the handshake, before
 * the upgrade, so that concurrent handshakes of one client cannot pass it together; it goes with the
 * session, or back at once when the handshake fails after all.
 */
final class ClientShares {

	private final int share;

	private final Map<String, Integer> held = new ConcurrentHashMap<>();

	/** Clients turned away since they last held less than their share: each is logged once per episode. */
	private final Set<String> refused = ConcurrentHashMap.newKeySet();

	ClientShares(int share) {
		this.share = share;
	}

	int share() {
		return this.share;
	}

	/** Takes one more connection for {@code client}; false when it holds its share already. */
	boolean take(String client) {
		boolean[] taken = new boolean[1];
		this.held.compute(client, (key, count) -> {
			int now = (count != null) ? count : 0;
			taken[0] = now < this.share;
			return taken[0] ? now + 1 : now;
		});
		return taken[0];
	}

	/** Whether this refusal of {@code client} is the first since it last held less than its share. */
	boolean firstRefusal(String client) {
		return this.refused.add(client);
	}

	/** Gives back one of {@code client}'s connections: closed, or its handshake failed. */
	void giveBack(String client) {
		Integer left = this.held.computeIfPresent(client, (key, count) -> (count > 1) ? count - 1 : null);
		if (left == null || left < this.share) {
			this.refused.remove(client);
		}
	}

	/** How many connections {@code client} holds. */
	int heldBy(String client) {
		return this.held.getOrDefault(client, 0);
	}

}
