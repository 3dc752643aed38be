package dev.talktoserver.observability;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * The service's meters, all named {@code talk.*} and tagged by endpoint. Spring has no metrics for
 * plain WebSocket handlers; these are ours.
 */
@Component
public class TalkMetrics {

	private final MeterRegistry registry;

	private final Map<String, EndpointMeters> endpoints = new ConcurrentHashMap<>();

	public TalkMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	/** The meters of the endpoint at {@code path}, registered on first use. */
	public EndpointMeters endpoint(String path) {
		return this.endpoints.computeIfAbsent(path, (key) -> new EndpointMeters(this.registry, key));
	}

	public void handshakeRejected(String path, HandshakeRejection reason) {
		Counter.builder("talk.handshakes.rejected")
			.description("WebSocket handshakes turned away, by reason")
			.tag("endpoint", path)
			.tag("reason", reason.tag())
			.register(this.registry)
			.increment();
	}

}
